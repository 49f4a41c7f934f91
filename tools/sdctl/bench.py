# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make bench``: bench/run.py on a fresh copy of the addons template."""

import os
import subprocess
import sys

from .odoo_cli import require_odoo, write_config
from .pg import db_copy, ensure_pg
from .templates import ensure_template
from .util import REPO, Fail, logs_dir, pip_requirements, say


def bench_cmd(conf, database, cases, runs, *extra):
    """The command line of bench/run.py (``make bench`` and the smoke run of ``make test``)."""
    return [
        sys.executable,
        str(REPO / "bench" / "run.py"),
        "--config",
        str(conf),
        "--database",
        database,
        "--cases",
        str(cases),
        "--runs",
        str(runs),
        *extra,
    ]


def cmd_bench(_args):
    try:
        pip_requirements()
        _series, paths = require_odoo()
        params = ensure_pg()
        conf, data_dir = write_config(params, paths)
        tpl = ensure_template(params, conf, data_dir, False, logs_dir())
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    bench_db = os.environ.get("SD_BENCH_DB", "service_desk_bench")
    db_copy(params, tpl, bench_db, data_dir)
    cmd = bench_cmd(conf, bench_db, os.environ.get("BENCH_CASES", "100000"), os.environ.get("BENCH_RUNS", "3"))
    return subprocess.run(cmd, cwd=REPO, check=False).returncode
