# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``make loadtest``: Locust, headless, against the local multi-process
server on 127.0.0.1 only, three times (1 worker; N workers; N workers with
the streaming replica), each on a fresh copy of the demo database. It prints
and writes ``loadtest/results/<stamp>.json``: throughput, p50/p95/p99 per
action, errors, the share of the SQL queries and of the read queries the
replica served (from Odoo's request log, with the probe module) and of the
transactions and rows read (pg_stat_database), the CPU each part used, a
check that every case the load created exists with its number, SLA rows
and group email, and one that the SLA rows it made overdue were escalated
once each under the two cron workers. Figures cover the window after every
user has logged in.

Knobs: SD_LOADTEST_USERS (10), SD_LOADTEST_TIME (35, seconds per run),
SD_LOADTEST_WORKERS (2), SD_LOADTEST_RUNS (``1,N,N+replica``),
SD_LOADTEST_WAIT (1.0: a user's think time is up to that many seconds; 0
saturates the server), SD_LOADTEST_NICE (10: Locust's nice level).

Side by side with other runs on one PostgreSQL: SD_LOADTEST_DB (sd_loadtest)
and SD_LOADTEST_PORT (28169; the gevent port is 3 above) name the database
and the HTTP port; a database name other than the default also names the
run's config file and server logs after it. SD_LOADTEST_TEMPLATE names a
database with the addons installed (with demo data) to copy for each run
instead of the harness's template, which is then neither built nor pruned.

Capacity mode, for "2 workers versus 1 at equal p95": SD_LOADTEST_STEPS
(users per step, e.g. 4,8,12,16,24), SD_LOADTEST_STEP_TIME (20 s measured
per step), SD_LOADTEST_P95 (500 ms): runs ``1,N`` by default, each step
measured once its users are logged in, and gives each run's interactive
requests per second at the p95 target and the ratio to 1 worker."""

import collections
import csv
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
import urllib.request
import xmlrpc.client
from datetime import UTC, datetime

from .odoo_cli import require_odoo, write_config
from .pg import db_copy, ensure_pg, pg_connect
from .replica import ensure_replica, primary_lsn, wait_replayed
from .scale import scale_config, start_server, stop_server, wait_http
from .templates import ensure_template
from .util import REPO, Fail, cache_dir, logs_dir, pip_requirements, say

LT_DB = os.environ.get("SD_LOADTEST_DB", "sd_loadtest")
LT_PORT = int(os.environ.get("SD_LOADTEST_PORT", "28169"))
LT_TEMPLATE = os.environ.get("SD_LOADTEST_TEMPLATE", "")
# the default database's config and logs keep their names; another's are named after it
LT_NAME = "loadtest" if LT_DB == "sd_loadtest" else LT_DB
RESULTS = REPO / "loadtest" / "results"
# the server-wide module that counts each request's read queries in the log
PROBE_PATH = REPO / "loadtest" / "odoo"
LOCUST_NICE = int(os.environ.get("SD_LOADTEST_NICE", "10"))
# capacity mode: users per step (SD_LOADTEST_STEPS=4,8,16,24), each measured
# SD_LOADTEST_STEP_TIME seconds once its users are logged in
STEPS = [int(n) for n in os.environ.get("SD_LOADTEST_STEPS", "").split(",") if n.strip()]
STEP_TIME = int(os.environ.get("SD_LOADTEST_STEP_TIME", "20"))
P95_TARGET_MS = int(os.environ.get("SD_LOADTEST_P95", "500"))


def _snapshot(locust_pid, server, log_path):
    """The CPU counters (the machine's, Locust's, the harness's) and the
    server log's length, now."""
    try:
        with open(f"/proc/{locust_pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        locust_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError):
        locust_cpu = 0.0
    harness = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu": _cpu_snapshot(server.pid),
        "locust_cpu": locust_cpu,
        "harness_cpu": harness.ru_utime + harness.ru_stime,
        "log_offset": len(log_path.read_text(errors="replace")),
    }


def _ended(pid):
    # waitid with WNOWAIT: whether the child ended, without reaping it (so
    # that wait4 can still read its CPU time)
    return bool(os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT))


def _measure_window(mark, locust_proc, server, log_path):
    """Wait for Locust to say the measured window starts (its users are all
    logged in, then SD_LOADTEST_SETTLE seconds), then take a snapshot."""
    while not mark.exists() and not _ended(locust_proc.pid):
        time.sleep(0.1)
    return _snapshot(locust_proc.pid, server, log_path)


def _watch_steps(steps_out, locust_proc, server, log_path, seen, stop):
    """Capacity steps: a snapshot at each step's start and end, as Locust
    writes them (a thread, until ``stop`` is set once Locust ended)."""
    done = 0
    while True:
        ended = stop.is_set()
        lines = steps_out.read_text().splitlines() if steps_out.exists() else []
        for line in lines[done:]:
            seen.append((json.loads(line), _snapshot(locust_proc.pid, server, log_path)))
        done = len(lines)
        if ended:
            return
        time.sleep(0.2)


def _capacity(steps, target_ms):
    """Interactive requests per second at the p95 target: the steps by
    growing users up to the first one that misses it (too slow, or a
    failure); the best of them, or the straight line from the last one to
    the first one past the target when that one only was too slow."""
    best, past = None, None
    for step in sorted(steps, key=lambda s: s["users"]):
        if step["failures"] or step["p95_ms"] > target_ms:
            past = step
            break
        if best is None or step["rps"] >= best["rps"]:
            best = step
    if best is None:
        return {"rps": 0, "how": f"no step within p95 {target_ms} ms"}
    if past is None:
        return {"rps": best["rps"], "users": best["users"], "how": "the best step (not saturated: add users)"}
    if past["failures"] or past["rps"] <= best["rps"]:
        return {"rps": best["rps"], "users": best["users"], "how": "the best step before the target was missed"}
    share = (target_ms - best["p95_ms"]) / (past["p95_ms"] - best["p95_ms"])
    rps = best["rps"] + share * (past["rps"] - best["rps"])
    return {"rps": round(rps, 2), "users": [best["users"], past["users"]], "how": "interpolated between steps"}


def _venv():
    """Locust lives in its own virtualenv: its gevent, Werkzeug and requests
    pins differ from Odoo's, so it must not touch Odoo's interpreter."""
    venv = cache_dir() / "loadtest-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        say(f"creating the Locust virtualenv in {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    res = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(REPO / "loadtest" / "requirements.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    if res.returncode:
        raise Fail(f"pip could not install loadtest/requirements.txt: {(res.stderr.strip().splitlines() or ['?'])[-1]}")
    return venv / "bin" / "locust"


def _db_stats(params, db):
    """Transactions and rows read in ``db`` on one cluster (pg_stat_database)."""
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute("SELECT pg_stat_clear_snapshot()")
        cr.execute(
            "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s",
            [db],
        )
        row = cr.fetchone() or (0, 0)
    conn.close()
    return {"xacts": int(row[0]), "rows_read": int(row[1])}


def _stats_rows(prefix):
    rows = {}
    with open(f"{prefix}_stats.csv") as fh:
        for row in csv.DictReader(fh):
            name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
            count = int(row["Request Count"])
            if not count:
                # logins and setup calls, all done before the measured window
                continue
            rows[name] = {
                "type": row["Type"],
                "requests": count,
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "avg_ms": round(float(row["Average Response Time"] or 0), 1),
            }
    return rows


def _verify(params, created_path):
    """Every case the load created exists, with its number, SLA rows, and the
    new-case email to its group when the group has members."""
    created = json.loads(created_path.read_text()) if created_path.exists() else []
    ids = sorted({c for c in created if isinstance(c, int)})
    conn = pg_connect(params, LT_DB)
    with conn.cursor() as cr:
        cr.execute(
            """
            SELECT c.id,
                   c.number IS NOT NULL AND c.number NOT IN ('New', '/'),
                   EXISTS (SELECT 1 FROM service_desk_case_sla s WHERE s.case_id = c.id),
                   c.team_id IS NOT NULL,
                   c.team_id IS NULL
                   OR NOT EXISTS (SELECT 1 FROM service_desk_team_member_rel r WHERE r.team_id = c.team_id)
                   OR EXISTS (SELECT 1 FROM mail_message m JOIN mail_mail mm ON mm.mail_message_id = m.id
                               WHERE m.model = 'service.desk.case' AND m.res_id = c.id)
              FROM service_desk_case c
             WHERE c.id = ANY(%s)
            """,
            [ids],
        )
        rows = cr.fetchall()
        cr.execute("SELECT count(*), count(DISTINCT number) FROM service_desk_case WHERE name LIKE 'LT %%'")
        marked, distinct_numbers = cr.fetchone()
    conn.close()
    found = {r[0] for r in rows}
    return {
        "created_reported": len(ids),
        "found": len(found),
        "lost": len(set(ids) - found),
        "without_number": sum(1 for r in rows if not r[1]),
        "without_sla_rows": sum(1 for r in rows if not r[2]),
        "with_group": sum(1 for r in rows if r[3]),
        "without_group_email": sum(1 for r in rows if not r[4]),
        "load_cases_in_db": marked,
        "duplicate_numbers": marked - distinct_numbers,
    }


def _warm_up(port, workers):
    """Each worker loads the registry on its first request and the first
    portal page builds the asset bundles: do that before measuring."""
    from concurrent.futures import ThreadPoolExecutor

    def hit(path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as resp:
                resp.read()
        except OSError:
            pass

    paths = ["/web/login", "/my/cases", "/web/login?redirect=/odoo"] * (2 * workers + 2)
    with ThreadPoolExecutor(max_workers=2 * workers + 2) as pool:
        list(pool.map(hit, paths))

    # The mail gateway calls XML-RPC with a password, which each worker checks
    # once with PBKDF2 (about 300 ms of CPU) and then caches: an MTA that runs
    # all day never pays it, so pay it on every worker now, with calls at once.
    def gateway_auth(_n):
        try:
            models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")
            models.execute_kw(LT_DB, 2, "admin", "mail.alias", "search_count", [[]])
        except (OSError, xmlrpc.client.Error):
            pass

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(gateway_auth, range(4 * workers)))


# the request lines of Odoo's log: path, status, then its perf info (queries,
# query time, other time) and, when db_replica_host is set, the cursor mode:
# ro (the replica), rw (the primary), ro->rw (started on the replica, wrote,
# ran again on the primary), and the probe's count of the queries that read
# (loadtest/odoo/sd_loadtest_probe)
REQUEST_RE = re.compile(
    r'"(?P<verb>GET|POST) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d+) - '
    r"(?P<queries>\d+) [\d.]+ [\d.]+ (?P<mode>ro->rw|ro|rw|-)(?: r(?P<reads>\d+))?"
)


# routes whose work runs in a read/write cursor of their own (XML-RPC's
# execute_kw, the login) whatever the request's cursor mode says
OWN_CURSOR = ("/xmlrpc/", "/jsonrpc", "/web/session/authenticate")


def _route(verb, path):
    path = path.split("?")[0]
    path = re.sub(r"/my/cases/\d+", "/my/cases/<id>", path)
    return f"{verb} {path}"


def _served_by(log_text):
    """Per route, how many requests each cursor mode served, and the share
    of the load's SQL queries, and of its read queries (SELECT), that ran on
    the replica. A request that started on the replica and wrote (``ro->rw``)
    counts as the primary's."""
    routes = {}
    queries = {"ro": 0, "rw": 0, "ro->rw": 0}
    reads = {"ro": 0, "rw": 0, "ro->rw": 0}
    counted_reads = False
    for match in REQUEST_RE.finditer(log_text):
        mode = match["mode"]
        if mode == "-":
            continue
        if match["path"].startswith(OWN_CURSOR):
            mode = "rw"
        row = routes.setdefault(_route(match["verb"], match["path"]), {"ro": 0, "rw": 0, "ro->rw": 0, "queries": 0})
        row[mode] += 1
        row["queries"] += int(match["queries"])
        queries[mode] += int(match["queries"])
        if match["reads"] is not None:
            counted_reads = True
            reads[mode] += int(match["reads"])
    total = sum(queries.values())
    total_reads = sum(reads.values())
    return {
        "routes": routes,
        "queries": queries,
        "queries_on_replica_pct": round(100 * queries["ro"] / total, 1) if total else 0,
        "read_queries": reads if counted_reads else None,
        "read_queries_on_replica_pct": round(100 * reads["ro"] / total_reads, 1) if total_reads else None,
    }


def _pg_postmaster(data_dir):
    try:
        return int((data_dir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _cpu_snapshot(server_pgid):
    """CPU seconds used so far per process, with its group: the Odoo server
    (its process group, with the workers it reaped), the load-test
    database's backends on the primary and on the replica, the clusters'
    other processes (their background workers and the other databases'
    backends: other jobs); and the whole machine's (/proc/stat). Locust is
    measured by the harness itself."""
    hz = os.sysconf("SC_CLK_TCK")
    pg_base = cache_dir() / "pg"
    primary = _pg_postmaster(pg_base / "data")
    replica = _pg_postmaster(pg_base / "replica-data")
    procs = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                title = fh.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid, pgrp = int(fields[1]), int(fields[2])
        own, reaped = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        if server_pgid and pgrp == server_pgid:
            procs[pid] = ("odoo", (own + reaped) / hz)
        elif ppid and ppid in (primary, replica):
            cluster = "primary" if ppid == primary else "replica"
            procs[pid] = (f"pg_{cluster}_{'load_db' if f' {LT_DB} ' in title else 'other'}", own / hz)
        elif int(pid) in (primary, replica):
            procs[pid] = (f"pg_{'primary' if int(pid) == primary else 'replica'}_other", own / hz)
    with open("/proc/stat") as fh:
        cpu = [int(v) for v in fh.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    return {
        "procs": procs,
        "machine_busy": (sum(cpu[:8]) - cpu[3] - cpu[4]) / hz,
        "machine_all": sum(cpu[:8]) / hz,
    }


def _cpu_split(before, after, locust_seconds, harness_seconds):
    """CPU seconds per group over the measured window, as a share of the
    machine's cores (100 % = one core busy the whole window). A process
    that ended within the window is left out (its time is in "everything
    else"), one that started is counted from zero."""
    delta = collections.Counter()
    for pid, (group, seconds) in after["procs"].items():
        delta[group] += seconds - before["procs"].get(pid, (group, 0))[1]
    delta = {k: round(v, 2) for k, v in delta.items()}
    cores = os.cpu_count() or 1
    wall = (after["machine_all"] - before["machine_all"]) / cores
    busy = after["machine_busy"] - before["machine_busy"]
    delta["locust"] = round(locust_seconds, 2)
    delta["harness"] = round(harness_seconds, 2)
    delta["everything_else"] = round(busy - sum(delta.values()), 2)
    return {
        "window_seconds": round(wall, 1),
        "cores": cores,
        "cpu_seconds": delta,
        "machine_busy_pct": round(100 * busy / (wall * cores), 1) if wall else 0,
        "pct_of_one_core": {k: round(100 * v / wall, 1) for k, v in delta.items()} if wall else {},
    }


def _escalation_burst(params, stamp_rows):
    """Make up to 60 running SLA rows (of the cases the load created) overdue and wake the
    escalation job now, while the load runs: both cron workers get the
    notification, and the HTTP workers are busy at the same time."""
    conn = pg_connect(params, LT_DB)
    with conn.cursor() as cr:
        cr.execute(
            """
            UPDATE service_desk_case_sla s
               SET deadline = now() at time zone 'UTC' - interval '3 hours',
                   next_escalation_at = now() at time zone 'UTC' - interval '1 minute'
             WHERE s.id IN (
                    SELECT id FROM service_desk_case_sla
                     WHERE state = 'running' AND coalesce(escalation_level, 0) = 0
                       AND NOT coalesce(warning_sent, false) AND id NOT IN %s
                     ORDER BY id LIMIT 60)
            RETURNING s.id
            """,
            [tuple(stamp_rows) or (0,)],
        )
        stamp_rows.extend(row[0] for row in cr.fetchall())
        cr.execute(
            """
            INSERT INTO ir_cron_trigger (cron_id, call_at)
            SELECT res_id, now() at time zone 'UTC' FROM ir_model_data
             WHERE module = 'service_desk_sla' AND name = 'ir_cron_sla_escalate'
            """
        )
    conn.close()
    # the cron workers listen on the postgres database, as Odoo notifies them
    conn = pg_connect(params)
    with conn.cursor() as cr:
        cr.execute("SELECT pg_notify('cron_trigger', %s)", [LT_DB])
    conn.close()


def _escalation_check(params, rows, since):
    """The rows made overdue were escalated, each mail once."""
    if not rows:
        return {"rows_made_due": 0}
    conn = pg_connect(params, LT_DB)
    with conn.cursor() as cr:
        cr.execute(
            "SELECT count(*) FILTER (WHERE escalation_level > 0 OR warning_sent OR state <> 'running'), "
            "count(*) FILTER (WHERE next_escalation_at <= now() at time zone 'UTC') "
            "FROM service_desk_case_sla WHERE id = ANY(%s)",
            [rows],
        )
        escalated, still_due = cr.fetchone()
        cr.execute(
            """
            SELECT count(*), count(*) - count(DISTINCT (m.res_id, m.subject, md5(coalesce(mm.body_html, ''))))
              FROM mail_mail mm JOIN mail_message m ON m.id = mm.mail_message_id
             WHERE m.model = 'service.desk.case' AND m.is_internal AND mm.create_date >= %s
               AND m.res_id IN (SELECT case_id FROM service_desk_case_sla WHERE id = ANY(%s))
            """,
            [since, rows],
        )
        mails, duplicates = cr.fetchone()
    conn.close()
    return {
        "rows_made_due": len(rows),
        "rows_escalated": escalated,
        "rows_still_due": still_due,
        "escalation_mails": mails,
        "duplicate_mails": duplicates,
    }


def _one_run(label, params, paths, tpl, data_dir, workers, with_replica, locust, users, seconds, stamp):
    say(f"run {label}: fresh {LT_DB}, {workers} worker(s){', replica' if with_replica else ''}")
    db_copy(params, tpl, LT_DB, data_dir)
    replica = None
    if with_replica:
        replica = ensure_replica(params)
        wait_replayed(replica, primary_lsn(params))
    # log_level info: Odoo's request lines carry each request's query count and cursor mode
    conf, _data = scale_config(
        params,
        [*paths, str(PROBE_PATH)],
        LT_PORT,
        workers,
        replica,
        name=f"odoo-{LT_NAME}.conf",
        log_level="info",
        extra={"server_wide_modules": "base,web,sd_loadtest_probe"},
    )
    log_path = logs_dir() / f"{LT_NAME}-{label}.log"
    proc = start_server(conf, LT_DB, log_path)
    try:
        wait_http(LT_PORT, proc)
        _warm_up(LT_PORT, workers)
        prefix = RESULTS / f"{stamp}-{label}"
        created = RESULTS / f"{stamp}-{label}-created.json"
        before = {"primary": _db_stats(params, LT_DB)}
        if replica:
            before["replica"] = _db_stats(replica, LT_DB)
        mark = RESULTS / f"{stamp}-{label}-measure-from"
        mark.unlink(missing_ok=True)
        steps_out = RESULTS / f"{stamp}-{label}-steps.jsonl"
        steps_out.unlink(missing_ok=True)
        env = {
            **os.environ,
            "SD_LT_DB": LT_DB,
            "SD_LT_CREATED": str(created),
            "SD_LT_RUN": f"{stamp}-{label}",
            "SD_LT_MEASURE_MARK": str(mark),
            "SD_LT_STEPS_OUT": str(steps_out),
        }
        cmd = [
            str(locust),
            "-f",
            str(REPO / "loadtest" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{LT_PORT}",
            # capacity steps: the locustfile's shape sets the users and the end
            *([] if STEPS else ["-u", str(users), "-r", str(max(1, users // 2)), "-t", f"{seconds}s"]),
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        t0 = time.monotonic()
        since = datetime.now(UTC).replace(tzinfo=None)
        due_rows = []
        timers = [threading.Timer(seconds * k / 3, _escalation_burst, args=(params, due_rows)) for k in (1, 2)]
        for timer in timers:
            timer.start()
        locust_log = RESULTS / f"{stamp}-{label}-locust.log"
        with open(locust_log, "w") as out:
            # Locust yields the cores to the server it measures (SD_LOADTEST_NICE)
            locust_proc = subprocess.Popen(
                ["nice", "-n", str(LOCUST_NICE), *cmd], stdout=out, stderr=subprocess.STDOUT, env=env
            )
            # a run that does not end (a stuck capacity step) is stopped
            watchdog = threading.Timer(seconds + 150 * (len(STEPS) + 1), locust_proc.terminate)
            watchdog.start()
            steps_seen, stop = [], threading.Event()
            if STEPS:
                watcher = threading.Thread(
                    target=_watch_steps, args=(steps_out, locust_proc, proc, log_path, steps_seen, stop), daemon=True
                )
                watcher.start()
            else:
                window = _measure_window(mark, locust_proc, proc, log_path)
            # wait4: the child's own CPU time (nice execs Locust in its place)
            _pid, status, usage = os.wait4(locust_proc.pid, 0)
            locust_proc.returncode = os.waitstatus_to_exitcode(status)
            watchdog.cancel()
            stop.set()
        if STEPS:
            watcher.join()
            steps, window, last = [], None, None
            for line, snap in steps_seen:
                if line["event"] == "start":
                    window = window or snap
                    start = snap
                else:
                    last = snap
                    split = _cpu_split(
                        start["cpu"],
                        snap["cpu"],
                        snap["locust_cpu"] - start["locust_cpu"],
                        snap["harness_cpu"] - start["harness_cpu"],
                    )
                    steps.append({**{k: v for k, v in line.items() if k not in ("event", "time")}, "cpu": split})
            if not (window and last):
                raise Fail(f"Locust measured no capacity step (log: {locust_log})")
            cpu = _cpu_split(
                window["cpu"],
                last["cpu"],
                last["locust_cpu"] - window["locust_cpu"],
                last["harness_cpu"] - window["harness_cpu"],
            )
        else:
            steps = None
            cpu_after = _cpu_snapshot(proc.pid)
            harness_after = resource.getrusage(resource.RUSAGE_SELF)
            cpu = _cpu_split(
                window["cpu"],
                cpu_after,
                usage.ru_utime + usage.ru_stime - window["locust_cpu"],
                harness_after.ru_utime + harness_after.ru_stime - window["harness_cpu"],
            )
        for timer in timers:
            timer.join()
        wall = time.monotonic() - t0
        # the cron workers finish the escalation batches of the last burst
        time.sleep(5)
        stop_server(proc)
        # the server's backends sent their statistics as they closed
        time.sleep(2)
        after = {"primary": _db_stats(params, LT_DB)}
        if replica:
            wait_replayed(replica, primary_lsn(params))
            after["replica"] = _db_stats(replica, LT_DB)
    finally:
        stop_server(proc)
    if not os.path.exists(f"{prefix}_stats.csv"):
        raise Fail(f"Locust wrote no statistics (log: {locust_log})")
    delta = {k: {m: after[k][m] - before[k][m] for m in after[k]} for k in after}
    share = None
    if replica:
        total_x = delta["primary"]["xacts"] + delta["replica"]["xacts"]
        total_r = delta["primary"]["rows_read"] + delta["replica"]["rows_read"]
        share = {
            "transactions_on_replica_pct": round(100 * delta["replica"]["xacts"] / total_x, 1) if total_x else 0,
            "rows_read_on_replica_pct": round(100 * delta["replica"]["rows_read"] / total_r, 1) if total_r else 0,
        }
    log_text = log_path.read_text(errors="replace")
    # the request lines of the measured window only (not the warm-up, the logins, the users' setup)
    measured_log = log_text[window["log_offset"] :]
    actions = _stats_rows(prefix)
    # logging in (PBKDF2, once a session) and the users' setup are not the
    # interactive actions the p95 target is about
    interactive = {k: v for k, v in actions.items() if k not in ("ALL", "login", "setup")}
    worst = max(interactive.items(), key=lambda kv: kv[1]["p95_ms"], default=("", {"p95_ms": 0}))
    return {
        "label": label,
        "workers": workers,
        "replica": bool(replica),
        "users": users,
        "seconds": seconds,
        "wait_max_seconds": float(os.environ.get("SD_LOADTEST_WAIT", "1.0")),
        "wall_seconds": round(wall, 1),
        "actions": actions,
        "interactive_rps": round(sum(v["rps"] for v in interactive.values()), 2),
        "interactive_worst_p95": {"action": worst[0], "p95_ms": worst[1]["p95_ms"]},
        "pg_stat_database_delta": delta,
        "replica_share": share,
        "served_by": _served_by(measured_log) if replica else None,
        "cpu": cpu,
        "steps": steps,
        "capacity_at_p95": {"p95_target_ms": P95_TARGET_MS, **_capacity(steps, P95_TARGET_MS)} if steps else None,
        "ro_to_rw_retries": log_text.count("retrying with a read/write cursor"),
        "serialization_failures_logged": log_text.count("could not serialize access"),
        "server_errors_logged": sum(1 for line in log_text.splitlines() if " ERROR " in line),
        "verify": _verify(params, created),
        "escalation": {
            **_escalation_check(params, due_rows, since),
            # the job's runs, by cron worker process (its pid in the log)
            "job_runs_by_cron_worker": {
                pid: n
                for pid, n in collections.Counter(
                    re.findall(
                        r"^\S+ \S+ (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: Job "
                        r"'[^']*SLA[^']*' \(\d+\) completed",
                        log_text,
                        re.MULTILINE,
                    )
                ).items()
            },
        },
    }


def _print(run):
    load = (
        f"steps of {','.join(str(step['users']) for step in run['steps'])} users, {STEP_TIME}s each"
        if run["steps"]
        else f"{run['users']} users, {run['seconds']}s"
    )
    say(f"{run['label']}: {run['workers']} worker(s){' + replica' if run['replica'] else ''}, {load}")
    if run["steps"]:
        print("  the actions of the last step:")
    print(f"  {'action':34} {'reqs':>6} {'err':>4} {'rps':>6} {'p50':>6} {'p95':>6} {'p99':>6}")
    for name, row in run["actions"].items():
        print(
            f"  {name[:34]:34} {row['requests']:6d} {row['failures']:4d} {row['rps']:6.2f} "
            f"{row['p50_ms']:6.0f} {row['p95_ms']:6.0f} {row['p99_ms']:6.0f}"
        )
    print(f"  interactive actions: {run['interactive_rps']} /s, worst p95 {run['interactive_worst_p95']}")
    if run["replica_share"]:
        print(f"  replica share: {run['replica_share']}")
        served = run["served_by"]
        print(f"  SQL queries on the replica: {served['queries_on_replica_pct']}% {served['queries']}")
        if served["read_queries"]:
            print(
                f"  read queries (SELECT) on the replica: {served['read_queries_on_replica_pct']}% "
                f"{served['read_queries']}"
            )
        print("  requests by cursor: ro = replica, rw = primary, ro->rw = replica then primary (it wrote)")
        for route, row in sorted(served["routes"].items()):
            print(
                f"    {route[:70]:70} ro {row['ro']:4d}  rw {row['rw']:4d}  ro->rw {row['ro->rw']:3d}"
                f"  queries {row['queries']:6d}"
            )
    print(
        f"  ro->rw retries {run['ro_to_rw_retries']}, server ERROR lines {run['server_errors_logged']}, "
        f"serialization failures {run['serialization_failures_logged']}"
    )
    for step in run["steps"] or []:
        share = step["cpu"]["pct_of_one_core"]
        server = sum(v for k, v in share.items() if k == "odoo" or k.endswith("load_db"))
        print(
            f"  step {step['users']:3d} users: {step['rps']:6.2f} interactive req/s, p50/p95/p99 "
            f"{step['p50_ms']}/{step['p95_ms']}/{step['p99_ms']} ms, {step['failures']} failures, "
            f"worst {step['worst_action_p95']}; CPU % of one core: server {server:.0f}, "
            f"Locust {share.get('locust', 0):.0f}, everything else {share.get('everything_else', 0):.0f}"
        )
    if run["capacity_at_p95"]:
        print(f"  capacity: {run['capacity_at_p95']}")
    cpu = run["cpu"]
    print(
        f"  CPU over the {cpu['window_seconds']} s measured, % of one core ({cpu['cores']} cores, "
        f"machine {cpu['machine_busy_pct']}% busy): {cpu['pct_of_one_core']}"
    )
    print(f"  verify: {run['verify']}")
    print(f"  escalation under 2 cron workers and the load: {run['escalation']}", flush=True)


def cmd_loadtest(_args):
    try:
        users = int(os.environ.get("SD_LOADTEST_USERS", "10"))
        seconds = int(os.environ.get("SD_LOADTEST_TIME", "35"))
        workers = int(os.environ.get("SD_LOADTEST_WORKERS", "2"))
        runs = os.environ.get("SD_LOADTEST_RUNS", "1,N" if STEPS else "1,N,N+replica").split(",")
        if not (1 <= users <= 50 and 5 <= seconds <= 300 and 1 <= workers <= 16):
            raise Fail("bounded load only: SD_LOADTEST_USERS 1-50, SD_LOADTEST_TIME 5-300 s, SD_LOADTEST_WORKERS 1-16")
        if STEPS and not (len(STEPS) <= 8 and all(1 <= n <= 50 for n in STEPS) and 5 <= STEP_TIME <= 120):
            raise Fail("bounded load only: SD_LOADTEST_STEPS up to 8 steps of 1-50 users, SD_LOADTEST_STEP_TIME 5-120")
        if STEPS:
            # for the escalation bursts' timing: about the length of the run
            seconds = len(STEPS) * (STEP_TIME + 8)

        pip_requirements()
        _series, paths = require_odoo()
        params = ensure_pg()
        locust = _venv()
        conf, data_dir = write_config(params, paths, name=f"odoo-{LT_NAME}-setup.conf")
        # a given template is copied as it is: the harness's are neither built nor pruned
        tpl = LT_TEMPLATE or ensure_template(params, conf, data_dir, True, logs_dir())
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        report = {
            "date": stamp,
            "commit": commit,
            "cpus": os.cpu_count(),
            "load_avg_before": os.getloadavg(),
            "runs": [],
        }
        for spec in runs:
            spec = spec.strip()
            n = 1 if spec == "1" else workers
            with_replica = spec.endswith("+replica")
            label = f"w{n}{'-replica' if with_replica else ''}"
            run = _one_run(label, params, paths, tpl, data_dir, n, with_replica, locust, users, seconds, stamp)
            _print(run)
            report["runs"].append(run)
        report["load_avg_after"] = os.getloadavg()
        capacities = {run["label"]: run["capacity_at_p95"]["rps"] for run in report["runs"] if run["capacity_at_p95"]}
        if "w1" in capacities and len(capacities) > 1:
            one = capacities["w1"]
            report["scaling_vs_1_worker"] = {
                label: round(rps / one, 2) if one else None for label, rps in capacities.items() if label != "w1"
            }
            say(f"capacity at p95 {P95_TARGET_MS} ms: {capacities}, versus 1 worker: {report['scaling_vs_1_worker']}")
        out = RESULTS / f"{stamp}.json"
        out.write_text(json.dumps(report, indent=2))
        say(f"results written to {out}")
    except Fail as exc:
        say(f"ERROR: {exc}")
        return 1
    return 0
