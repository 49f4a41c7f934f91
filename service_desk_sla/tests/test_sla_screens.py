# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from odoo.addons.service_desk_cases.tests.test_case_screens import ScreenshotMixin

from .sla_common import SlaCommon


def round_the_clock_values(name="Round the clock"):
    """Every hour of every day, in UTC: working time equals wall-clock time,
    so a browser test can check figures without freezing the browser's clock."""
    return {
        "name": name,
        "tz": "UTC",
        "attendance_ids": [Command.clear()]
        + [
            Command.create({"name": "All day", "dayofweek": str(day), "hour_from": 0, "hour_to": 24})
            for day in range(7)
        ],
    }


@tagged("post_install", "-at_install", "sd_http")
class TestSlaScreens(ScreenshotMixin, HttpCase, SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.calendar_id = cls.env["resource.calendar"].create(round_the_clock_values())

    def _case_at(self, moment, name):
        with freeze_time(moment):
            return self._sla_case(name=name, subservice_id=self.sub_card.id)

    def _screen_cases(self):
        """Take 2 h, response 4 h, resolution 8 h, counted round the clock."""
        now = fields.Datetime.now()
        running = self._case_at(now - timedelta(minutes=45), "Running case")
        late = self._case_at(now - timedelta(hours=3), "Late case")
        paused = self._case_at(now - timedelta(hours=2), "Paused case")
        with freeze_time(now - timedelta(hours=1, minutes=30)):
            paused.stage_id = self.stage_waiting
        # late by more than a day of working time: counted in hours, never in days
        self._case_at(now - timedelta(hours=30), "Old case")
        breached = self._case_at(now - timedelta(hours=1), "Breached case")
        # the escalation job flagged the take-into-work target of this one
        self._row(breached, "take").sudo().write({"state": "breached", "deadline": now - timedelta(minutes=5)})
        return running, late, paused, breached

    def test_sla_deadline_readable_at_a_glance(self):
        """Issue 14: date and time with "in 1 h 15 min" / "overdue by 1 h";
        remaining working hours for running targets (never "00:00") and the
        frozen remainder of paused ones; a target past its deadline reads
        breached in the list, the form and the Overdue filter before the
        escalation job has run."""
        _running, late, paused, breached = self._screen_cases()
        self.assertEqual(late.sla_status, "on_track", "stored: the escalation job has not run")
        self.assertEqual(self._row(paused, "take").state, "paused")
        self.assertEqual(breached.sla_status, "breached")
        self.assertGreater(breached.sla_deadline, fields.Datetime.now(), "the next running target is in the future")
        form = self.start_tour_screenshot(
            "/odoo/action-service_desk_cases.service_desk_case_action",
            "service_desk_sla_screens_tour",
            "agent_case_form_sla",
            login="sd_agent",
        )
        self.assertTrue(form and form.exists())

    def test_sla_kanban_badges(self):
        self._screen_cases()
        kanban = self.start_tour_screenshot(
            "/odoo/action-service_desk_cases.service_desk_case_action?view_type=kanban",
            "service_desk_sla_kanban_tour",
            "agent_kanban_sla",
            login="sd_agent",
        )
        self.assertTrue(kanban and kanban.exists())

    def test_ladder_todo_opens_the_case_for_the_leader(self):
        """Issue 14: the leader's to-do scheduled by the escalation ladder is
        on the case (model and id) and opens it from the systray's activities."""
        self.policy.escalation_level_ids.filtered(lambda lv: lv.sequence == 1).schedule_activity = True
        now = fields.Datetime.now()
        case = self._case_at(now - timedelta(hours=3), "Escalated case")
        self.env["service.desk.case.sla"]._cron_escalate()
        todo = self.env["mail.activity"].search([("user_id", "=", self.user_leader.id)])
        self.assertEqual(len(todo), 1, "one to-do for the group's leader")
        self.assertEqual((todo.res_model, todo.res_id), ("service.desk.case", case.id))
        self.assertEqual(todo.with_user(self.user_leader).res_name, case.display_name)
        self.start_tour("/odoo", "service_desk_sla_leader_todo_tour", login="sd_leader")
