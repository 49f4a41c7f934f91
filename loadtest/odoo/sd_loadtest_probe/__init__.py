# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Loaded by ``make loadtest``'s server only (``server_wide_modules``), never
installed: it counts the SQL statements of each request that read (SELECT,
or a WITH query that writes nothing) and adds ``r<count>`` to Odoo's request
log line, after the query count and the cursor mode. The harness adds them up
per cursor mode to give the share of the load's *read* queries the replica
served (the query count alone mixes reads with INSERT/UPDATE, SAVEPOINT...).
It changes no behaviour."""

import re
import threading

_DML = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _is_read(code):
    head = code.lstrip(" \n\t(")[:6].upper()
    if head == "SELECT":
        return True
    return head[:4] == "WITH" and not _DML.search(code)


def post_load():
    # (imported here: the classification above is tested without Odoo)
    from odoo import netsvc, sql_db
    from odoo.tools import SQL

    execute = sql_db.Cursor.execute
    perf_filter = netsvc.PerfFilter.filter

    def counting_execute(self, query, params=None, log_exceptions=True):
        thread = threading.current_thread()
        # a new request (Odoo stamps perf_t0 on each): start counting again
        if getattr(thread, "sd_perf_t0", None) != getattr(thread, "perf_t0", None):
            thread.sd_perf_t0 = getattr(thread, "perf_t0", None)
            thread.sd_reads = 0
        code = query.code if isinstance(query, SQL) else query
        if isinstance(code, bytes):
            code = code.decode(errors="replace")
        if _is_read(code):
            thread.sd_reads = getattr(thread, "sd_reads", 0) + 1
        return execute(self, query, params, log_exceptions)

    def filter_with_reads(self, record):
        thread = threading.current_thread()
        per_request = hasattr(thread, "query_count")
        res = perf_filter(self, record)
        if per_request:
            record.perf_info = f"{record.perf_info} r{getattr(thread, 'sd_reads', 0)}"
            thread.sd_reads = 0
        return res

    sql_db.Cursor.execute = counting_execute
    netsvc.PerfFilter.filter = filter_with_reads
