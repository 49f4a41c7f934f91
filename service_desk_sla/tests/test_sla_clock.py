# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .sla_common import SlaCommon, msk


@tagged("post_install", "-at_install")
class TestSlaClock(SlaCommon):
    def test_deadlines_lunch_weekend_holiday(self):
        """Friday 17:00 Moscow: 1 h left on Friday, weekend, Monday holiday, lunch on Tuesday."""
        with freeze_time(msk(2026, 3, 6, 17, 0)):
            case = self._sla_case()
        self.assertEqual(case.sla_policy_id, self.policy)
        self.assertEqual(self._row(case, "take").deadline, msk(2026, 3, 10, 10, 0))
        self.assertEqual(self._row(case, "response").deadline, msk(2026, 3, 10, 12, 0))
        # 1 h Friday + 4 h Tuesday morning + lunch + 3 h afternoon
        self.assertEqual(self._row(case, "resolve").deadline, msk(2026, 3, 10, 17, 0))
        self.assertEqual(case.sla_deadline, msk(2026, 3, 10, 10, 0))
        self.assertEqual(case.sla_status, "on_track")
        # same figure as resource.calendar's own planning
        self.assertEqual(
            self.calendar.plan_hours(8, msk(2026, 3, 6, 17, 0), compute_leaves=True), msk(2026, 3, 10, 17, 0)
        )
        self.assertIn("Europe/Moscow", case.sla_explanation)
        self.assertIn("2026-03-10 17:00", case.sla_explanation)

    def test_created_outside_working_hours(self):
        with freeze_time(msk(2026, 3, 7, 12, 0)):  # Saturday
            case = self._sla_case()
        take = self._row(case, "take")
        self.assertEqual(take.start_date, msk(2026, 3, 10, 9, 0))  # Monday is a holiday
        self.assertEqual(take.deadline, msk(2026, 3, 10, 11, 0))
        # 4 h before lunch, lunch skipped, 4 h after
        self.assertEqual(self._row(case, "resolve").deadline, msk(2026, 3, 10, 18, 0))
        self.assertIn("outside working hours", take.explanation)

    def test_pause_and_resume(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        resolve = self._row(case, "resolve")
        self.assertEqual(resolve.deadline, msk(2026, 3, 10, 18, 0))
        with freeze_time(msk(2026, 3, 10, 11, 0)):
            case.stage_id = self.stage_waiting
        self.assertEqual(resolve.state, "paused")
        self.assertAlmostEqual(resolve.remaining_hours, 6.0)
        self.assertFalse(resolve.next_escalation_at)
        with freeze_time(msk(2026, 3, 11, 10, 0)):
            case.stage_id = self.stage_progress
        self.assertEqual(resolve.state, "running")
        # 6 h left from Wednesday 10:00: 3 h before lunch, 3 h after
        self.assertEqual(resolve.deadline, msk(2026, 3, 11, 17, 0))
        # paused 11-13, 14-18 on Tuesday and 9-10 on Wednesday
        self.assertAlmostEqual(resolve.paused_hours, 7.0)
        self.assertAlmostEqual(case.sla_paused_hours, 7.0)
        with freeze_time(msk(2026, 3, 11, 16, 0)):
            case.stage_id = self.stage_resolved
        self.assertEqual(resolve.state, "met")
        self.assertEqual(resolve.reached_date, msk(2026, 3, 11, 16, 0))
        self.assertAlmostEqual(resolve.elapsed_hours, 7.0)  # 2 h + 3 h + 2 h, pause excluded

    def test_events_meet_targets_and_reopen(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            case.with_user(self.user_agent).action_take()
        take = self._row(case, "take")
        self.assertEqual(take.state, "met")
        self.assertAlmostEqual(take.elapsed_hours, 1.0)
        with freeze_time(msk(2026, 3, 10, 15, 0)):  # 5 working hours: late for the response
            case.with_user(self.user_agent).message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        response = self._row(case, "response")
        self.assertEqual(response.state, "breached")
        self.assertAlmostEqual(response.elapsed_hours, 5.0)
        self.assertEqual(case.sla_status, "breached")
        with freeze_time(msk(2026, 3, 10, 16, 0)):
            case.stage_id = self.stage_resolved
        resolve = self._row(case, "resolve")
        self.assertEqual(resolve.state, "met")
        self.assertAlmostEqual(resolve.elapsed_hours, 6.0)
        with freeze_time(msk(2026, 3, 11, 9, 0)):
            case.stage_id = self.stage_progress
        # resumed with the 2 h that were left
        self.assertEqual(resolve.state, "running")
        self.assertEqual(resolve.deadline, msk(2026, 3, 11, 11, 0))
        self.assertEqual(response.state, "breached", "a breached target stays breached")

    def test_policy_reselection(self):
        urgent = self.env["service.desk.sla.policy"].create(
            {
                "name": "Urgent",
                "sequence": 1,
                "priority": "3",
                "calendar_id": self.calendar.id,
                "take_hours": 1,
                "response_hours": 2,
                "resolve_hours": 4,
            }
        )
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        self.assertEqual(case.sla_policy_id, self.policy)
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            case.priority = "3"
        self.assertEqual(case.sla_policy_id, urgent)
        resolve = self._row(case, "resolve")
        self.assertEqual(resolve.policy_id, urgent)
        # 1 h used before the change, 3 h left from 10:00
        self.assertEqual(resolve.deadline, msk(2026, 3, 10, 13, 0))
        messages = case.message_ids.filtered(lambda m: "SLA policy changed" in (m.body or ""))
        self.assertEqual(len(messages), 1)
        self.assertIn("Urgent", messages.body)
        # back to normal priority: back to the standard policy, consumed time kept
        with freeze_time(msk(2026, 3, 10, 11, 0)):
            case.priority = "1"
        self.assertEqual(case.sla_policy_id, self.policy)
        self.assertEqual(resolve.deadline, msk(2026, 3, 10, 18, 0))

    def test_batch_reads_calendar_once(self):
        """Deadlines of a batch of cases on one calendar read the intervals once."""
        Case = self.env["service.desk.case"]
        from ..models import sla_clock

        calls = []
        original = sla_clock.SlaClock.prepare

        def counting(clock, start, end):
            before = clock.fetch_count
            original(clock, start, end)
            calls.append(clock.fetch_count - before)

        with freeze_time(msk(2026, 3, 10, 9, 0)):
            from unittest.mock import patch

            with patch.object(sla_clock.SlaClock, "prepare", counting):
                cases = Case.create([{"name": f"Case {i}", "team_id": self.team_first.id} for i in range(30)])
        self.assertEqual(len(cases.sla_ids), 90)
        self.assertEqual(sum(calls), 1)
        self.assertEqual(len(set(cases.sla_ids.filtered(lambda r: r.target == "resolve").mapped("deadline"))), 1)

    def test_no_policy_match(self):
        self.policy.team_ids = [Command.set(self.team_payments.ids)]
        case = self._sla_case()
        self.assertFalse(case.sla_ids)
        self.assertFalse(case.sla_status)


@tagged("post_install", "-at_install")
class TestSlaExplanation(SlaCommon):
    def test_explanation_in_the_readers_language(self):
        """Rendered when read, in the reader's language, not in the language of whoever triggered it."""
        self.env["res.lang"]._activate_lang("fr_FR")
        selection = self.env["ir.model.fields.selection"].search(
            [("field_id.model", "=", "service.desk.case.sla"), ("field_id.name", "=", "target"), ("value", "=", "take")]
        )
        selection.with_context(lang="fr_FR").name = "Prise en charge"
        self.user_agent.lang = "fr_FR"
        self.user_manager.lang = "en_US"
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = (
                self.env["service.desk.case"]
                .with_user(self.user_agent)
                .with_context(lang="fr_FR")
                .create({"name": "Printer", "team_id": self.team_first.id, "user_id": self.user_agent.id})
            )
        self.env.flush_all()
        self.env.invalidate_all()
        take = self._row(case, "take")
        english = take.with_user(self.user_manager).with_context(lang="en_US").explanation
        self.assertIn("Take Into Work", english)
        self.assertNotIn("Prise en charge", english)
        self.assertIn("Prise en charge", take.with_user(self.user_agent).with_context(lang="fr_FR").explanation)
        self.assertIn("Take Into Work", case.with_user(self.user_manager).with_context(lang="en_US").sla_explanation)
        self.assertFalse(take._fields["explanation"].store)
