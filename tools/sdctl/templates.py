# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two levels of cached template databases, so that a warm run never
reinstalls ``base``: the Odoo dependencies (keyed on the Odoo version and the
list of dependencies) and our three addons on top (keyed on their content)."""

import ast
import hashlib
import json
import re
import sys
import time
from pathlib import Path

from .odoo_cli import odoo_cmd, odoo_stamp, require_odoo, run_logged
from .pg import db_copy, db_drop, db_drop_if_idle, db_exists, db_rename, pg_connect
from .util import ADDONS, REPO, Fail, say


def addons_hash(repo=REPO):
    digest = hashlib.sha256()
    for addon in ADDONS:
        for path in sorted((repo / addon).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(repo)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def external_depends(repo=REPO):
    deps = set()
    for addon in ADDONS:
        manifest = ast.literal_eval((repo / addon / "__manifest__.py").read_text())
        deps.update(d for d in manifest.get("depends", []) if d not in ADDONS)
    return sorted(deps)


def place_key(data_dir):
    """An addons template is a database plus its filestore under data_dir:
    runs with another cache folder (SD_CACHE_DIR) on the same server get
    templates of their own instead of one whose files they do not have."""
    return hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:6]


def deps_template_name(demo):
    series, _paths = require_odoo()
    flavour = "demo" if demo else "nodemo"
    key = json.dumps([series, sys.executable, external_depends(), flavour, odoo_stamp()])
    return f"sdtpl_deps_{flavour}_{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def ensure_template(params, conf, data_dir, demo, logs):
    """Build the missing template levels; return the addons template's name."""
    deps = external_depends()
    flavour = "demo" if demo else "nodemo"
    deps_db = deps_template_name(demo)
    deps_key = deps_db.rsplit("_", 1)[-1]
    demo_args = [] if demo else ["--without-demo=all"]
    if not db_exists(params, deps_db):
        t0 = time.time()
        say(f"building the dependency template {deps_db} ({', '.join(deps)}); this runs once")
        tmp = deps_db + "_wip"
        db_drop(params, tmp, data_dir)
        rc, bad = run_logged(
            odoo_cmd(conf, "-d", tmp, "-i", ",".join(deps), "--stop-after-init", *demo_args),
            logs / f"{deps_db}.log",
            check_log=True,
        )
        if rc or bad:
            raise Fail(
                f"installing Odoo's dependencies failed (log: {logs / (deps_db + '.log')}): "
                + (bad[0] if bad else f"exit {rc}")
            )
        db_rename(params, tmp, deps_db, data_dir)
        say(f"dependency template built in {time.time() - t0:.0f}s")
    tpl = f"sdtpl_{flavour}_{deps_key}_{place_key(data_dir)}_{addons_hash()}"
    if not db_exists(params, tpl):
        t0 = time.time()
        say(f"installing {', '.join(ADDONS)} into template {tpl}")
        tmp = tpl + "_wip"
        db_copy(params, deps_db, tmp, data_dir)
        rc, bad = run_logged(
            odoo_cmd(conf, "-d", tmp, "-i", ",".join(ADDONS), "--stop-after-init", *demo_args),
            logs / "install.log",
            check_log=True,
        )
        if rc or bad:
            db_drop(params, tmp, data_dir)
            for line in bad[:20]:
                print("   " + line)
            raise Fail(
                f"installing the addons failed or logged {len(bad)} ERROR/WARNING line(s) (log: {logs / 'install.log'})"
            )
        db_rename(params, tmp, tpl, data_dir)
        prune_templates(params, data_dir, keep={deps_db, tpl}, flavour=flavour)
        say(f"addons template built in {time.time() - t0:.0f}s")
    return tpl


def prune_templates(params, data_dir, keep, flavour):
    """Drop this cache folder's addons templates of older contents (and those
    named before templates had a cache key). Never the dependency templates,
    never another cache folder's, never one being built (``_wip``) and never
    one in use: another run may be copying it right now."""
    ours = re.compile(rf"sdtpl_{flavour}_[0-9a-f]{{10}}_({place_key(data_dir)}_)?[0-9a-f]{{12}}")
    with pg_connect(params) as conn, conn.cursor() as cr:
        cr.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"sdtpl\\_{flavour}\\_%"])
        old = [r[0] for r in cr.fetchall() if r[0] not in keep and ours.fullmatch(r[0])]
    for name in old:
        db_drop_if_idle(params, name, data_dir)
