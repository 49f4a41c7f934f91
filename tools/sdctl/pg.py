# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A PostgreSQL server we can use (``PG*`` variables, the local socket, or a
private cluster started under the cache folder with the machine's binaries),
and the database operations the harness needs."""

import getpass
import os
import shutil
import subprocess
from pathlib import Path

from .util import IS_ROOT, Fail, cache_dir, say

PRIVATE_PG_PORT = int(os.environ.get("SD_PG_PORT", "55432"))


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


def _has_locale(name):
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return False
    wanted = name.lower().replace("-", "")
    return any(loc.lower().replace("-", "") == wanted for loc in out.stdout.split())


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
            "-c max_connections=200 -c shared_buffers=512MB "
            # a streaming replica (SD_REPLICA=1) can be made from it at any time
            "-c wal_level=replica -c max_wal_senders=10"
        )
        res = subprocess.run(
            _as_pg_owner(
                [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", opts, "start"]
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
    """Drop a database of ours, ending the sessions still connected to it."""
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            [name],
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()
    shutil.rmtree(data_dir / "filestore" / name, ignore_errors=True)


def db_drop_if_idle(params, name, data_dir):
    """Drop a database nobody uses; leave it (and return False) when a session
    is connected to it or copying it: never end someone else's session."""
    import psycopg2

    conn = pg_connect(params)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_stat_activity WHERE datname = %s", [name])
            if cr.fetchone():
                return False
            cr.execute("SET lock_timeout = '2s'")
            cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    except psycopg2.Error:
        return False
    finally:
        conn.close()
    shutil.rmtree(data_dir / "filestore" / name, ignore_errors=True)
    return True


def db_copy(params, src, dst, data_dir):
    db_drop(params, dst, data_dir)
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{dst}" WITH TEMPLATE "{src}"')
    conn.close()
    src_fs = data_dir / "filestore" / src
    if src_fs.exists():
        shutil.copytree(src_fs, data_dir / "filestore" / dst)


def db_rename(params, src, dst, data_dir):
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [src])
        cr.execute(f'ALTER DATABASE "{src}" RENAME TO "{dst}"')
    conn.close()
    src_fs = data_dir / "filestore" / src
    if src_fs.exists():
        shutil.rmtree(data_dir / "filestore" / dst, ignore_errors=True)
        src_fs.rename(data_dir / "filestore" / dst)
