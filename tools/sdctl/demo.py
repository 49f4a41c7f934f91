# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make demo``: a database with the demo data, served on SD_HTTP_PORT."""

import os
import signal
import socket
import subprocess

from .odoo_cli import odoo_cmd, require_odoo, run_logged, write_config
from .pg import db_copy, db_exists, ensure_pg
from .templates import ensure_template
from .util import ADDONS, Fail, logs_dir, pip_requirements, say

DEMO_DB = os.environ.get("SD_DEMO_DB", "service_desk_demo")


def cmd_demo(args):
    try:
        pip_requirements()
        _series, paths = require_odoo()
        params = ensure_pg()
        port = int(os.environ.get("SD_HTTP_PORT", "8069"))
        with socket.socket() as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("0.0.0.0", port))
            except OSError as exc:
                raise Fail(f"port {port} is already taken: stop what listens there or set SD_HTTP_PORT") from exc
        conf, data_dir = write_config(params, paths, {"http_port": port})
        logs = logs_dir()
        if not db_exists(params, DEMO_DB):
            tpl = ensure_template(params, conf, data_dir, True, logs)
            say(f"creating the demo database {DEMO_DB}")
            db_copy(params, tpl, DEMO_DB, data_dir)
        else:
            say(f"updating the demo database {DEMO_DB}")
            rc, bad = run_logged(
                odoo_cmd(conf, "-d", DEMO_DB, "-u", ",".join(ADDONS), "--stop-after-init"),
                logs / "demo-update.log",
                check_log=True,
            )
            if rc or bad:
                raise Fail(
                    f"updating the demo database failed (log: {logs / 'demo-update.log'}): "
                    + (bad[0] if bad else f"exit {rc}")
                )
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    print(
        f"\nService Desk demo: http://localhost:{port}/web  (database {DEMO_DB})\n"
        "Logins (password = login):\n"
        "  administrator     admin / admin\n"
        "  phone operator    operator / operator\n"
        "  first-line agent  agent / agent\n"
        "  team leader       leader / leader\n"
        "  portal customer   portal / portal\n"
        "Stop with Ctrl-C.\n",
        flush=True,
    )
    if args.no_serve:
        return 0
    proc = subprocess.Popen(odoo_cmd(conf, "-d", DEMO_DB, f"--db-filter=^{DEMO_DB}$"))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        return proc.wait()
