# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .sla_common import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaConfig(SlaCommon):
    def _policy(self, **vals):
        values = {"name": "Bad", "calendar_id": self.calendar.id}
        values.update(vals)
        return self.env["service.desk.sla.policy"].create(values)

    def test_no_calendar(self):
        with self.assertRaises(ValidationError) as cm:
            self._policy(calendar_id=False)
        self.assertIn("Working Hours", str(cm.exception))

    def test_calendar_without_attendance(self):
        empty = self.env["resource.calendar"].create({"name": "Empty", "attendance_ids": [Command.clear()]})
        with self.assertRaises(ValidationError) as cm:
            self._policy(calendar_id=empty.id)
        self.assertIn("no working hours", str(cm.exception))

    def test_zero_or_negative_targets(self):
        for field, label in (("take_hours", "Take Into Work"), ("resolve_hours", "Resolution")):
            for value in (0, -1):
                with self.assertRaises(ValidationError) as cm:
                    self._policy(**{field: value})
                self.assertIn(label, str(cm.exception))

    def test_decreasing_level_delays(self):
        with self.assertRaises(ValidationError) as cm:
            self._policy(
                escalation_level_ids=[
                    Command.create({"sequence": 1, "delay_hours": 24}),
                    Command.create({"sequence": 2, "delay_hours": 4}),
                ]
            )
        self.assertIn("Delay After Breach", str(cm.exception))
        with self.assertRaises(ValidationError):
            self.policy.escalation_level_ids[-1].delay_hours = 1

    def test_bad_priority_and_warning(self):
        with self.assertRaises(ValidationError) as cm:
            self._policy(priority="1,9")
        self.assertIn("Priorities", str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            self._policy(warning_percent=120)
        self.assertIn("Warning At", str(cm.exception))

    def test_form_defaults_company_calendar(self):
        form = Form(self.env["service.desk.sla.policy"])
        form.name = "From the form"
        self.assertEqual(form.calendar_id, self.env.company.resource_calendar_id)
        policy = form.save()
        self.assertGreater(policy.take_hours, 0)

    def test_long_pause_and_long_holiday(self):
        """A holiday spanning weeks and a case paused for months do not crash."""
        from freezegun import freeze_time

        from .sla_common import msk

        self.env["resource.calendar.leaves"].create(
            {
                "name": "Long closure",
                "calendar_id": self.calendar.id,
                "date_from": msk(2026, 3, 10, 0, 0),
                "date_to": msk(2026, 5, 31, 23, 0),
            }
        )
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        self.assertEqual(self._row(case, "take").deadline, msk(2026, 6, 1, 11, 0))
        with freeze_time(msk(2026, 6, 1, 9, 30)):
            case.stage_id = self.stage_waiting
        with freeze_time(msk(2026, 12, 1, 9, 0)):  # a Tuesday, months later
            case.stage_id = self.stage_progress
        take = self._row(case, "take")
        self.assertEqual(take.deadline, msk(2026, 12, 1, 10, 30))
        self.assertGreater(take.paused_hours, 500)

    def test_policy_changes_apply_to_the_next_case(self):
        """Policy selection is cached; any change of a policy applies to the next case at once."""
        first = self._sla_case()
        self.assertEqual(first.sla_policy_id, self.policy)
        self.policy.team_ids = [Command.set(self.team_payments.ids)]
        self.assertFalse(self._sla_case().sla_policy_id)
        self.policy.team_ids = [Command.clear()]
        self.assertEqual(self._sla_case().sla_policy_id, self.policy)
        urgent = self._policy(name="Urgent only", sequence=1, priority="3")
        self.assertEqual(self._sla_case(priority="3").sla_policy_id, urgent)
        urgent.active = False
        self.assertEqual(self._sla_case(priority="3").sla_policy_id, self.policy)
        # selected the same way for an operator and for an employee's own request
        case = (
            self.env["service.desk.case"]
            .with_user(self.user_operator)
            .create({"name": "Operator case", "team_id": self.team_first.id})
        )
        self.assertEqual(case.sla_policy_id, self.policy)
        request = self.env["service.desk.case"].with_user(self.user_requester).create({"name": "My laptop"})
        self.assertEqual(request.sudo().sla_policy_id, self.policy)
