# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make test``: the Odoo-free tier (static tests, lint), then the Odoo tier
(pytest-odoo, Odoo's runner for HttpCase and tours, a benchmark smoke run) on
a copy of the cached template, printing the duration of each phase."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time

from .bench import run_smoke
from .odoo_cli import MISSING_ODOO_HINT, odoo_cmd, odoo_info, require_odoo, run_logged, write_config
from .pg import db_copy, db_drop, ensure_pg
from .templates import ensure_template
from .util import ADDONS, IS_ROOT, REPO, Fail, logs_dir, pip_requirements, say

# HttpCase classes (portal, routes, tours) carry this tag: pytest-odoo cannot
# serve HTTP, so Odoo's own runner runs them.
HTTP_TAG = "sd_http"


class Phases:
    def __init__(self):
        self.rows = []

    def run(self, name, func, *args):
        t0 = time.time()
        say(f"--- {name}")
        try:
            result = func(*args)
        except Fail:
            self.rows.append((name, time.time() - t0, "FAILED"))
            raise
        self.rows.append((name, time.time() - t0, "ok" if result is not False else "FAILED"))
        return result

    def report(self):
        print("\nphase durations:")
        for name, secs, status in self.rows:
            print(f"  {name:<34} {secs:7.1f}s  {status}")


def static_tier():
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:odoo", "-p", "no:cacheprovider", str(REPO / "tests")],
        cwd=REPO,
        check=False,
    )
    return res.returncode == 0


def lint():
    ok = True
    res = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=REPO, check=False)
    ok &= res.returncode == 0
    res = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "-q", "."], cwd=REPO, check=False)
    if res.returncode:
        say("ruff format: files above need `ruff format`")
    ok &= res.returncode == 0
    res = subprocess.run(
        [sys.executable, "-m", "pylint", "--rcfile=.pylintrc-mandatory", *ADDONS],
        cwd=REPO,
        check=False,
    )
    ok &= res.returncode == 0
    return ok


def ensure_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return True
    if not IS_ROOT:
        raise Fail(
            "Chromium is missing for the UI tours: install Debian's 'chromium' package (apt-get install chromium)"
        )
    say("installing Debian's chromium for the UI tours")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, stdin=subprocess.DEVNULL)
        if res.returncode:
            last = (res.stderr.strip().splitlines() or ["?"])[-1]
            raise Fail(f"`{' '.join(cmd)}` failed: {last}")
    return True


def free_port():
    """A TCP port nobody listens on, chosen by the system among the
    ephemeral ones: two runs at the same time do not pick the same."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_tier(phases, logs):
    params = phases.run("postgresql", ensure_pg)
    _series, paths = require_odoo()
    http_port = free_port()
    # a config file of its own: odoo.conf may be in use by hand (`sdctl env`)
    conf, data_dir = write_config(
        params, paths, {"http_port": http_port, "http_interface": "127.0.0.1"}, name="odoo-test.conf"
    )
    tpl = phases.run("template (cached)", ensure_template, params, conf, data_dir, False, logs)
    test_db = f"sdtest_{os.getpid()}"
    phases.run("test database copy", db_copy, params, tpl, test_db, data_dir)
    try:
        ok = phases.run("pytest-odoo (addons' tests)", pytest_odoo, conf, test_db, logs)
        phases.run("chromium", ensure_chromium)
        ok &= phases.run("odoo runner (HttpCase, tours)", odoo_runner, conf, test_db, logs)
        ok &= phases.run("benchmark smoke (200 cases)", bench_smoke, conf, params, data_dir, tpl)
    finally:
        db_drop(params, test_db, data_dir)
    ok &= demo_tier(phases, params, conf, data_dir, logs)
    return ok


def demo_test_files():
    """The tests of what the demo shows (``tests/test_*_demo.py``): they skip
    on the database without demo data that the other tiers use."""
    return sorted(str(path.relative_to(REPO)) for a in ADDONS for path in (REPO / a / "tests").glob("test_*_demo.py"))


def demo_tier(phases, params, conf, data_dir, logs):
    files = demo_test_files()
    if not files:
        return True
    tpl = phases.run("demo template (cached)", ensure_template, params, conf, data_dir, True, logs)
    demo_db = f"sdtest_demo_{os.getpid()}"
    phases.run("demo database copy", db_copy, params, tpl, demo_db, data_dir)
    try:
        return phases.run("pytest-odoo (demo data)", pytest_odoo, conf, demo_db, logs, files, {"SD_DEMO_DB": "1"})
    finally:
        db_drop(params, demo_db, data_dir)


def pytest_odoo(conf, db, logs, paths=None, env=None):
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--odoo-config={conf}",
            f"--odoo-database={db}",
            "--odoo-log-level=warn",
            *(paths or [f"{a}/tests" for a in ADDONS]),
        ],
        cwd=REPO,
        env=dict(os.environ, **(env or {})),
        check=False,
    )
    return res.returncode == 0


def odoo_runner(conf, db, logs):
    tags = ",".join(f"{HTTP_TAG}/{a}" for a in ADDONS)
    log = logs / "odoo-runner.log"
    # the screens' tours save their screenshots here, for a reviewer to look at
    shots = logs.parent / "screenshots"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    rc, _bad = run_logged(
        odoo_cmd(conf, "-d", db, "--test-enable", f"--test-tags={tags}", "--stop-after-init", "--log-level=test"),
        log,
        env=dict(os.environ, SD_SCREENSHOTS_DIR=str(shots)),
    )
    say(f"screenshots of the screens: {shots} ({len(list(shots.glob('*.png')))} PNG files)")
    text = log.read_text(errors="replace")
    summary = re.findall(r"(\d+ failed, \d+ error\(s\) of \d+ tests.*)", text)
    ran = re.findall(r"(\d+) post-tests in", text)
    fails = [ln for ln in text.splitlines() if re.search(r" (ERROR|CRITICAL) ", ln)]
    for line in fails[:40]:
        print("   " + line)
    say(f"odoo runner: {ran[-1] if ran else 0} tests; {summary[-1] if summary else 'no failures reported'}; log {log}")
    return rc == 0 and not fails


def bench_smoke(conf, params, data_dir, tpl):
    # with the OCA peer when its wheels are cached (make bench fetches them)
    return run_smoke(conf, params, data_dir, tpl)


def cmd_test(_args):
    phases = Phases()
    logs = logs_dir()
    ok = True
    t0 = time.time()
    try:
        phases.run("requirements", pip_requirements)
        ok &= phases.run("static checks (pytest tests/)", static_tier)
        ok &= phases.run("lint (ruff, pylint-odoo)", lint)
        if odoo_info() is None:
            phases.report()
            say(f'Odoo 18.0 is not importable (`{sys.executable} -c "import odoo"` fails); {MISSING_ODOO_HINT}')
            print("Odoo tier SKIPPED: only the Odoo-free tier ran.")
            return 0 if ok else 1
        require_odoo()
        ok &= odoo_tier(phases, logs)
    except Fail as exc:
        phases.report()
        say(f"ERROR: {exc}")
        return 1
    phases.report()
    print(f"total {time.time() - t0:.0f}s: {'all tiers passed' if ok else 'FAILURES above'}")
    return 0 if ok else 1
