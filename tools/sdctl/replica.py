# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A streaming replica of the private cluster (``SD_REPLICA=1``): a second
data folder made with ``pg_basebackup -R`` from the primary, started on its
own socket and port by the same harness, as a hot standby. Odoo reaches it
as a role whose transactions are read-only by default, so a write that
would reach the replica is refused twice (by the role and by the standby)."""

import os
import shutil
import subprocess
import time

from .pg import PRIVATE_PG_PORT, _as_pg_owner, _pg_bindir, pg_connect
from .util import IS_ROOT, Fail, cache_dir, say

REPLICA_PORT = int(os.environ.get("SD_PG_REPLICA_PORT", str(PRIVATE_PG_PORT + 1)))
REPLICA_ROLE = "sd_replica"


def _paths():
    base = cache_dir() / "pg"
    return base, base / "replica-data", base / "replica-run", base / "replica.log"


def _pg_ctl(bindir, data, *args):
    return subprocess.run(
        _as_pg_owner([str(bindir / "pg_ctl"), "-D", str(data), *args]),
        capture_output=True,
        text=True,
        check=False,
    )


def _ensure_role(params):
    """The role Odoo's read-only cursors use: it reads every table and its
    transactions are read-only unless a session says otherwise (created on
    the primary; the standby gets it by replication)."""
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [REPLICA_ROLE])
        if not cr.fetchone():
            cr.execute(f'CREATE ROLE "{REPLICA_ROLE}" LOGIN')
        cr.execute(f'GRANT pg_read_all_data TO "{REPLICA_ROLE}"')
        cr.execute(f'ALTER ROLE "{REPLICA_ROLE}" SET default_transaction_read_only = on')
        cr.execute("SELECT pg_current_wal_lsn()")
        lsn = cr.fetchone()[0]
    conn.close()
    return lsn


def ensure_replica(params):
    """Start (making it first if needed) a hot standby of the private cluster
    ``params`` points to; return the psycopg2 parameters to reach it as the
    read-only role. A standby that cannot catch up (stopped for so long that
    the primary recycled the WAL it needs: there is no replication slot, so
    an abandoned replica never fills the primary's disk) is made again."""
    try:
        return _ensure_replica(params)
    except Fail as exc:
        _base, data, _run, _log = _paths()
        if not params.get("host", "").startswith(str(cache_dir())) or not (data / "standby.signal").exists():
            raise
        say(f"the replica cannot catch up ({exc}): making it again")
        stop_replica()
        (data / "standby.signal").unlink()
        return _ensure_replica(params)


def _ensure_replica(params):
    host = params.get("host", "")
    if not host.startswith(str(cache_dir())):
        raise Fail(
            "SD_REPLICA=1 needs the harness's private PostgreSQL cluster (unset PGHOST/PGPORT/PGUSER): "
            "a replica of an outside server is that server's administrator's job"
        )
    lsn = _ensure_role(params)
    bindir = _pg_bindir()
    _base, data, run, log = _paths()
    run.mkdir(exist_ok=True)
    if IS_ROOT:
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chown(run, pw.pw_uid, pw.pw_gid)
    if not (data / "standby.signal").exists():
        shutil.rmtree(data, ignore_errors=True)
        say(f"making a streaming replica of the private cluster in {data} (pg_basebackup -R)")
        superuser = "postgres" if IS_ROOT else params.get("user", "")
        cmd = [
            str(bindir / "pg_basebackup"),
            "-D",
            str(data),
            "-h",
            host,
            "-p",
            str(params["port"]),
            "-U",
            superuser,
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ]
        res = subprocess.run(_as_pg_owner(cmd), capture_output=True, text=True, check=False)
        if res.returncode:
            shutil.rmtree(data, ignore_errors=True)
            raise Fail(f"pg_basebackup failed: {(res.stderr.strip().splitlines() or ['?'])[-1]}")
    if _pg_ctl(bindir, data, "status").returncode != 0:
        say(f"starting the replica (socket in {run}, port {REPLICA_PORT})")
        opts = (
            f"-k {run} -p {REPLICA_PORT} -c listen_addresses='' -c hot_standby=on "
            "-c hot_standby_feedback=on -c max_connections=200 -c shared_buffers=256MB "
            "-c fsync=off -c full_page_writes=off"
        )
        res = _pg_ctl(bindir, data, "-l", str(log), "-w", "-t", "120", "-o", opts, "start")
        if res.returncode:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
            raise Fail(f"the replica did not start: {tail}")
    replica = {"host": str(run), "port": REPLICA_PORT, "user": REPLICA_ROLE}
    wait_replayed(replica, lsn)
    return replica


def _log_size():
    _base, _data, _run, log = _paths()
    try:
        return log.stat().st_size
    except OSError:
        return 0


def _lost_wal(offset):
    """Whether the standby logged, since ``offset``, that the primary no
    longer has the WAL it needs (it was stopped too long): it will never
    catch up."""
    _base, _data, _run, log = _paths()
    try:
        with open(log, "rb") as fh:
            fh.seek(offset)
            return b"has already been removed" in fh.read()
    except OSError:
        return False


def wait_replayed(replica, lsn, timeout=120):
    """Wait until the standby has replayed the primary's WAL up to ``lsn``
    (so a database just created on the primary exists on the replica)."""
    deadline = time.monotonic() + timeout
    offset = _log_size()
    while True:
        if _lost_wal(offset):
            raise Fail("the primary no longer has the WAL the replica needs")
        try:
            conn = pg_connect(replica)
            with conn.cursor() as cr:
                cr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                done = cr.fetchone()[0]
            conn.close()
            if done:
                return
        except Exception as exc:  # the standby may still be starting
            if time.monotonic() > deadline:
                raise Fail(f"the replica does not answer: {exc}") from exc
        if time.monotonic() > deadline:
            raise Fail(f"the replica has not replayed the primary's WAL up to {lsn} in {timeout}s")
        time.sleep(0.5)


def primary_lsn(params):
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute("SELECT pg_current_wal_lsn()")
        lsn = cr.fetchone()[0]
    conn.close()
    return lsn


def stop_replica():
    _base, data, _run, _log = _paths()
    if (data / "PG_VERSION").exists():
        _pg_ctl(_pg_bindir(), data, "-m", "fast", "stop")
