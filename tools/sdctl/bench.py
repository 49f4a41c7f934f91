# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make bench``: bench/run.py on a fresh copy of the addons template, side
by side with the OCA peer (helpdesk_mgmt + helpdesk_mgmt_sla from PyPI) in a
database of its own; ``BENCH_PEER=0`` leaves the peer out."""

import ast
import hashlib
import os
import subprocess
import sys
import time

from .odoo_cli import odoo_cmd, require_odoo, run_logged, write_config
from .pg import db_copy, db_drop, db_exists, db_rename, ensure_pg
from .templates import deps_template_name, ensure_template, place_key
from .util import IS_ROOT, REPO, Fail, cache_dir, logs_dir, pip_requirements, say

# The OCA peer, pinned: the 18.0 wheels published on PyPI (AGPL-3). They are
# installed with --no-deps: their manifests need only Community addons.
PEER_WHEELS = (
    ("odoo-addon-helpdesk-mgmt", "18.0.1.19.5"),
    ("odoo-addon-helpdesk-mgmt-sla", "18.0.2.1.1"),
)
PEER_ADDONS = ("helpdesk_mgmt", "helpdesk_mgmt_sla")


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


# ------------------------------------------------------------------ peer --


def peer_key():
    return hashlib.sha256(repr(PEER_WHEELS).encode()).hexdigest()[:10]


def peer_home():
    """The peer's cache folder: wheels/ (as downloaded) and site/ (installed)."""
    return cache_dir() / "peer" / peer_key()


def peer_addons_path():
    """The folder holding helpdesk_mgmt/ and helpdesk_mgmt_sla/ (the wheels
    install their addons as odoo/addons/<name>)."""
    return peer_home() / "site" / "odoo" / "addons"


def peer_cached():
    return all((peer_addons_path() / addon / "__manifest__.py").is_file() for addon in PEER_ADDONS)


def _pip(*args):
    cmd = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "-q"]
    if IS_ROOT and args[0] == "install":
        cmd.append("--root-user-action=ignore")
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode:
        errors = [ln for ln in res.stderr.strip().splitlines() if ln.startswith("ERROR")] or res.stderr.splitlines()
        raise Fail(f"pip {args[0]} of the peer's wheels failed: {(errors or ['?'])[-1]}")


def fetch_peer():
    """Download the pinned wheels (no dependencies) and install them into the
    peer's cache folder; return the addons folder."""
    home = peer_home()
    wheels = home / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    specs = [f"{name}=={version}" for name, version in PEER_WHEELS]
    say(f"downloading the OCA peer from PyPI: {', '.join(specs)}")
    _pip("download", "--no-deps", "--only-binary=:all:", "--dest", str(wheels), *specs)
    files = sorted(str(p) for p in wheels.glob("*.whl"))
    _pip("install", "--no-deps", "--no-compile", "--upgrade", "--target", str(home / "site"), *files)
    if not peer_cached():
        raise Fail(f"the peer's wheels did not install {', '.join(PEER_ADDONS)} under {peer_addons_path()}")
    return peer_addons_path()


def peer_missing_depends(addons_paths, peer_path=None):
    """Addons the peer's manifests depend on that are neither in the given
    addons paths (Odoo's) nor among the peer's own."""
    peer_path = peer_path or peer_addons_path()
    missing = set()
    for addon in PEER_ADDONS:
        manifest = ast.literal_eval((peer_path / addon / "__manifest__.py").read_text())
        for dep in manifest.get("depends", []):
            if dep in PEER_ADDONS:
                continue
            if not any(os.path.isfile(os.path.join(path, dep, "__manifest__.py")) for path in addons_paths):
                missing.add(dep)
    return sorted(missing)


def ensure_peer_template(params, conf, data_dir, logs):
    """The dependency template plus the peer's two addons (no demo data),
    built once per pinned version; return its name."""
    deps_db = deps_template_name(False)
    key = hashlib.sha256(f"{deps_db} {peer_key()} {place_key(data_dir)}".encode()).hexdigest()[:10]
    tpl = f"sdtpl_peer_{key}"
    if db_exists(params, tpl):
        return tpl
    t0 = time.time()
    say(f"installing the peer ({', '.join(PEER_ADDONS)}) into template {tpl}; this runs once")
    tmp = tpl + "_wip"
    db_copy(params, deps_db, tmp, data_dir)
    log = logs / "peer-install.log"
    rc, bad = run_logged(
        odoo_cmd(conf, "-d", tmp, "-i", ",".join(PEER_ADDONS), "--stop-after-init", "--without-demo=all"),
        log,
        check_log=True,
    )
    # the peer's own warnings are its business: only errors stop us
    errors = [line for line in bad if " WARNING " not in line]
    if rc or errors:
        db_drop(params, tmp, data_dir)
        raise Fail(f"installing the peer failed (log: {log}): " + (errors[0] if errors else f"exit {rc}"))
    db_rename(params, tmp, tpl, data_dir)
    say(f"peer template built in {time.time() - t0:.0f}s")
    return tpl


def prepare_peer(params, odoo_paths, data_dir, peer_db, fetch):
    """The peer database ``peer_db`` (a fresh copy of the peer template) and
    the arguments telling bench/run.py about it; [] (and one line saying
    why) when the peer is left out."""
    if os.environ.get("BENCH_PEER", "1") == "0":
        say("peer skipped: BENCH_PEER=0")
        return []
    if not peer_cached():
        if not fetch:
            say("peer skipped: wheels not cached, run make bench")
            return []
        fetch_peer()
    missing = peer_missing_depends(odoo_paths)
    if missing:
        raise Fail(f"the peer depends on addons that are not in Odoo Community: {', '.join(missing)}")
    conf, _data = write_config(params, [*odoo_paths, str(peer_addons_path())], name="odoo-peer.conf")
    tpl = ensure_peer_template(params, conf, data_dir, logs_dir())
    db_copy(params, tpl, peer_db, data_dir)
    return ["--peer-database", peer_db, "--peer-addons", str(peer_addons_path())]


def run_smoke(conf, params, data_dir, tpl, cases=200):
    """The benchmark smoke run of ``make test`` (offline: the peer only when
    its wheels are already cached); True when every figure was produced."""
    bench_db = f"sdbench_smoke_{os.getpid()}"
    peer_db = f"{bench_db}_peer"
    db_copy(params, tpl, bench_db, data_dir)
    try:
        _series, paths = require_odoo()
        try:
            peer = prepare_peer(params, paths, data_dir, peer_db, fetch=False)
        except Fail as exc:
            say(f"peer skipped: {exc}")
            peer = []
        res = subprocess.run(bench_cmd(conf, bench_db, cases, 1, "--smoke", *peer), cwd=REPO, check=False)
    finally:
        db_drop(params, bench_db, data_dir)
        db_drop(params, peer_db, data_dir)
    return res.returncode == 0


def cmd_bench(_args):
    bench_db = os.environ.get("SD_BENCH_DB", "service_desk_bench")
    try:
        pip_requirements()
        _series, paths = require_odoo()
        params = ensure_pg()
        conf, data_dir = write_config(params, paths)
        tpl = ensure_template(params, conf, data_dir, False, logs_dir())
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    try:
        peer = prepare_peer(params, paths, data_dir, f"{bench_db}_peer", fetch=True)
    except Fail as exc:
        say(f"peer skipped: {exc}")
        peer = []
    db_copy(params, tpl, bench_db, data_dir)
    cmd = bench_cmd(conf, bench_db, os.environ.get("BENCH_CASES", "100000"), os.environ.get("BENCH_RUNS", "3"), *peer)
    return subprocess.run(cmd, cwd=REPO, check=False).returncode
