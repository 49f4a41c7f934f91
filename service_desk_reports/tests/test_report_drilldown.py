# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ServiceDeskReportCommon


@tagged("post_install", "-at_install")
class TestReportDrilldown(ServiceDeskReportCommon):
    """Every figure of the analysis leads to the cases behind it, read with
    the rights of the user who clicks."""

    def _cases(self, model, domain, user=None, measure=None):
        Report = self.env[model].with_user(user or self.user_leader)
        action = Report.get_cases_action([("case_id", "in", self.cases.ids), *domain], measure=measure)
        self.assertEqual(action["res_model"], "service.desk.case")
        self.assertIn("form", action["view_mode"])
        return self.env["service.desk.case"].with_user(user or self.user_leader).search(action["domain"])

    def test_figure_opens_its_cases(self):
        self.assertEqual(self._cases("service.desk.case.report", [("is_late", "=", True)]), self.c2 | self.c5)
        self.assertEqual(
            self._cases("service.desk.case.report", [("team_id", "=", self.team_first.id)]),
            self.c1 | self.c2 | self.c3 | self.c7,
        )
        # an average: the cases that have a value (the rated ones)
        self.assertEqual(
            self._cases("service.desk.case.report", [], measure="rating"), self.c1 | self.c2 | self.c3 | self.c4
        )
        # one row per SLA target: each case once; the compliance of "take"
        # comes from its decided targets
        self.assertEqual(
            self._cases("service.desk.sla.report", [("target", "=", "take")], measure="compliance"),
            self.c1 | self.c2 | self.c3 | self.c4 | self.c5,
        )
        self.assertEqual(
            self._cases("service.desk.rating.report", [("department_id", "=", self.dept_finance.id)]), self.c4
        )
        self.assertEqual(self._cases("service.desk.backlog.report", []), self.c4 | self.c5 | self.c6 | self.c7)

    def test_drilldown_respects_the_agents_scope(self):
        """An agent of Payments L2 clicking "all cases" gets his groups' cases,
        not the Front Desk's; a requester gets nothing."""
        cases = self._cases("service.desk.case.report", [], user=self.user_agent2)
        self.assertEqual(cases, self.c4 | self.c5)
        with self.assertRaises(AccessError):
            self.env["service.desk.case.report"].with_user(self.user_requester).get_cases_action([])

    def test_row_opens_its_case(self):
        for model, case in (
            ("service.desk.case.report", self.c5),
            ("service.desk.backlog.report", self.c5),
            ("service.desk.sla.report", self.c5),
            ("service.desk.rating.report", self.c4),
        ):
            row = self.env[model].with_user(self.user_leader).search([("case_id", "=", case.id)], limit=1)
            action = row.action_open_case()
            self.assertEqual((action["res_model"], action["res_id"]), ("service.desk.case", case.id), model)
            arch = self.env[model].get_views([(False, "list")])["views"]["list"]["arch"]
            self.assertIn('action="action_open_case"', arch, model)
        rows = self.env["service.desk.case.report"].with_user(self.user_leader).browse((self.c1 | self.c2).ids)
        self.assertEqual(self.env["service.desk.case"].search(rows.action_open_cases()["domain"]), self.c1 | self.c2)

    def test_every_dashboard_figure_opens_its_cases(self):
        """Each bar of each chart and each KPI: as many cases as it counts."""
        dashboard = self.env.ref("service_desk_reports.spreadsheet_dashboard_service_desk")
        snapshot = json.loads(dashboard.spreadsheet_data)
        mine = [("case_id", "in", self.cases.ids)]
        checked = 0
        for sheet in snapshot["sheets"]:
            for figure in sheet["figures"]:
                data = figure["data"]
                if not data["type"].startswith("odoo_"):
                    continue
                meta = data["metaData"]
                Report = self.env[meta["resModel"]].with_user(self.user_leader)
                domain = expression.AND([mine, data["searchParams"]["domain"]])
                for group in Report.read_group(domain, ["__count"], meta["groupBy"], lazy=False):
                    action = Report.get_cases_action(group["__domain"], measure=meta["measure"])
                    cases = self.env["service.desk.case"].search(action["domain"])
                    if meta["resModel"] in ("service.desk.case.report", "service.desk.backlog.report"):
                        self.assertEqual(len(cases), group["__count"], (figure["id"], group))
                    else:
                        self.assertTrue(cases, (figure["id"], group))
                    checked += 1
        self.assertGreaterEqual(checked, 12)
        # the KPIs: their pivot's domain
        for pivot in snapshot["pivots"].values():
            Report = self.env[pivot["model"]].with_user(self.user_leader)
            domain = expression.AND([mine, pivot["domain"]])
            action = Report.get_cases_action(domain)
            cases = self.env["service.desk.case"].search(action["domain"])
            if pivot["model"] == "service.desk.case.report":
                self.assertEqual(len(cases), Report.search_count(domain), pivot["name"])
        # no figure sends the user to the whole case menu instead of its cases
        self.assertFalse(snapshot["chartOdooMenusReferences"])

    def test_saved_favourites_open_their_cases(self):
        """The seed's six panels are shared favourites of the case analysis,
        and each group of each panel opens as many cases as it counts."""
        action = self.env.ref("service_desk_reports.service_desk_case_report_action")
        filters = self.env["ir.filters"].with_user(self.user_leader).get_filters("service.desk.case.report", action.id)
        panels = {
            "Not Handled in Time",
            "Handled Cases per Responsible",
            "Cases per Subcategory",
            "Resolution Trend",
            "Satisfaction by Department",
            "Overall Figures",
        }
        self.assertLessEqual(panels, {f["name"] for f in filters})
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        for favourite in filters:
            if favourite["name"] not in panels:
                continue
            context = safe_eval(favourite["context"])
            domain = expression.AND([[("case_id", "in", self.cases.ids)], eval_domain(favourite["domain"])])
            groups = Report.read_group(domain, ["__count"], context.get("group_by") or [], lazy=False)
            self.assertTrue(groups, favourite["name"])
            for group in groups:
                cases = self.env["service.desk.case"].search(Report.get_cases_action(group["__domain"])["domain"])
                self.assertEqual(len(cases), group["__count"], (favourite["name"], group))
        satisfaction = next(f for f in filters if f["name"] == "Satisfaction by Department")
        domain = expression.AND([[("case_id", "in", self.cases.ids)], eval_domain(satisfaction["domain"])])
        per_dept = dict(Report._read_group(domain, ["department_id"], ["rating:avg"]))
        self.assertAlmostEqual(per_dept[self.dept_support], 10 / 3)
        self.assertAlmostEqual(per_dept[self.dept_finance], 5.0)


def eval_domain(text):
    """A favourite's domain, evaluated the way the web client does."""
    return safe_eval(text, {"context_today": fields.Date.today, "relativedelta": relativedelta})
