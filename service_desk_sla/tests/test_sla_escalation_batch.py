# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import IrQWeb
from odoo.addons.service_desk_cases.tests.common import steady_gc

from .sla_common import SlaCommon, msk


@tagged("post_install", "-at_install")
class TestSlaEscalationBatch(SlaCommon):
    """The escalation job over many due rows: every level's work done in
    batches (mails rendered from code compiled once, activities, priority
    raises, notes), so that its queries do not grow with the rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"response_hours": 100, "resolve_hours": 200})
        # both levels are due two hours after the deadline: an activity for
        # the leader, then a priority raise with the department manager
        cls.policy.escalation_level_ids = [
            Command.clear(),
            Command.create({"sequence": 1, "delay_hours": 0, "notify_team_leader": True, "schedule_activity": True}),
            Command.create(
                {"sequence": 2, "delay_hours": 1, "notify_department_manager": True, "raise_priority": True}
            ),
        ]
        cls.cron = cls.env.ref("service_desk_sla.ir_cron_sla_escalate")

    def _breached_cases(self, count, day):
        """``count`` cases of Tuesday ``day`` March 2026 at 9:00, unassigned (take due at 11:00)."""
        with freeze_time(msk(2026, 3, day, 9, 0)):
            cases = self.env["service.desk.case"].create(
                [{"name": f"Case {day}-{i}", "team_id": self.team_first.id} for i in range(count)]
            )
        self.env.flush_all()
        self.env.invalidate_all()
        return cases

    def _run_job(self, moment, batch_size=500):
        """One call of the job as the cron runs it: as the cron's user."""
        with freeze_time(moment):
            self.Sla.with_user(self.cron.user_id)._cron_escalate(batch_size=batch_size)
            self.env.flush_all()

    def _activities(self, cases):
        return self.env["mail.activity"].search([("res_model", "=", "service.desk.case"), ("res_id", "in", cases.ids)])

    def _escalate_counting(self, count, day, limit=None):
        """Escalate ``count`` breached cases; the queries of the job (at most ``limit``)."""
        cases = self._breached_cases(count, day)
        with steady_gc():
            before = self.cr.sql_log_count
            if limit is None:
                self._run_job(msk(2026, 3, day, 13, 30))
            else:
                with self.assertQueryCount(default=limit):
                    self._run_job(msk(2026, 3, day, 13, 30))
            queries = self.cr.sql_log_count - before
        # what every row got: two mails, one to-do for the leader, one raise
        self.assertEqual(len(self._escalation_mails(cases)), 2 * count)
        self.assertEqual(len(self._activities(cases)), count)
        self.assertEqual(set(cases.mapped("priority")), {"2"})
        return queries

    def test_query_count_does_not_grow_with_due_rows(self):
        # Tuesday 10 March warms the caches; 11 and 12 March are compared
        self._escalate_counting(2, 10)
        q10 = self._escalate_counting(10, 11)
        # three times the rows, not one query more
        self._escalate_counting(30, 12, limit=q10)

    def test_each_level_once_with_its_values(self):
        cases = self._breached_cases(3, 10)
        self._run_job(msk(2026, 3, 10, 13, 30))
        self._run_job(msk(2026, 3, 10, 13, 31))
        self.env.invalidate_all()
        # exactly once: a second run sends, schedules and raises nothing more
        self.assertEqual(len(self._activities(cases)), 3)
        self.assertEqual(set(self._activities(cases).user_id), {self.user_leader})
        self.assertEqual(set(cases.mapped("priority")), {"2"})
        for case in cases:
            mails = self._escalation_mails(case)
            self.assertEqual(len(mails), 2)
            self.assertEqual(mails.recipient_ids, self.user_leader.partner_id | self.user_division_head.partner_id)
            # the bodies rendered for the batch carry each case's own values
            for mail in mails:
                self.assertIn(case.number, mail.subject)
                self.assertIn(case.number, mail.body_html)
            self.assertEqual(self._row(case, "take").escalation_level, 2)
            # the raise is tracked on the case's escalation note, not in a message of its own
            tracked = case.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "priority")
            self.assertEqual(len(tracked), 1)
            self.assertEqual((tracked.old_value_char, tracked.new_value_char), ("Normal", "High"))
            self.assertIn("Escalation level 2", tracked.mail_message_id.body)

    def test_body_compiled_once_per_batch(self):
        cases = self._breached_cases(6, 10)
        self.env.registry.clear_cache("templates")
        with patch.object(IrQWeb, "_compile", autospec=True, side_effect=IrQWeb._compile) as compile_:
            self._run_job(msk(2026, 3, 10, 11, 30))
        self.assertEqual(len(self._escalation_mails(cases)), 6)
        # one template, one language: compiled once, not once per case
        self.assertEqual(compile_.call_count, 1)

    def test_body_failing_on_one_row_spares_the_others(self):
        """A body that fails on one case only: the other rows' mails go out,
        the failing row is recorded and retried, as with Odoo's renderer."""
        template = self.env.ref("service_desk_sla.mail_template_sla_escalation").copy(
            {
                "body_html": '<p>Case <t t-out="object.case_id.number"/>: '
                "<t t-out=\"object.no_such_field if object.case_id.name == 'Bad' else 'ok'\"/></p>"
            }
        )
        self.policy.escalation_level_ids[0].mail_template_id = template
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            good = self.env["service.desk.case"].create(
                [{"name": f"Good {i}", "team_id": self.team_first.id} for i in range(3)]
            )
            bad = self._sla_case(name="Bad", user_id=False)
        self._run_job(msk(2026, 3, 10, 11, 30))
        for case in good:
            mail = self._escalation_mails(case)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.body_html, f"<p>Case {case.number}: ok</p>")
            self.assertEqual(self._row(case, "take").escalation_level, 1)
        bad_take = self._row(bad, "take")
        self.assertFalse(self._escalation_mails(bad))
        self.assertEqual(bad_take.escalation_level, 0)
        self.assertIn("could not be rendered", bad_take.escalation_error)
        self.assertEqual(bad_take.next_escalation_at, msk(2026, 3, 10, 12, 30), "retried later")
