# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Single entry point behind ``make demo``, ``make test`` and ``make bench``.

It never installs Odoo: Odoo 18.0 is a prerequisite that must be importable by
the ``python3`` running this script.  What it does:

* finds a PostgreSQL server (``PG*`` variables, the local socket, or a private
  cluster it starts itself under the cache folder with the binaries on the
  machine);
* keeps two levels of template databases so that a warm run never reinstalls
  ``base``: the Odoo dependencies (keyed on the Odoo version and the list of
  dependencies) and our three addons on top (keyed on the addons' content);
* runs the test tiers and prints the duration of each phase.
"""

import argparse
import getpass
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDONS = ("service_desk_cases", "service_desk_sla", "service_desk_reports")
ODOO_DOC = "https://www.odoo.com/documentation/18.0/administration/on_premise/source.html"
IS_ROOT = os.geteuid() == 0
PRIVATE_PG_PORT = int(os.environ.get("SD_PG_PORT", "55432"))
DEMO_DB = os.environ.get("SD_DEMO_DB", "service_desk_demo")
HTTP_TAG = "sd_http"

# Log lines Odoo prints at WARNING level during an install that say nothing
# about our addons (environment facts of this machine).
BENIGN_WARNINGS = [
    r"Running as user 'root' is a security risk",
    r"No lang found for",
    r"wkhtmltopdf",
    r"You need Wkhtmltopdf",
    r"Missing dependencies .* python-ldap",
    r"ldap",
    r"geoip",
]


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


# ---------------------------------------------------------------- Odoo ----


def odoo_info():
    """Return (version, [addons paths]) or None when Odoo is not importable."""
    code = (
        "import os, odoo, odoo.release as r;"
        "p = os.path.dirname(odoo.__file__);"
        "print(r.series);"
        "print(os.path.join(p, 'addons'));"
        "print(os.path.join(os.path.dirname(p), 'addons'))"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if out.returncode:
        return None
    series, core, extra = out.stdout.split()
    paths = [p for p in (core, extra) if Path(p).is_dir()]
    return series, paths


def require_odoo():
    info = odoo_info()
    if not info:
        raise Fail(
            f'Odoo 18.0 is not importable (`{sys.executable} -c "import odoo"` fails): '
            f"install Odoo 18.0 from source as described in {ODOO_DOC}"
        )
    if info[0] != "18.0":
        raise Fail(f"the importable Odoo is {info[0]}, these addons need 18.0 ({ODOO_DOC})")
    return info


# ---------------------------------------------------------- PostgreSQL ----


def _pg_try(params):
    import psycopg2

    try:
        conn = psycopg2.connect(dbname="postgres", connect_timeout=5, **params)
    except psycopg2.OperationalError as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else "refused"
    conn.close()
    return None


def _pg_bindir():
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        cand = Path(out.stdout.strip())
        if (cand / "initdb").exists():
            return cand
    except FileNotFoundError:
        pass
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    which = shutil.which("initdb")
    if which:
        return Path(which).parent
    raise Fail(
        "no PostgreSQL server answers and no PostgreSQL binaries (initdb) were "
        "found: install Debian's postgresql package or set PGHOST/PGPORT/PGUSER"
    )


def _as_pg_owner(cmd):
    """Run a server command as a non-root user (PostgreSQL refuses root)."""
    if IS_ROOT:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _private_cluster():
    base = cache_dir() / "pg"
    data = base / "data"
    run = base / "run"
    log = base / "server.log"
    bindir = _pg_bindir()
    if IS_ROOT:
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise Fail(
                "running as root and there is no 'postgres' system user to run a "
                "private PostgreSQL cluster: set PGHOST/PGPORT/PGUSER to a server"
            ) from exc
    base.mkdir(parents=True, exist_ok=True)
    run.mkdir(exist_ok=True)
    if IS_ROOT:
        for path in (base, run):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        os.chmod(cache_dir(), 0o755)
    if not (data / "PG_VERSION").exists():
        say(f"creating a private PostgreSQL cluster in {data}")
        locale = ["--locale=C.UTF-8"] if _has_locale("C.UTF-8") else ["--no-locale"]
        res = subprocess.run(
            _as_pg_owner([str(bindir / "initdb"), "-D", str(data), "-E", "UTF8", "--auth=trust", *locale]),
            capture_output=True,
            text=True,
            check=False,
        )
        if res.returncode:
            raise Fail(f"initdb failed: {res.stderr.strip().splitlines()[-1:]}")
    params = {"host": str(run), "port": PRIVATE_PG_PORT}
    status = subprocess.run(
        _as_pg_owner([str(bindir / "pg_ctl"), "-D", str(data), "status"]),
        capture_output=True,
        check=False,
    )
    if status.returncode != 0:
        say(f"starting the private PostgreSQL cluster (socket in {run})")
        opts = (
            f"-k {run} -p {PRIVATE_PG_PORT} -c listen_addresses='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=512MB"
        )
        res = subprocess.run(
            _as_pg_owner(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    opts,
                    "start",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if res.returncode:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
            raise Fail(f"the private PostgreSQL cluster did not start: {tail}")
    user = getpass.getuser()
    if user == "postgres":
        user = "odoo"
    superuser = "postgres" if IS_ROOT else getpass.getuser()
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user=superuser, **params)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [user])
        if not cr.fetchone():
            cr.execute(f'CREATE ROLE "{user}" SUPERUSER LOGIN')
    conn.close()
    return {**params, "user": user}


def _has_locale(name):
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return False
    wanted = name.lower().replace("-", "")
    return any(loc.lower().replace("-", "") == wanted for loc in out.stdout.split())


def ensure_pg():
    """Return psycopg2 connection parameters of a server we can use."""
    pg_env = {k: v for k, v in os.environ.items() if k in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")}
    if pg_env:
        params = {}
        if "PGHOST" in pg_env:
            params["host"] = pg_env["PGHOST"]
        if "PGPORT" in pg_env:
            if not pg_env["PGPORT"].isdigit():
                raise Fail(f"PGPORT={pg_env['PGPORT']!r} is not a port number")
            params["port"] = int(pg_env["PGPORT"])
        if "PGUSER" in pg_env:
            if pg_env["PGUSER"] == "postgres":
                raise Fail("PGUSER=postgres: Odoo refuses to run as the 'postgres' role; use another role")
            params["user"] = pg_env["PGUSER"]
        if "PGPASSWORD" in pg_env:
            params["password"] = pg_env["PGPASSWORD"]
        err = _pg_try(params)
        if err:
            shown = " ".join(f"{k}={v}" for k, v in pg_env.items() if k != "PGPASSWORD")
            raise Fail(f"PostgreSQL given by {shown} does not accept connections: {err}")
        return params
    if not IS_ROOT and getpass.getuser() != "postgres" and _pg_try({}) is None:
        return {}
    return _private_cluster()


def pg_connect(params, dbname="postgres"):
    import psycopg2

    conn = psycopg2.connect(dbname=dbname, **params)
    conn.autocommit = True
    return conn


def db_exists(params, name):
    with pg_connect(params) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def db_drop(params, name, data_dir):
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [name],
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()
    shutil.rmtree(data_dir / "filestore" / name, ignore_errors=True)


def db_copy(params, src, dst, data_dir):
    db_drop(params, dst, data_dir)
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{dst}" WITH TEMPLATE "{src}"')
    conn.close()
    src_fs = data_dir / "filestore" / src
    if src_fs.exists():
        shutil.copytree(src_fs, data_dir / "filestore" / dst)


# ------------------------------------------------------------ Odoo runs ----


def write_config(params, addons_paths, extra=None):
    cache = cache_dir()
    data_dir = cache / "data"
    data_dir.mkdir(exist_ok=True)
    lines = [
        "[options]",
        f"addons_path = {','.join([*addons_paths, str(REPO)])}",
        f"data_dir = {data_dir}",
        f"db_host = {params.get('host', 'False')}",
        f"db_port = {params.get('port', 'False')}",
        f"db_user = {params.get('user', 'False')}",
        f"db_password = {params.get('password', 'False')}",
        "db_maxconn = 64",
        "list_db = True",
        "max_cron_threads = 1",
        "limit_time_real = 0",
        "limit_time_cpu = 0",
        "log_level = info",
    ]
    for key, value in (extra or {}).items():
        lines.append(f"{key} = {value}")
    conf = cache / "odoo.conf"
    conf.write_text("\n".join(lines) + "\n")
    return conf, data_dir


def odoo_cmd(conf, *args):
    return [sys.executable, "-m", "odoo", "-c", str(conf), *args]


def run_logged(cmd, log_path, check_log=False, env=None):
    """Run an Odoo command, tee its log to a file, return (rc, bad lines)."""
    bad = []
    level_re = re.compile(r"^\S+ \S+ \d+ (ERROR|WARNING|CRITICAL) ")
    benign = [re.compile(p) for p in BENIGN_WARNINGS]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        for line in proc.stdout:
            log.write(line)
            match = level_re.match(line)
            if match and check_log:
                if match.group(1) == "WARNING" and any(b.search(line) for b in benign):
                    continue
                bad.append(line.rstrip())
        rc = proc.wait()
    return rc, bad


def addons_hash():
    digest = hashlib.sha256()
    for addon in ADDONS:
        for path in sorted((REPO / addon).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def external_depends():
    deps = set()
    for addon in ADDONS:
        manifest = eval((REPO / addon / "__manifest__.py").read_text())
        deps.update(d for d in manifest.get("depends", []) if d not in ADDONS)
    return sorted(deps)


def ensure_template(params, conf, data_dir, demo, logs):
    """Two-level cached templates; returns the name of the addons template."""
    series, _paths = require_odoo()
    deps = external_depends()
    flavour = "demo" if demo else "nodemo"
    deps_key = hashlib.sha256(json.dumps([series, sys.executable, deps, flavour, _odoo_stamp()]).encode()).hexdigest()[
        :10
    ]
    deps_db = f"sdtpl_deps_{flavour}_{deps_key}"
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
        _rename_db(params, tmp, deps_db, data_dir)
        say(f"dependency template built in {time.time() - t0:.0f}s")
    tpl = f"sdtpl_{flavour}_{deps_key}_{addons_hash()}"
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
        _rename_db(params, tmp, tpl, data_dir)
        _prune_templates(params, data_dir, keep={deps_db, tpl}, flavour=flavour)
        say(f"addons template built in {time.time() - t0:.0f}s")
    return tpl


def _odoo_stamp():
    info = odoo_info()
    release = Path(info[1][0]).parent / "release.py" if info else None
    return release.stat().st_mtime if release and release.exists() else 0


def _rename_db(params, src, dst, data_dir):
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [src])
        cr.execute(f'ALTER DATABASE "{src}" RENAME TO "{dst}"')
    conn.close()
    src_fs = data_dir / "filestore" / src
    if src_fs.exists():
        shutil.rmtree(data_dir / "filestore" / dst, ignore_errors=True)
        src_fs.rename(data_dir / "filestore" / dst)


def _prune_templates(params, data_dir, keep, flavour):
    with pg_connect(params) as conn, conn.cursor() as cr:
        cr.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"sdtpl_{flavour}_%"])
        old = [r[0] for r in cr.fetchall() if r[0] not in keep]
    for name in old:
        db_drop(params, name, data_dir)


# ------------------------------------------------------------- phases ----


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


def static_tier():
    ok = True
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:odoo",
            "-p",
            "no:cacheprovider",
            str(REPO / "tests"),
        ],
        cwd=REPO,
        check=False,
    )
    ok &= res.returncode == 0
    return ok


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


def free_port(start):
    for port in range(start, start + 200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise Fail(f"no free TCP port found from {start}")


def odoo_tier(phases, logs):
    params = phases.run("postgresql", ensure_pg)
    _series, paths = require_odoo()
    http_port = free_port(18069)
    conf, data_dir = write_config(params, paths, {"http_port": http_port, "http_interface": "127.0.0.1"})
    tpl = phases.run("template (cached)", ensure_template, params, conf, data_dir, False, logs)
    test_db = f"sdtest_{os.getpid()}"
    phases.run("test database copy", db_copy, params, tpl, test_db, data_dir)
    try:
        ok = phases.run("pytest-odoo (addons' tests)", _pytest_odoo, conf, test_db, logs)
        phases.run("chromium", ensure_chromium)
        ok &= phases.run("odoo runner (HttpCase, tours)", _odoo_runner, conf, test_db, logs)
        ok &= phases.run("benchmark smoke (200 cases)", _bench_smoke, conf, params, data_dir, tpl)
    finally:
        db_drop(params, test_db, data_dir)
    return ok


def _pytest_odoo(conf, db, logs):
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
            *[f"{a}/tests" for a in ADDONS],
        ],
        cwd=REPO,
        check=False,
    )
    return res.returncode == 0


def _odoo_runner(conf, db, logs):
    tags = ",".join(f"{HTTP_TAG}/{a}" for a in ADDONS)
    log = logs / "odoo-runner.log"
    rc, _bad = run_logged(
        odoo_cmd(
            conf,
            "-d",
            db,
            "--test-enable",
            f"--test-tags={tags}",
            "--stop-after-init",
            "--log-level=test",
        ),
        log,
    )
    text = log.read_text(errors="replace")
    summary = re.findall(r"(\d+ failed, \d+ error\(s\) of \d+ tests.*)", text)
    ran = re.findall(r"(\d+) post-tests in", text)
    fails = [ln for ln in text.splitlines() if re.search(r" (ERROR|CRITICAL) ", ln)]
    for line in fails[:40]:
        print("   " + line)
    say(f"odoo runner: {ran[-1] if ran else 0} tests; {summary[-1] if summary else 'no failures reported'}; log {log}")
    return rc == 0 and not fails


def _bench_smoke(conf, params, data_dir, tpl):
    bench_db = f"sdbench_smoke_{os.getpid()}"
    db_copy(params, tpl, bench_db, data_dir)
    try:
        res = subprocess.run(
            [
                sys.executable,
                str(REPO / "bench" / "run.py"),
                "--config",
                str(conf),
                "--database",
                bench_db,
                "--cases",
                "200",
                "--runs",
                "1",
                "--smoke",
            ],
            cwd=REPO,
            check=False,
        )
    finally:
        db_drop(params, bench_db, data_dir)
    return res.returncode == 0


def cmd_test(_args):
    phases = Phases()
    logs = cache_dir() / "logs"
    logs.mkdir(exist_ok=True)
    ok = True
    t0 = time.time()
    try:
        phases.run("requirements", pip_requirements)
        ok &= phases.run("static checks (pytest tests/)", static_tier)
        ok &= phases.run("lint (ruff, pylint-odoo)", lint)
        if odoo_info() is None:
            phases.report()
            say(
                f'Odoo 18.0 is not importable (`{sys.executable} -c "import odoo"` fails); '
                f"install it from source as described in {ODOO_DOC}"
            )
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
        logs = cache_dir() / "logs"
        logs.mkdir(exist_ok=True)
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


def cmd_bench(args):
    try:
        pip_requirements()
        _series, paths = require_odoo()
        params = ensure_pg()
        conf, data_dir = write_config(params, paths)
        logs = cache_dir() / "logs"
        logs.mkdir(exist_ok=True)
        tpl = ensure_template(params, conf, data_dir, False, logs)
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    bench_db = os.environ.get("SD_BENCH_DB", "service_desk_bench")
    db_copy(params, tpl, bench_db, data_dir)
    cmd = [
        sys.executable,
        str(REPO / "bench" / "run.py"),
        "--config",
        str(conf),
        "--database",
        bench_db,
        "--cases",
        os.environ.get("BENCH_CASES", "100000"),
        "--runs",
        os.environ.get("BENCH_RUNS", "3"),
    ]
    return subprocess.run(cmd, cwd=REPO, check=False).returncode


def cmd_env(_args):
    """Print shell exports for using the same server and config by hand."""
    try:
        _series, paths = require_odoo()
        params = ensure_pg()
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    conf, _data = write_config(params, paths)
    print(f"export SD_ODOO_CONF={conf}")
    for key, env in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER")):
        if key in params:
            print(f"export {env}={params[key]}")
    return 0


def main():
    parser = argparse.ArgumentParser(prog="sdctl")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("test").set_defaults(func=cmd_test)
    demo = sub.add_parser("demo")
    demo.add_argument("--no-serve", action="store_true")
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("bench").set_defaults(func=cmd_bench)
    sub.add_parser("env").set_defaults(func=cmd_env)
    args = parser.parse_args()
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
