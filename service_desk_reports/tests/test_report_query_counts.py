# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query-count guards (upper bounds) of the paths a supervisor loads every
day: the case list's first page, the kanban and the dashboard. Their counts
must not depend on the number of cases; times are measured by ``make bench``."""

from datetime import timedelta

from odoo import fields
from odoo.osv import expression
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ServiceDeskReportCommon

OPEN_DOMAIN = [("state", "in", ["new", "in_progress", "waiting"])]


@tagged("post_install", "-at_install")
class TestReportQueryCounts(ServiceDeskReportCommon):
    def _spec(self, Case, view_type):
        arch = Case.get_views([(False, view_type)])["views"][view_type]["arch"]
        fields_ = Case._fields
        spec = {}
        for name in set(arch.split('field name="')[1:]):
            fname = name.split('"', 1)[0]
            field = fields_.get(fname)
            if field:
                spec[fname] = {"fields": {"display_name": {}}} if field.relational else {}
        return spec

    def _list_page(self, Case, spec):
        return Case.web_search_read(OPEN_DOMAIN, spec, limit=80, count_limit=10001)

    def test_list_first_page_query_count(self):
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        spec = self._spec(Case, "list")
        self._list_page(Case, spec)  # warm the caches
        Case.env.invalidate_all()
        # counted for the test's own user (the supervisor's env runs the queries)
        with self.assertQueryCount(__system__=21):
            res = self._list_page(Case, spec)
        self.assertEqual(res["length"], 4)  # c4, c5, c6, c7
        # ten times more open cases: the same number of queries
        for _i in range(40):
            self._create_case(team_id=self.team_first.id, user_id=self.user_agent.id)
        self.env.flush_all()
        Case.env.invalidate_all()
        with self.assertQueryCount(__system__=21):
            res = self._list_page(Case, spec)
        self.assertEqual(res["length"], 44)

    def test_kanban_query_count(self):
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        spec = self._spec(Case, "kanban")

        def kanban():
            groups = Case.web_read_group(OPEN_DOMAIN, ["stage_id"], ["stage_id"], lazy=True)
            for group in groups["groups"]:
                if group.get("stage_id") and not group.get("__fold"):
                    Case.web_search_read(group["__domain"], spec, limit=40)

        kanban()
        Case.env.invalidate_all()
        with self.assertQueryCount(__system__=27):
            kanban()

    def test_dashboard_load_query_count(self):
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        # computing the figures: one grouped read per chart and per pivot, the
        # record rules of the four report models (cold caches), the snapshot
        with self.assertQueryCount(__system__=45):
            Report.get_dashboard_data()
        Report.env.invalidate_all()
        # later loads read the snapshot
        with self.assertQueryCount(__system__=3):
            Report.get_dashboard_data()

    def _plan(self, query_sql):
        """The plan PostgreSQL picks when it may only walk btree indexes in
        order (no sequential, bitmap or sort): it names the index that can
        answer the query on its own, the one a large table uses."""
        cr = self.env.cr
        cr.execute("SET LOCAL enable_seqscan = off")
        cr.execute("SET LOCAL enable_bitmapscan = off")
        cr.execute("SET LOCAL enable_sort = off")
        cr.execute("SET LOCAL enable_incremental_sort = off")
        try:
            cr.execute(SQL("EXPLAIN %s", query_sql))
            return "\n".join(row[0] for row in cr.fetchall())
        finally:
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"):
                cr.execute(SQL("RESET %s", SQL.identifier(setting)))

    def test_mail_loop_guard_reads_recent_cases_only(self):
        """Odoo's mail-loop guard, once per inbound mail, counts the cases the
        sender created in the last two hours: a range of the create_date
        index, not the sender's whole history through the trigram index."""
        Case = self.env["service.desk.case"]
        limit = fields.Datetime.now() - timedelta(minutes=120)
        domain = expression.AND(
            [[("create_date", ">", limit)], Case._detect_loop_sender_domain("customer@example.com")]
        )
        plan = self._plan(Case.sudo()._search(domain).select(SQL("COUNT(*)")))
        self.assertIn("service_desk_case_create_date_idx", plan)

    def test_list_first_page_walks_the_open_cases_index(self):
        """The list's default order over the open cases is read from an index
        in that order: 80 entries, however many closed cases there are."""
        Case = self.env["service.desk.case"].with_user(self.user_leader)
        query = Case._search(OPEN_DOMAIN, limit=80, order=Case._order)
        plan = self._plan(query.select(SQL.identifier(Case._table, "id")))
        self.assertIn("service_desk_case_open_priority_id_idx", plan)
        self.assertNotIn("Sort", plan)
