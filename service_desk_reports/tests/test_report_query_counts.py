# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Query-count guards (upper bounds) of the paths a supervisor loads every
day: the case list's first page, the kanban and the dashboard. Their counts
must not depend on the number of cases; times are measured by ``make bench``."""

from odoo.tests import tagged

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
