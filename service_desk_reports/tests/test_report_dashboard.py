# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServiceDeskReportCommon


@tagged("post_install", "-at_install")
class TestReportDashboard(ServiceDeskReportCommon):
    def test_dashboard_loads_for_supervisor(self):
        dashboard = self.env.ref("service_desk_reports.spreadsheet_dashboard_service_desk")
        dashboard = dashboard.with_user(self.user_leader)
        self.assertIn(
            dashboard,
            self.env["spreadsheet.dashboard"].with_user(self.user_leader).search([]),
        )
        data = dashboard.get_readonly_dashboard()
        self.assertFalse(data.get("is_sample"))
        snapshot = data["snapshot"]
        figures = [f for sheet in snapshot["sheets"] for f in sheet["figures"]]
        charts = [f["data"] for f in figures if f["data"]["type"].startswith("odoo_")]
        # the six seed panels: five charts + the scorecards, plus SLA and backlog
        self.assertGreaterEqual(len(charts), 6)
        self.assertGreaterEqual(sum(f["data"]["type"] == "scorecard" for f in figures), 6)
        # every chart's query runs for the supervisor and links to a known action
        for chart in charts:
            meta, params = chart["metaData"], chart["searchParams"]
            Model = self.env[meta["resModel"]].with_user(self.user_leader)
            aggregates = ["__count"] if meta["measure"] == "__count" else [f"{meta['measure']}:avg"]
            groups = Model._read_group(params["domain"], meta["groupBy"], aggregates)
            self.assertTrue(groups, meta)
            self.assertTrue(self.env.ref(chart["actionXmlId"]))
            for fmatch in chart["fieldMatching"].values():
                self.assertIn(fmatch["chain"], Model._fields)
        for pivot in snapshot["pivots"].values():
            Model = self.env[pivot["model"]].with_user(self.user_leader)
            for measure in pivot["measures"]:
                if measure["fieldName"] != "__count":
                    self.assertIn(measure["fieldName"], Model._fields)
            Model._read_group(pivot["domain"], [], ["__count"])
        for xmlid in snapshot["chartOdooMenusReferences"].values():
            self.assertTrue(self.env.ref(xmlid))
        # panel titles link to the matching case lists
        links = [
            json.loads(cell["content"].split("odoo://view/", 1)[1][:-1])
            for sheet in snapshot["sheets"]
            for cell in sheet["cells"].values()
            if "odoo://view/" in cell.get("content", "")
        ]
        self.assertGreaterEqual(len(links), 6)
        for link in links:
            action = link["action"]
            self.env[action["modelName"]].with_user(self.user_leader).search_count(action["domain"])

    def test_dashboard_hidden_from_requesters(self):
        dashboards = self.env["spreadsheet.dashboard"].with_user(self.user_requester).search([])
        self.assertNotIn(self.env.ref("service_desk_reports.spreadsheet_dashboard_service_desk"), dashboards)

    def test_dashboard_menu_action(self):
        action = self.env.ref("service_desk_reports.spreadsheet_dashboard_service_desk_action")
        self.assertEqual(
            action.params["dashboard_id"],
            self.env.ref("service_desk_reports.spreadsheet_dashboard_service_desk").id,
        )

    def test_dashboard_figures_match_hand_counts(self):
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        data = Report.get_dashboard_data()
        late = dict(data["figures"]["sd-late"])
        self.assertEqual(late.get(self.team_first.id), 1)  # c2
        self.assertEqual(late.get(self.team_payments.id), 1)  # c5
        handled = dict(data["figures"]["sd-handled"])
        self.assertEqual(handled.get(self.user_operator.id), 2)
        self.assertEqual(handled.get(self.user_agent.id), 1)
        self.assertGreaterEqual(data["pivots"]["5"]["__count"], 2)
        # an agent's dashboard only counts the cases of his groups
        agent_data = Report.with_user(self.user_agent2).get_dashboard_data()
        self.assertEqual(dict(agent_data["figures"]["sd-late"]), {self.team_payments.id: 1})
        self.assertEqual(agent_data["pivots"]["2"]["__count"], 2)  # c4 and c5 are open

    def test_dashboard_snapshot_fresh_then_refreshed_by_cron(self):
        """A load reads the snapshot of the user's scope while it is fresh
        (a few queries, whatever the history); the cron brings it up to date."""
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        with freeze_time(datetime(2026, 3, 10, 12, 0)):
            first = Report.get_dashboard_data()
            self.assertEqual(first["computed_at"], "2026-03-10 12:00:00")
            total = first["pivots"]["1"]["__count"]
        with freeze_time(datetime(2026, 3, 10, 12, 5)):
            self._create_case(team_id=self.team_first.id, user_id=self.user_agent.id)
            self.env.flush_all()
            Report.env.invalidate_all()
            with self.assertQueryCount(__system__=3):
                second = Report.get_dashboard_data()
        # served from the snapshot: same figures, same time
        self.assertEqual(second, first)
        with freeze_time(datetime(2026, 3, 10, 12, 20)):
            self.env["service.desk.dashboard.snapshot"]._cron_refresh()
            third = Report.get_dashboard_data()
        self.assertEqual(third["computed_at"], "2026-03-10 12:20:00")
        self.assertEqual(third["pivots"]["1"]["__count"], total + 1)

    def test_dashboard_snapshot_stale_is_recomputed_on_load(self):
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        with freeze_time(datetime(2026, 3, 10, 12, 0)):
            total = Report.get_dashboard_data()["pivots"]["1"]["__count"]
            self._create_case(team_id=self.team_first.id, user_id=self.user_agent.id)
            self.env.flush_all()
        with freeze_time(datetime(2026, 3, 10, 12, 16)):
            data = Report.get_dashboard_data()
        self.assertEqual(data["computed_at"], "2026-03-10 12:16:00")
        self.assertEqual(data["pivots"]["1"]["__count"], total + 1)

    def test_dashboard_snapshot_not_shared_across_scopes(self):
        """An agent never gets the supervisor's snapshot, and a user without
        access to the reports gets none even when one is stored."""
        Report = self.env["service.desk.case.report"]
        leader_data = Report.with_user(self.user_leader).get_dashboard_data()
        agent_data = Report.with_user(self.user_agent2).get_dashboard_data()
        self.assertEqual(dict(agent_data["figures"]["sd-late"]), {self.team_payments.id: 1})
        self.assertNotEqual(leader_data["figures"]["sd-late"], agent_data["figures"]["sd-late"])
        with self.assertRaises(AccessError):
            Report.with_user(self.user_requester).get_dashboard_data()

    def test_dashboard_snapshot_dropped_when_scope_changes(self):
        Snapshot = self.env["service.desk.dashboard.snapshot"]
        with freeze_time(datetime(2026, 3, 10, 12, 0)):
            self.env["service.desk.case.report"].with_user(self.user_agent2).get_dashboard_data()
        snapshot = Snapshot.search([("user_id", "=", self.user_agent2.id)])
        self.assertEqual(len(snapshot), 1)
        # the agent joins another group: his scope is no longer the stored one
        self.team_first.member_ids = [(4, self.user_agent2.id)]
        self.env.flush_all()
        self.env.registry.clear_cache()
        with freeze_time(datetime(2026, 3, 10, 12, 20)):
            self.env.ref("service_desk_reports.ir_cron_dashboard_refresh").method_direct_trigger()
        self.assertFalse(snapshot.exists())

    def test_dashboard_sources_read_the_snapshot(self):
        """The spreadsheet's charts and KPIs read the analysis with the
        dashboard's context: a load within 15 minutes reads the stored figures
        (a few queries, whatever the history), the cron brings them up to
        date, each scope has its own; the analysis views stay live."""
        dashboard = json.loads(self.env.ref("service_desk_reports.spreadsheet_dashboard_service_desk").spreadsheet_data)
        figure = next(f for f in dashboard["sheets"][0]["figures"] if f["id"] == "sd-late")["data"]
        context = figure["searchParams"]["context"]
        self.assertTrue(context.get("service_desk_dashboard"))
        for pivot in dashboard["pivots"].values():
            self.assertTrue(pivot["context"].get("service_desk_dashboard"), pivot["name"])
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        domain = [("case_id", "!=", False), ("is_late", "=", True)]

        def late_per_group(report):
            groups = report.with_context(**context).read_group(domain, ["__count"], ["team_id"], lazy=False)
            return {group["team_id"][0]: group["__count"] for group in groups}

        Snapshot = self.env["service.desk.dashboard.snapshot"]
        with freeze_time(datetime(2026, 3, 10, 12, 0)):
            self.assertEqual(late_per_group(Report), {self.team_first.id: 1, self.team_payments.id: 1})
            # labels and date groups depend on the language and time zone: stored apart
            count = Snapshot.search_count([])
            late_per_group(Report.with_context(tz="Asia/Tokyo"))
            self.assertEqual(Snapshot.search_count([]), count + 1)
        # c7 breaches its take target: the stored figures still count one late case per group
        with freeze_time(datetime(2026, 3, 10, 12, 5)):
            self.env["service.desk.case.sla"].create(
                {"case_id": self.c7.id, "policy_id": self.slas[0].policy_id.id, "target": "take"}
            ).write({"state": "breached"})
            self.env.flush_all()
            Report.env.invalidate_all()
            with self.assertQueryCount(__system__=3):
                self.assertEqual(late_per_group(Report), {self.team_first.id: 1, self.team_payments.id: 1})
            live = Report._read_group(domain, ["team_id"], ["__count"])
            self.assertEqual(dict(live)[self.team_first], 2, "the analysis reads live")
        with freeze_time(datetime(2026, 3, 10, 12, 20)):
            self.env.ref("service_desk_reports.ir_cron_dashboard_refresh").method_direct_trigger()
            self.assertEqual(late_per_group(Report), {self.team_first.id: 2, self.team_payments.id: 1})
            # an agent of Payments L2 gets his scope's figures, not the leader's
            agent = Report.with_user(self.user_agent2)
            self.assertEqual(late_per_group(agent), {self.team_payments.id: 1})
            with self.assertRaises(AccessError):
                late_per_group(Report.with_user(self.user_requester))
        # nobody asked for these figures for a week: the cron drops them
        stored = Snapshot.search([("user_id", "=", self.user_leader.id)]).filtered(lambda s: "signature" in s.data)
        self.assertTrue(stored)
        with freeze_time(datetime(2026, 3, 17, 12, 30)):
            Snapshot._cron_refresh()
        self.assertFalse(stored.exists())
