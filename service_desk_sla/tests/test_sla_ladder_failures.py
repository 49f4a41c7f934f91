# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.service_desk_cases.tests.common import steady_gc

from .sla_common import SlaCommon, msk

DEADLINE = msk(2026, 3, 10, 11, 0)


@tagged("post_install", "-at_install")
class TestSlaLadderFailures(SlaCommon):
    """What one run of the escalation job does once, and what it does with broken rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.write({"response_hours": 100, "resolve_hours": 200})

    def _run_cron(self, moment):
        with freeze_time(moment):
            self.Sla._cron_escalate(batch_size=200)
        self.env.flush_all()

    def _notes(self, case, text):
        return case.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_failing_template_at_level_two(self):
        """Level 1 still goes out, the case is told once, the row stops after a few attempts."""
        broken = self.env["mail.template"].create(
            {
                "name": "Broken escalation",
                "model_id": self.env["ir.model"]._get_id("service.desk.case.sla"),
                "subject": "SLA {{ object.no_such_field }}",
                "body_html": "<p>Escalated</p>",
            }
        )
        level2 = self.policy.escalation_level_ids.sorted("sequence")[1]
        good_template = level2.mail_template_id
        level2.mail_template_id = broken
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        take = self._row(case, "take")
        # the job was down for a day: levels 1 and 2 are due in the same run
        moment = DEADLINE + timedelta(hours=24, minutes=1)
        self._run_cron(moment)
        mails = self._escalation_mails(case)
        self.assertEqual(len(mails), 1, "the level-1 mail is sent")
        self.assertEqual(mails.recipient_ids, self.user_leader.partner_id)
        self.assertEqual(take.state, "breached")
        self.assertEqual(take.escalation_level, 1)
        self.assertIn("Broken escalation", take.escalation_error)
        self.assertIn("no_such_field", take.escalation_error)
        self.assertNotIn("Traceback", take.escalation_error)
        self.assertEqual(take.escalation_attempts, 1)
        self.assertEqual(take.next_escalation_at, moment + timedelta(hours=1))
        self.assertEqual(len(self._notes(case, "SLA escalation of")), 1)
        # two more failing attempts, then the row is no longer due
        self._run_cron(moment + timedelta(hours=1, minutes=1))
        self._run_cron(moment + timedelta(hours=2, minutes=2))
        self.assertEqual(take.escalation_attempts, 3)
        self.assertFalse(take.next_escalation_at)
        self.assertEqual(len(self._notes(case, "SLA escalation of")), 1, "the case is told once")
        self.assertIn(take, self.Sla.search([("escalation_error", "!=", False)]))
        self._run_cron(moment + timedelta(hours=5))
        self.assertEqual(take.escalation_attempts, 3, "a given-up row is not retried")
        self.assertEqual(len(self._escalation_mails(case)), 1)
        # an agent cannot put it back in the queue
        with self.assertRaises(AccessError):
            take.with_user(self.user_agent).action_retry_escalation()
        # the administrator repairs the template and retries
        level2.mail_template_id = good_template
        with freeze_time(moment + timedelta(hours=6)):
            take.with_user(self.user_manager).action_retry_escalation()
        self._run_cron(moment + timedelta(hours=6, minutes=1))
        self.assertEqual(take.escalation_level, 2)
        self.assertFalse(take.escalation_error)
        self.assertEqual(take.escalation_attempts, 0)
        self.assertEqual(len(self._escalation_mails(case)), 2)
        self.assertEqual(take.next_escalation_at, DEADLINE + timedelta(hours=48))

    def test_activities_and_priority_once_per_case_and_level(self):
        """Two breached targets of one case in one batch: one activity, one priority step."""
        self.policy.write(
            {
                "response_hours": 2,
                "escalation_level_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "delay_hours": 0,
                            "notify_team_leader": True,
                            "schedule_activity": True,
                            "raise_priority": True,
                        }
                    ),
                ],
            }
        )
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            cases = self.env["service.desk.case"].create(
                [{"name": f"Case {i}", "team_id": self.team_first.id, "priority": "1"} for i in range(3)]
            )
        with self.assertNoLogs("odoo.addons.service_desk_sla", level="ERROR"):
            self._run_cron(DEADLINE + timedelta(minutes=1))
        for case in cases:
            self.assertEqual(case.priority, "2", "raised once, not once per breached target")
            rows = case.sla_ids.filtered(lambda r: r.target in ("take", "response"))
            self.assertEqual(set(rows.mapped("escalation_level")), {1})
            self.assertEqual(len(self._escalation_mails(case)), 2, "one mail per target")
            activities = case.activity_ids.filtered(lambda a: a.user_id == self.user_leader)
            self.assertEqual(len(activities), 1)
            self.assertIn("Take Into Work", activities.summary)
            self.assertIn("First Response", activities.summary)
            self.assertIn(self.user_leader.partner_id, case.message_partner_ids)
        self.assertEqual(cases.sla_policy_id, self.policy, "the raised priority keeps the policy")

    def test_two_levels_in_one_run_raise_twice(self):
        """Once per case per level: two levels due in one run raise by two steps."""
        self.policy.escalation_level_ids = [
            Command.clear(),
            Command.create({"sequence": 1, "delay_hours": 0, "notify_team_leader": True, "raise_priority": True}),
            Command.create({"sequence": 2, "delay_hours": 4, "notify_team_leader": True, "raise_priority": True}),
        ]
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case(priority="0")
        self._run_cron(DEADLINE + timedelta(hours=5))
        self.assertEqual(case.priority, "2")
        self._run_cron(DEADLINE + timedelta(hours=6))
        self.assertEqual(case.priority, "2", "nothing more is due")

    def test_hand_to_next_line_keeps_policy(self):
        """The ladder hands the case over through the case's own method; the policy stays."""
        self.team_experts.write({"leader_id": self.user_leader.id})
        self.policy.write(
            {
                "team_ids": [Command.set(self.team_first.ids)],
                "escalation_level_ids": [
                    Command.clear(),
                    Command.create({"delay_hours": 0, "notify_team_leader": True, "escalate_next_line": True}),
                ],
            }
        )
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        self.assertEqual(case.sla_policy_id, self.policy)
        self._run_cron(DEADLINE + timedelta(minutes=1))
        self.assertNotEqual(case.team_id, self.team_first, "handed to the next line")
        self.assertEqual(case.sla_policy_id, self.policy, "the promise made to the customer stands")
        self.assertFalse(self._notes(case, "SLA policy changed"))
        # a change made by a person afterwards re-selects as before
        with freeze_time(DEADLINE + timedelta(hours=1)):
            case.priority = "3"
        self.assertFalse(case.sla_policy_id)

    def test_template_failing_on_one_row_of_the_batch(self):
        """One rendering over the batch; a row it fails on does not cost the others their mail."""
        picky = self.env["mail.template"].create(
            {
                "name": "Picky escalation",
                "model_id": self.env["ir.model"]._get_id("service.desk.case.sla"),
                "subject": "SLA {{ object.case_id.name if object.case_id.name != 'Bad' else object.no_such_field }}",
                "body_html": "<p>Escalated</p>",
            }
        )
        self.policy.escalation_level_ids.sorted("sequence")[0].mail_template_id = picky
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            good = self._sla_case(name="Good")
            bad = self._sla_case(name="Bad")
        self._run_cron(DEADLINE + timedelta(minutes=1))
        self.assertEqual(self._escalation_mails(good).subject, "SLA Good")
        self.assertEqual(self._row(good, "take").escalation_level, 1)
        self.assertFalse(self._row(good, "take").escalation_error)
        self.assertFalse(self._escalation_mails(bad))
        self.assertEqual(self._row(bad, "take").escalation_level, 0)
        self.assertIn("no_such_field", self._row(bad, "take").escalation_error)

    def test_query_count_with_activities_independent_of_due_rows(self):
        """Activities and priority raises are batched: the job's queries do not grow with the rows."""
        self.policy.write(
            {
                "response_hours": 2,
                "escalation_level_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "delay_hours": 0,
                            "notify_team_leader": True,
                            "schedule_activity": True,
                            "raise_priority": True,
                        }
                    ),
                ],
            }
        )
        Case = self.env["service.desk.case"]

        def breach(count, day):
            with freeze_time(msk(2026, 3, day, 9, 0)):
                cases = Case.create([{"name": f"Case {i}", "team_id": self.team_first.id} for i in range(count)])
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(msk(2026, 3, day, 11, 1)), steady_gc():
                before = self.cr.sql_log_count
                self.Sla._cron_escalate(batch_size=500)
                self.env.flush_all()
                queries = self.cr.sql_log_count - before
            self.assertEqual(len(cases.activity_ids), count)
            return queries

        breach(2, 10)  # warm the caches
        # two mails per case: stay under the ORM's insert batches of 100 rows
        self.assertEqual(breach(10, 11), breach(45, 12))
