# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from odoo.addons.service_desk_cases.tests.test_case_screens import ScreenshotMixin

from .common import ServiceDeskReportCommon
from .test_report_export import read_xlsx

DASHBOARD_URL = "/odoo/action-service_desk_reports.spreadsheet_dashboard_service_desk_action"


@tagged("post_install", "-at_install", "sd_http")
class TestReportScreens(ScreenshotMixin, HttpCase, ServiceDeskReportCommon):
    """The manager's Results screens, in Chromium, as the leader: every
    figure leads to the cases behind it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the two cases not handled in time (c2 Front Desk, c5 Payments L2)
        cls.c2.name = "Late payment refund"
        cls.c5.name = "Late card refund"
        # a case nobody took: its SLA clocks run
        cls._create_case(name="Never taken", team_id=cls.team_experts.id, subservice_id=cls.sub_card.id)
        cls.env.flush_all()

    def test_dashboard_chart_opens_the_cases(self):
        self.start_tour(DASHBOARD_URL, "service_desk_dashboard_chart_cases_tour", login="sd_leader")

    def test_dashboard_kpi_opens_the_cases(self):
        self.start_tour(DASHBOARD_URL, "service_desk_dashboard_kpi_cases_tour", login="sd_leader")

    def test_dashboard_kpis_readable(self):
        self.start_tour(DASHBOARD_URL, "service_desk_dashboard_kpi_readable_tour", login="sd_leader")

    def test_analysis_pivot_favourite_opens_the_cases(self):
        self.start_tour(
            "/odoo/action-service_desk_reports.service_desk_case_report_action?view_type=pivot",
            "service_desk_analysis_cases_tour",
            login="sd_leader",
        )

    def test_analysis_graph_opens_the_cases(self):
        self.start_tour(
            "/odoo/action-service_desk_reports.service_desk_case_report_action",
            "service_desk_analysis_graph_cases_tour",
            login="sd_leader",
        )

    def test_analysis_row_opens_the_case(self):
        self.start_tour(
            "/odoo/action-service_desk_reports.service_desk_backlog_report_action?view_type=list",
            "service_desk_analysis_row_opens_case_tour",
            login="sd_leader",
        )

    def test_analysis_list_empty_for_never_taken(self):
        self.start_tour(
            "/odoo/action-service_desk_reports.service_desk_case_report_action?view_type=list",
            "service_desk_analysis_list_empty_tour",
            login="sd_leader",
        )

    def test_analysis_pivot_download_xlsx(self):
        """The pivot's Download xlsx, clicked by the leader on a favourite: the
        workbook has the figures of the analysis (``_read_group``)."""
        self.user_leader.groups_id += self.env.ref("base.group_allow_export")
        self.start_tour(
            "/odoo/action-service_desk_reports.service_desk_case_report_action?view_type=pivot",
            "service_desk_analysis_pivot_xlsx_tour",
            login="sd_leader",
        )
        attachment = self.env["ir.attachment"].search(
            [("name", "=", "sd_pivot_export.xlsx"), ("create_uid", "=", self.user_leader.id)]
        )
        rows = read_xlsx(attachment.raw)
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        figures = Report._read_group(
            [("case_id", "in", self.cases.ids), ("is_handled", "=", True)],
            ["user_id"],
            ["__count", "hours_to_resolve:avg"],
        )
        self.assertEqual(len(figures), 2)
        exported = {row[0].strip(): row[1:] for row in rows if row and row[0]}
        for user, count, hours in figures:
            # the last two columns are the total over the months: Count, Working Hours to Resolve
            self.assertEqual(exported[user.name][-2], count, user.name)
            self.assertAlmostEqual(exported[user.name][-1], hours, msg=user.name)

    def test_analysis_favourite_screenshot(self):
        shot = self.start_tour_screenshot(
            "/odoo/action-service_desk_reports.service_desk_case_report_action?view_type=pivot",
            "service_desk_analysis_favourite_tour",
            "manager_analysis_pivot",
            login="sd_leader",
        )
        self.assertTrue(shot and shot.exists())

    def test_dashboard_screenshot(self):
        shot = self.screenshot_page(
            DASHBOARD_URL,
            "js:!!document.querySelector('.o-figure[data-id=sd-kpi-8] canvas') && "
            "!!document.querySelector('.o-figure[data-id=sd-trend] canvas')",
            "manager_dashboard",
            login="sd_leader",
        )
        self.assertTrue(shot and shot.exists())
        # the browser's charts and KPIs were served through the leader's stored figures
        stored = self.env["service.desk.dashboard.snapshot"].search([("user_id", "=", self.user_leader.id)])
        models = {snapshot.data["signature"]["model"] for snapshot in stored if "signature" in snapshot.data}
        # (the charts below the fold load when scrolled to)
        self.assertGreaterEqual(models, {"service.desk.case.report", "service.desk.sla.report"})
