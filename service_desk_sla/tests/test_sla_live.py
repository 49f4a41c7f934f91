# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.service_desk_cases.tests.common import steady_gc

from .sla_common import SlaCommon, msk


@tagged("post_install", "-at_install")
class TestSlaLive(SlaCommon):
    """Issue 14: what the agent reads is counted now, not when the escalation
    job last ran: the working time left and the SLA status."""

    def _as_agent(self, case):
        case.env.invalidate_all()
        return case.with_user(self.user_agent)

    def _left(self, case):
        return {row.target: round(row.time_left_hours, 4) for row in case.sla_ids}

    def _filter_domain(self, name):
        """The domain of a filter of the cases' search view, as the agent's screen gets it."""
        views = self.env["service.desk.case"].with_user(self.user_agent).get_views([(False, "search")])
        arch = etree.fromstring(views["views"]["search"]["arch"])
        node = arch.find(f".//filter[@name='{name}']")
        self.assertIsNotNone(node, f"the search view has the filter {name}")
        return safe_eval(node.get("domain"), {"uid": self.user_agent.id, "context_today": None})

    def _filtered(self, name, cases):
        domain = [("id", "in", cases.ids), *self._filter_domain(name)]
        return self.env["service.desk.case"].with_user(self.user_agent).search(domain)

    def test_working_time_left_running(self):
        """Tuesday 10 March 2026, 10:00 Moscow; lunch 13-14 is not working time."""
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            case = self._sla_case()
            self.assertEqual(self._left(self._as_agent(case)), {"take": 2.0, "response": 4.0, "resolve": 8.0})
        with freeze_time(msk(2026, 3, 10, 15, 0)):
            agent_case = self._as_agent(case)
            # 10-13 and 14-15: 4 working hours, the lunch hour not counted
            self.assertEqual(self._left(agent_case), {"take": -2.0, "response": 0.0, "resolve": 4.0})
            self.assertEqual(agent_case.sla_time_left_hours, -2.0, "the nearest target: overdue by 2 h")
        with freeze_time(msk(2026, 3, 11, 9, 30)):
            # the night is not working time: Tuesday 15-18, then 9:00-9:30
            self.assertEqual(self._left(self._as_agent(case))["resolve"], 0.5)

    def test_working_time_left_paused_is_frozen(self):
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            case = self._sla_case()
        with freeze_time(msk(2026, 3, 10, 11, 0)):
            case.stage_id = self.stage_waiting
        with freeze_time(msk(2026, 3, 12, 16, 0)):
            agent_case = self._as_agent(case)
            self.assertEqual(self._left(agent_case), {"take": 1.0, "response": 3.0, "resolve": 7.0})
            self.assertEqual(agent_case.sla_time_left_hours, 1.0)
            self.assertEqual(agent_case.sla_live_status, "on_track")

    def test_reached_targets_have_nothing_left(self):
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            case = self._sla_case()
        with freeze_time(msk(2026, 3, 10, 11, 0)):
            case.with_user(self.user_agent).stage_id = self.stage_resolved
        with freeze_time(msk(2026, 3, 12, 16, 0)):
            agent_case = self._as_agent(case)
            self.assertEqual(set(agent_case.sla_ids.mapped("state")), {"met"})
            self.assertEqual(self._left(agent_case), {"take": 0.0, "response": 0.0, "resolve": 0.0})
            self.assertEqual(agent_case.sla_time_left_hours, 0.0)

    def test_breached_at_once_and_filters_agree(self):
        """Past the deadline the case reads breached before the escalation
        job runs; the Overdue and At Risk filters say the same as the badge."""
        self.policy.warning_percent = 50
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            case = self._sla_case()
            other = self._sla_case(name="Fresh")
            both = case | other
            self.assertEqual(self._as_agent(case).sla_live_status, "on_track")
            self.assertFalse(self._filtered("sla_at_risk", both))
            self.assertFalse(self._filtered("sla_overdue", both))
        with freeze_time(msk(2026, 3, 10, 11, 10)):
            # half of the take-into-work target (1 h) is gone: at risk, no job needed
            self.assertEqual(self._as_agent(case).sla_live_status, "at_risk")
            self.assertEqual(self._filtered("sla_at_risk", both), both)
            self.assertFalse(self._filtered("sla_overdue", both))
        with freeze_time(msk(2026, 3, 10, 11, 50)):
            other.with_user(self.user_agent).action_take()  # in time; its response is due at 14:00
        with freeze_time(msk(2026, 3, 10, 12, 20)):
            agent_case = self._as_agent(case)
            self.assertEqual(case.sla_status, "on_track", "stored: the escalation job has not run yet")
            self.assertEqual(agent_case.sla_live_status, "breached")
            self.assertEqual(self._filtered("sla_overdue", both), case)
            self.assertEqual(self._filtered("sla_breached", both), case)
            self.assertFalse(self._filtered("sla_at_risk", case), "breached, no longer at risk")
            self.assertEqual(
                self.env["service.desk.case"]
                .with_user(self.user_agent)
                .search([("id", "in", both.ids), ("sla_live_status", "!=", "breached")]),
                other,
            )
            # the escalation job then records what the screen already showed
            self.env["service.desk.case.sla"]._cron_escalate()
            self.assertEqual(case.sla_status, "breached")
            self.assertEqual(self._as_agent(case).sla_live_status, "breached")
            self.assertEqual(self._filtered("sla_overdue", both), case)

    def test_reading_the_list_costs_the_same_for_more_cases(self):
        """The list's live columns: one read of the rows and of the calendar
        per batch, never a query per case."""
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            vals = {"partner_id": self.customer.id, "team_id": self.team_first.id}
            cases = self.env["service.desk.case"].create([{"name": f"Case {i}", **vals} for i in range(20)])
        counts = []
        with freeze_time(msk(2026, 3, 10, 15, 0)):
            cases.with_user(self.user_agent).read(["sla_live_status", "sla_time_left_hours"])  # warm the caches
            # the first read after the invalidation also reloads the agent's record rules
            for batch in (cases[:4], cases[:4], cases):
                self.env.flush_all()
                self.env.invalidate_all()
                with steady_gc():
                    start = self.cr.sql_log_count
                    values = batch.with_user(self.user_agent).read(["sla_live_status", "sla_time_left_hours"])
                    counts.append(self.cr.sql_log_count - start)
                self.assertEqual({v["sla_live_status"] for v in values}, {"breached"})
                self.assertEqual({v["sla_time_left_hours"] for v in values}, {-2.0})
        self.assertEqual(counts[1], counts[2], f"queries for 4 and 20 cases: {counts[1:]}")
