# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Unit tests of the load test's figures (``tools/sdctl/loadtest.py`` and
its probe module): neither Odoo, PostgreSQL nor Locust is needed."""

import importlib.util

from .helpers import REPO, sdctl_module

loadtest = sdctl_module("loadtest")


def _probe():
    path = REPO / "loadtest" / "odoo" / "sd_loadtest_probe" / "__init__.py"
    spec = importlib.util.spec_from_file_location("sd_loadtest_probe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_probe_counts_reads_only():
    is_read = _probe()._is_read
    assert is_read('SELECT "service_desk_case"."id" FROM "service_desk_case"')
    assert is_read("\n  (SELECT 1) UNION (SELECT 2)")
    assert is_read("WITH t AS (SELECT 1) SELECT * FROM t")
    assert not is_read("WITH t AS (UPDATE res_partner SET name = 'x' RETURNING id) SELECT * FROM t")
    assert not is_read('INSERT INTO "mail_followers" ("partner_id") VALUES (1) RETURNING "id"')
    assert not is_read('UPDATE "service_desk_team" SET "last_assigned_user_id" = 2')
    assert not is_read('SAVEPOINT "a1"')


LOG = """\
2026-11-23 00:48:53,644 9774 INFO sd_loadtest werkzeug: 127.0.0.1 - - [23/Nov/2026 00:48:53] \
"POST /web/dataset/call_kw/service.desk.case/web_read HTTP/1.1" 200 - 11 0.031 0.051 ro r11
2026-11-23 00:48:53,788 9772 INFO sd_loadtest werkzeug: 127.0.0.1 - - [23/Nov/2026 00:48:53] \
"POST /web/dataset/call_kw/service.desk.case/create HTTP/1.1" 200 - 49 0.149 0.079 rw r40
2026-11-23 00:48:54,001 9772 INFO sd_loadtest werkzeug: 127.0.0.1 - - [23/Nov/2026 00:48:54] \
"GET /my/cases/7 HTTP/1.1" 200 - 26 0.193 0.258 ro->rw r20
2026-11-23 00:48:54,101 9772 INFO sd_loadtest werkzeug: 127.0.0.1 - - [23/Nov/2026 00:48:54] \
"POST /xmlrpc/2/object HTTP/1.1" 200 - 76 0.568 0.372 ro r62
2026-11-23 00:48:54,201 9772 INFO sd_loadtest werkzeug: 127.0.0.1 - - [23/Nov/2026 00:48:54] \
"GET /web/static/img/favicon.ico HTTP/1.1" 200 - - - - -
"""


def test_replica_share_of_read_queries():
    served = loadtest._served_by(LOG)
    # XML-RPC works in a cursor of its own on the primary, whatever the log says
    assert served["routes"]["POST /xmlrpc/2/object"] == {"ro": 0, "rw": 1, "ro->rw": 0, "queries": 76}
    assert served["routes"]["GET /my/cases/<id>"]["ro->rw"] == 1
    assert served["queries"] == {"ro": 11, "rw": 49 + 76, "ro->rw": 26}
    assert served["read_queries"] == {"ro": 11, "rw": 40 + 62, "ro->rw": 20}
    # a request that started on the replica and wrote counts as the primary's
    assert served["read_queries_on_replica_pct"] == round(100 * 11 / (11 + 102 + 20), 1)


def test_capacity_at_the_p95_target():
    def step(users, rps, p95, failures=0):
        return {"users": users, "rps": rps, "p95_ms": p95, "failures": failures}

    steps = [step(4, 12.0, 200), step(8, 20.0, 300), step(16, 30.0, 700), step(24, 28.0, 2000)]
    capacity = loadtest._capacity(steps, 500)
    # halfway from 300 to 700 ms: halfway from 20 to 30 req/s
    assert capacity["rps"] == 25.0
    assert capacity["users"] == [8, 16]
    # a step with failures never counts as within the target
    assert loadtest._capacity([step(4, 12.0, 200), step(8, 20.0, 300, failures=1)], 500)["rps"] == 12.0
    assert "not saturated" in loadtest._capacity([step(4, 12.0, 200)], 500)["how"]
    assert loadtest._capacity([step(4, 12.0, 900)], 500)["rps"] == 0


def test_cpu_split_leaves_ended_processes_out():
    before = {
        "procs": {"10": ("odoo", 5.0), "20": ("pg_primary_other", 9.0), "30": ("pg_primary_load_db", 1.0)},
        "machine_busy": 100.0,
        "machine_all": 200.0,
    }
    # 20 ended (another database's backend), 40 started
    after = {
        "procs": {"10": ("odoo", 8.0), "30": ("pg_primary_load_db", 2.0), "40": ("pg_primary_other", 0.5)},
        "machine_busy": 110.0,
        "machine_all": 200.0 + 10.0 * (loadtest.os.cpu_count() or 1),
    }
    split = loadtest._cpu_split(before, after, locust_seconds=1.0, harness_seconds=0.0)
    assert split["cpu_seconds"]["odoo"] == 3.0
    assert split["cpu_seconds"]["pg_primary_other"] == 0.5
    assert split["cpu_seconds"]["everything_else"] == 10.0 - 3.0 - 1.0 - 0.5 - 1.0
    assert split["window_seconds"] == 10.0
    assert all(v >= 0 for v in split["cpu_seconds"].values())
