# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time
from pytz import utc

from odoo import Command
from odoo.tests import new_test_user, tagged

from ..models.resource_calendar import SLA_BLOCK, SLA_EPOCH
from ..models.sla_clock import SlaClock
from .sla_common import SlaCommon, msk


@tagged("post_install", "-at_install")
class TestSlaCache(SlaCommon):
    """The per-process caches the SLA start reads (calendar intervals, policy
    clock settings) follow every change of what they hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = new_test_user(
            cls.env,
            "sd_settings_admin",
            groups="base.group_system,service_desk_cases.group_service_desk_manager",
            name="Sergey Settings",
            context={"no_reset_password": True},
        )

    def _operator_case(self, **vals):
        values = {"name": "Help", "partner_id": self.customer.id, "team_id": self.team_first.id, **vals}
        return self.env["service.desk.case"].with_user(self.user_operator).create(values)

    def _take_deadline(self, **vals):
        with freeze_time(msk(2026, 3, 10, 9, 0)):  # Tuesday
            case = self._operator_case(**vals)
        return self._row(case, "take").deadline

    def _counting_interval_reads(self):
        """Patch ``_work_intervals_batch`` to count the calendar reads."""
        Calendar = type(self.env["resource.calendar"])
        original = Calendar._work_intervals_batch
        return patch.object(Calendar, "_work_intervals_batch", autospec=True, side_effect=original)

    def test_attendance_change_moves_the_next_deadline(self):
        self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 11, 0))
        # the administrator moves Tuesday's morning start to 10:00
        tuesday_morning = self.calendar.attendance_ids.filtered(
            lambda a: a.dayofweek == "1" and a.day_period == "morning"
        )
        tuesday_morning.with_user(self.user_admin).hour_from = 10
        self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 12, 0))
        # a change of the calendar itself: its time zone
        self.calendar.with_user(self.user_admin).tz = "Europe/Kaliningrad"  # UTC+2: 10:00 there is 11:00 in Moscow
        self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 13, 0))

    def test_public_holiday_moves_the_next_deadline(self):
        self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 11, 0))
        holiday = (
            self.env["resource.calendar.leaves"]
            .with_user(self.user_admin)
            .create(
                {
                    "name": "Extra holiday",
                    "calendar_id": self.calendar.id,
                    "date_from": msk(2026, 3, 10, 0, 0),
                    "date_to": msk(2026, 3, 10, 23, 59),
                    "time_type": "leave",
                }
            )
        )
        self.assertEqual(self._take_deadline(), msk(2026, 3, 11, 11, 0))
        holiday.unlink()
        self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 11, 0))

    def test_time_off_of_one_employee_keeps_the_cache(self):
        self._take_deadline()  # warm
        with self._counting_interval_reads() as reads:
            self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 11, 0))
            self.assertEqual(reads.call_count, 0)
            # the employee records their own time off
            self.env["resource.calendar.leaves"].with_user(self.user_division_head).create(
                {
                    "name": "Dentist",
                    "calendar_id": self.calendar.id,
                    "resource_id": self.emp_division.resource_id.id,
                    "date_from": msk(2026, 3, 10, 9, 0),
                    "date_to": msk(2026, 3, 10, 12, 0),
                    "time_type": "leave",
                }
            )
            self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 11, 0))
            self.assertEqual(reads.call_count, 0)
            # a calendar-wide leave clears it
            self.env["resource.calendar.leaves"].with_user(self.user_admin).create(
                {
                    "name": "Short day",
                    "calendar_id": self.calendar.id,
                    "date_from": msk(2026, 3, 10, 9, 0),
                    "date_to": msk(2026, 3, 10, 10, 0),
                    "time_type": "leave",
                }
            )
            self.assertEqual(self._take_deadline(), msk(2026, 3, 10, 12, 0))
            self.assertGreater(reads.call_count, 0)

    def test_policy_and_stage_changes_reach_the_clock(self):
        # created straight in a pausing stage: the clock starts paused
        self.assertFalse(self._take_deadline(stage_id=self.stage_waiting.id))
        self.assertEqual(self._take_deadline(stage_id=self.stage_progress.id), msk(2026, 3, 10, 11, 0))
        policy = self.policy.with_user(self.user_manager)
        policy.write({"pause_stage_ids": [Command.set(self.stage_progress.ids)], "take_hours": 3})
        self.assertFalse(self._take_deadline(stage_id=self.stage_progress.id))
        self.assertEqual(self._take_deadline(stage_id=self.stage_waiting.id), msk(2026, 3, 10, 12, 0))
        # an archived stage no longer pauses
        settings = self.env["service.desk.sla.policy"]._clock_settings(policy.id)
        self.assertEqual(settings.pause_stage_ids, frozenset(self.stage_progress.ids))
        self.stage_progress.with_user(self.user_admin).active = False
        settings = self.env["service.desk.sla.policy"]._clock_settings(policy.id)
        self.assertEqual(settings.pause_stage_ids, frozenset())

    def test_intervals_across_blocks(self):
        """The cached four-week blocks join without a gap or an overlap."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Round the clock",
                "tz": "UTC",
                "attendance_ids": [
                    Command.clear(),
                    *[
                        Command.create({"name": "Day", "dayofweek": str(day), "hour_from": 0, "hour_to": 24})
                        for day in range(7)
                    ],
                ],
            }
        )
        boundary = SLA_EPOCH + ((datetime(2026, 3, 10) - SLA_EPOCH) // SLA_BLOCK + 1) * SLA_BLOCK
        clock = SlaClock(calendar)
        start = boundary - timedelta(hours=1)
        # (Odoo ends a day's attendance at 23:59:59.999999: a microsecond per midnight)
        self.assertAlmostEqual(clock.plan(start, 2), boundary + timedelta(hours=1), delta=timedelta(seconds=1))
        self.assertAlmostEqual(clock.duration(start, boundary + timedelta(days=30)), 30 * 24 + 1, places=3)
        # the same working time as read directly over the whole range (Moscow calendar)
        start, end = msk(2026, 2, 20, 10, 0), msk(2026, 5, 20, 10, 0)
        moscow = SlaClock(self.calendar)
        direct = self.calendar._work_intervals_batch(utc.localize(start), utc.localize(end))[False]
        hours = sum((e - s).total_seconds() for s, e, _meta in direct) / 3600
        self.assertAlmostEqual(moscow.duration(start, end), hours)

    def test_job_woken_up_once(self):
        """A wake-up already planned before the new rows' next escalation is enough."""
        cron = self.env.ref("service_desk_sla.ir_cron_sla_escalate").sudo()
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        cron.nextcall = msk(2026, 3, 11, 9, 0)  # the regular run comes after the deadlines
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self._operator_case()
            self._operator_case()
        self.assertEqual(Trigger.search([("cron_id", "=", cron.id)]).mapped("call_at"), [msk(2026, 3, 10, 11, 0)])
        # an earlier deadline wakes it up earlier
        self.policy.with_user(self.user_manager).take_hours = 1
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self._operator_case()
        self.assertEqual(
            sorted(Trigger.search([("cron_id", "=", cron.id)]).mapped("call_at")),
            [msk(2026, 3, 10, 10, 0), msk(2026, 3, 10, 11, 0)],
        )
        # a wake-up already past (the one a running job was woken up by) does not count
        with freeze_time(msk(2026, 3, 10, 11, 30)):
            self._operator_case()
        self.assertIn(msk(2026, 3, 10, 12, 30), Trigger.search([("cron_id", "=", cron.id)]).mapped("call_at"))
