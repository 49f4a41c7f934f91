# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make demo``: a database with the demo data, served on SD_HTTP_PORT, in
English, or in the language SD_DEMO_LANG names (``SD_DEMO_LANG=ru_RU make
demo``): the language is loaded with the addons' translations, which
translate the demo records too, and every user and contact of the demo
database speaks it."""

import os
import signal
import socket
import subprocess
import sys

from .odoo_cli import odoo_cmd, require_odoo, run_logged, write_config
from .pg import db_copy, db_exists, ensure_pg
from .scale import env_replica, env_workers, prepare, scale_config, server_cmd
from .templates import ensure_template
from .util import ADDONS, Fail, logs_dir, pip_requirements, say

DEMO_DB = os.environ.get("SD_DEMO_DB", "service_desk_demo")
DEMO_LANG = os.environ.get("SD_DEMO_LANG", "")
# ``odoo shell`` runs this from stdin
LANG_SCRIPT = """
lang = env["res.lang"]._activate_lang({lang!r})
if not lang:
    raise SystemExit("SD_DEMO_LANG: no language with the code {lang} in Odoo")
env["ir.module.module"].search([("state", "=", "installed")])._update_translations(lang.code, overwrite=True)
users = env["res.users"].search([])
(users.partner_id | env["res.partner"].search([])).write({{"lang": lang.code}})
env.cr.commit()
print("demo language", lang.code, "for", len(users), "users", flush=True)
"""


# every login of the demo database (password = login) and its role: Odoo's
# own admin and portal users, and the users of service_desk_cases/demo/
DEMO_LOGINS = (
    ("admin", "administrator"),
    ("operator", "phone operator (agent)"),
    ("agent", "first-line agent"),
    ("engineer", "service engineer (agent)"),
    ("leader", "team leader (supervisor)"),
    ("employee", "employee (requester)"),
    ("portal", "portal customer"),
)


def banner(port):
    """What ``make demo`` prints before serving: the address and the logins."""
    logins = "".join(f"  {role:<27} {login} / {login}\n" for login, role in DEMO_LOGINS)
    return (
        f"\nService Desk demo: http://localhost:{port}/web  (database {DEMO_DB})\n"
        f"Logins (password = login):\n{logins}Stop with Ctrl-C.\n"
    )


def set_demo_lang(conf, lang, logs):
    """Load ``lang`` with the translations of every installed module and make
    it the language of the demo database's users and contacts."""
    say(f"loading {lang} and making it the demo users' language")
    log = logs / "demo-lang.log"
    rc, bad = run_logged(
        [sys.executable, "-m", "odoo", "shell", "-c", str(conf), "-d", DEMO_DB, "--no-http"],
        log,
        check_log=True,
        input_text=LANG_SCRIPT.format(lang=lang),
    )
    errors = [line for line in bad if " WARNING " not in line]
    if rc or errors:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
        raise Fail(f"loading {lang} into {DEMO_DB} failed (log: {log}): " + (errors[0] if errors else str(tail)))


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
        if DEMO_LANG:
            set_demo_lang(conf, DEMO_LANG, logs)
        workers = env_workers()
        if workers:
            # the production way: N HTTP workers, 2 cron workers, the gevent
            # worker, and with SD_REPLICA=1 reads on a streaming replica
            replica = prepare(params, workers, env_replica())
            conf, _data = scale_config(params, paths, port, workers, replica)
            say(
                f"serving with {workers} HTTP workers, 2 cron workers and the gevent worker"
                + (f", replica on port {replica['port']}" if replica else "")
            )
        elif env_replica():
            raise Fail("SD_REPLICA=1 goes with SD_WORKERS=N (the multi-process server)")
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    print(banner(port), flush=True)
    if args.no_serve:
        return 0
    serve = server_cmd if env_workers() else odoo_cmd
    proc = subprocess.Popen(serve(conf, "-d", DEMO_DB, f"--db-filter=^{DEMO_DB}$"))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        return proc.wait()
