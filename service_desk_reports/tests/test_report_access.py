# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServiceDeskReportCommon

REPORTS = (
    "service.desk.case.report",
    "service.desk.sla.report",
    "service.desk.rating.report",
    "service.desk.backlog.report",
)


@tagged("post_install", "-at_install")
class TestReportAccess(ServiceDeskReportCommon):
    def test_agent_counts_only_own_groups(self):
        # Boris is a member of Payments L2 only: c4 and c5.
        per_team = dict(self._groups("service.desk.case.report", [], ["team_id"], ["__count"], user=self.user_agent2))
        self.assertEqual(per_team, {self.team_payments: 2})
        sla_cases = self.env["service.desk.sla.report"].with_user(self.user_agent2).search([])
        self.assertEqual(sla_cases.case_id, self.c4 | self.c5)
        ratings = self.env["service.desk.rating.report"].with_user(self.user_agent2).search([])
        self.assertEqual(ratings.case_id, self.c4)
        backlog = self.env["service.desk.backlog.report"].with_user(self.user_agent2).search([])
        self.assertEqual(backlog.case_id, self.c4 | self.c5)

    def test_agent_sees_cases_assigned_to_him(self):
        # Eva is a member of Payments L2 and Events L2: c4, c5, c6.
        cases = self.env["service.desk.case.report"].with_user(self.user_engineer).search([])
        self.assertEqual(cases.case_id, self.c4 | self.c5 | self.c6)
        self.assertEqual(cases.case_id, self.env["service.desk.case"].with_user(self.user_engineer).search([]))

    def test_supervisor_sees_all(self):
        count = (
            self.env["service.desk.case.report"]
            .with_user(self.user_leader)
            .search_count([("case_id", "in", self.cases.ids)])
        )
        self.assertEqual(count, 7)

    def test_reports_are_read_only(self):
        for model in REPORTS:
            Report = self.env[model].with_user(self.user_manager)
            self.assertTrue(Report.has_access("read"), model)
            self.assertFalse(Report.has_access("write"), model)
            self.assertFalse(Report.has_access("create"), model)
            self.assertFalse(Report.has_access("unlink"), model)
        with self.assertRaises(AccessError):
            self.env["service.desk.case.report"].with_user(self.user_requester).search([])
