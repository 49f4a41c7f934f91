# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

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


@tagged("post_install", "-at_install")
class TestReportAgentRule(ServiceDeskReportCommon):
    """The four reports share their dimensions and the agents' rule through
    ``service.desk.report.mixin``: each report shows an agent exactly the
    rows of the cases he may open."""

    def _visible(self, model, user):
        rows = self.env[model].with_user(user).search([("case_id", "in", self.cases.ids)])
        return rows.case_id

    def _expected(self, model, user):
        cases = self.env["service.desk.case"].with_user(user).search([("id", "in", self.cases.ids)]).sudo()
        with_rows = self.env[model].sudo().search([("case_id", "in", self.cases.ids)]).case_id
        return cases & with_rows

    def _assert_mirrors_cases(self, user):
        for model in REPORTS:
            self.assertEqual(self._visible(model, user), self._expected(model, user), f"{model} as {user.login}")

    def test_one_agent_rule_on_shared_dimensions(self):
        group_user = self.env.ref("service_desk_cases.group_service_desk_user")
        rules = self.env["ir.rule"].search([("model_id.model", "in", REPORTS), ("groups", "in", group_user.ids)])
        self.assertEqual(set(rules.model_id.mapped("model")), set(REPORTS))
        domain = "user.env['service.desk.report.mixin']._agent_domain(user)"
        self.assertEqual(set(rules.mapped("domain_force")), {domain})
        for model in REPORTS:
            self.assertIn("service.desk.report.mixin", self.env[model]._inherit, model)

    def test_agents_see_the_rows_of_the_cases_they_may_open(self):
        for user in (self.user_operator, self.user_agent, self.user_agent2, self.user_engineer):
            self._assert_mirrors_cases(user)
        self.assertEqual(self._visible("service.desk.backlog.report", self.user_operator), self.c7)

    def test_group_leader_and_see_all_groups(self):
        leader = new_test_user(self.env, login="sd_events_lead", groups="service_desk_cases.group_service_desk_user")
        self.team_events.leader_id = leader
        self.assertEqual(self._visible("service.desk.case.report", leader), self.c6)
        self._assert_mirrors_cases(leader)
        self.team_first.member_see_all = True
        self.assertEqual(self._visible("service.desk.case.report", self.user_operator), self.cases)
        self._assert_mirrors_cases(self.user_operator)

    def test_sla_report_uses_the_sla_vocabulary(self):
        Sla, Report = self.env["service.desk.case.sla"], self.env["service.desk.sla.report"]
        for fname in ("target", "state"):
            self.assertEqual(Report._fields[fname].selection, Sla._fields[fname].selection, fname)
        self.assertEqual(
            self.env["service.desk.case.report"]._fields["priority"].selection,
            Report._fields["priority"].selection,
        )

    def test_archived_group_keeps_its_rows_for_members(self):
        # Archiving a group must not hide its cases' report rows from its
        # members, as the case rule does not hide the cases themselves.
        self.team_payments.action_archive()
        self.env.flush_all()
        self.assertEqual(self._visible("service.desk.case.report", self.user_agent2), self.c4 | self.c5)
        self._assert_mirrors_cases(self.user_agent2)
