# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Paths, the cache folder, one-line messages and errors, pip requirements."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
ADDONS = ("service_desk_cases", "service_desk_sla", "service_desk_reports")
ODOO_DOC = "https://www.odoo.com/documentation/18.0/administration/on_premise/source.html"
IS_ROOT = os.geteuid() == 0


class Fail(Exception):
    """A problem explained in one line: printed without a traceback."""


def say(msg):
    print(f"[sd] {msg}", flush=True)


def cache_dir():
    env = os.environ.get("SD_CACHE_DIR")
    if env:
        path = Path(env)
    elif IS_ROOT:
        # /root is private (0700): the postgres user of a private cluster
        # could not reach a folder below it.
        path = Path("/var/cache/service-desk")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        path = Path(base) / "service-desk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir():
    logs = cache_dir() / "logs"
    logs.mkdir(exist_ok=True)
    return logs


def pip_requirements():
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "-r",
        str(REPO / "requirements.txt"),
    ]
    if IS_ROOT:
        cmd.insert(4, "--root-user-action=ignore")
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode:
        last = (res.stderr.strip().splitlines() or ["?"])[-1]
        raise Fail(f"pip could not install requirements.txt: {last}")
