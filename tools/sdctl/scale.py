# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Serving the production way (``SD_WORKERS=N``, ``SD_REPLICA=1``): Odoo's
multi-process server with N HTTP workers, 2 cron workers and the gevent
worker, bound to the loopback, and with ``SD_REPLICA=1`` the read-only
cursors on a streaming replica. Its own config file (``odoo-scale.conf``), so
the plain ``odoo.conf`` other commands use stays as it is."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .odoo_cli import odoo_info, write_config
from .replica import ensure_replica
from .util import Fail


def env_workers():
    raw = os.environ.get("SD_WORKERS", "")
    if not raw:
        return 0
    if not raw.isdigit():
        raise Fail(f"SD_WORKERS={raw!r} is not a number of workers")
    return int(raw)


def env_replica():
    return os.environ.get("SD_REPLICA", "") not in ("", "0", "no", "false")


def scale_config(params, paths, port, workers, replica, name="odoo-scale.conf", log_level="warn", extra=None):
    """Write the multi-process config; ``replica`` is the replica's psycopg2
    parameters or None, ``extra`` more options. Return (config path, data_dir)."""
    more = extra or {}
    extra = {
        "http_port": port,
        "http_interface": os.environ.get("SD_HTTP_INTERFACE", "127.0.0.1"),
        "gevent_port": int(os.environ.get("SD_GEVENT_PORT", str(port + 3))),
        "workers": workers,
        "max_cron_threads": 2,
        # per worker: the pool of each process, not of the whole server
        "db_maxconn": 16,
        "limit_memory_soft": 2048 * 1024 * 1024,
        "limit_memory_hard": 2560 * 1024 * 1024,
        "limit_time_cpu": 120,
        "limit_time_real": 240,
        "limit_request": 65536,
        "log_level": log_level,
        **more,
    }
    if replica:
        extra.update(
            {
                "db_replica_host": replica["host"],
                "db_replica_port": replica["port"],
                "db_replica_user": replica["user"],
            }
        )
    conf, data_dir = write_config(params, paths, extra, name=name)
    # write_config appends ``extra`` after its defaults: keep the last value
    # of each key (configparser refuses duplicates)
    merged = {}
    for line in conf.read_text().splitlines()[1:]:
        key, _sep, value = line.partition(" = ")
        merged[key] = value
    conf.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in merged.items()))
    return conf, data_dir


def prepare(params, workers, use_replica):
    """The replica parameters (started and caught up) when asked, else None."""
    if use_replica:
        if not workers:
            raise Fail("SD_REPLICA=1 goes with SD_WORKERS=N (the multi-process server)")
        return ensure_replica(params)
    return None


def server_cmd(conf, *args):
    """Odoo's server through ``odoo-bin``: the prefork master starts the
    gevent worker as ``sys.argv[0] gevent``, which ``python -m odoo`` cannot
    be."""
    info = odoo_info()
    odoo_bin = Path(info[1][0]).parent.parent / "odoo-bin" if info else None
    if not odoo_bin or not odoo_bin.exists():
        raise Fail("odoo-bin not found next to the odoo package: the multi-process server needs it")
    return [sys.executable, str(odoo_bin), "-c", str(conf), *args]


def start_server(conf, db, log_path):
    """Start Odoo on ``conf`` serving only ``db``; return the process."""
    log = open(log_path, "w")  # noqa: SIM115 (closed by stop_server)
    proc = subprocess.Popen(
        server_cmd(conf, "-d", db, f"--db-filter=^{db}$"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    proc.sd_log = log
    return proc


def wait_http(port, proc, timeout=180):
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/web/login"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Fail(f"Odoo exited with code {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:  # loopback only
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise Fail(f"Odoo does not answer on {url} after {timeout}s")


def stop_server(proc, timeout=60):
    """Stop the server we started (its process group: the prefork master and
    its workers), gracefully first."""
    import signal

    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    proc.sd_log.close()
