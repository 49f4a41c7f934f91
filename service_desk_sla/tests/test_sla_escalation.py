# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.service_desk_cases.tests.common import steady_gc

from ..models.service_desk_escalation_level import ServiceDeskEscalationLevel
from .sla_common import SlaCommon, msk


@tagged("post_install", "-at_install")
class TestSlaEscalation(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the take target breaches within the tests' horizon
        cls.policy.write({"response_hours": 100, "resolve_hours": 200})

    def _run_cron(self, moment, batch_size=200):
        with freeze_time(moment):
            self.Sla._cron_escalate(batch_size=batch_size)
        self.env.flush_all()

    def _mails_to(self, cases, user):
        return self._escalation_mails(cases).filtered(lambda m: user.partner_id in m.recipient_ids)

    def test_ladder_three_levels_exactly_once(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        take = self._row(case, "take")
        deadline = msk(2026, 3, 10, 11, 0)
        self.assertEqual(take.next_escalation_at, deadline)
        self._run_cron(deadline - timedelta(minutes=5))
        self.assertFalse(self._escalation_mails(case), "nothing before the deadline")
        # level 1 at the breach: the group leader; the double run sends nothing more
        self._run_cron(deadline + timedelta(minutes=1))
        self._run_cron(deadline + timedelta(minutes=2))
        mails = self._escalation_mails(case)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.user_leader.partner_id)
        self.assertEqual(take.state, "breached")
        self.assertEqual(take.escalation_level, 1)
        self.assertEqual(take.next_escalation_at, deadline + timedelta(hours=24))
        self.assertEqual(case.sla_status, "breached")
        self.assertIn("level 1", "\n".join(case.message_ids.mapped("body")))
        # level 2 at +24 h: the division's manager (through the cron record once)
        with freeze_time(deadline + timedelta(hours=24, minutes=1)):
            self.env.ref("service_desk_sla.ir_cron_sla_escalate").method_direct_trigger()
        self._run_cron(deadline + timedelta(hours=24, minutes=2))
        self.assertEqual(len(self._escalation_mails(case)), 2)
        self.assertEqual(len(self._mails_to(case, self.user_division_head)), 1)
        # level 3 at +48 h: the parent department's manager, then the ladder ends
        self._run_cron(deadline + timedelta(hours=48, minutes=1))
        self._run_cron(deadline + timedelta(hours=72))
        self.assertEqual(len(self._escalation_mails(case)), 3)
        self.assertEqual(len(self._mails_to(case, self.user_director)), 1)
        self.assertEqual(take.escalation_level, 3)
        self.assertFalse(take.next_escalation_at)
        # reached late: stays breached, elapsed time recorded
        with freeze_time(deadline + timedelta(hours=73)):
            case.with_user(self.user_agent).action_take()
        self.assertEqual(take.state, "breached")
        self.assertTrue(take.reached_date)
        self.assertGreater(take.elapsed_hours, 2)

    def test_meeting_target_stops_ladder(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        self._run_cron(msk(2026, 3, 10, 11, 1))
        with freeze_time(msk(2026, 3, 10, 12, 0)):
            case.with_user(self.user_agent).action_take()
        take = self._row(case, "take")
        self.assertFalse(take.next_escalation_at)
        self._run_cron(msk(2026, 3, 12, 12, 0))
        self.assertEqual(len(self._escalation_mails(case)), 1)

    def test_missing_recipient_logged_and_skipped(self):
        self.team_first.department_id = False
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        deadline = msk(2026, 3, 10, 11, 0)
        self._run_cron(deadline + timedelta(hours=24, minutes=1))
        take = self._row(case, "take")
        self.assertEqual(take.escalation_level, 2)
        self.assertEqual(self._escalation_mails(case).recipient_ids, self.user_leader.partner_id)
        bodies = "\n".join(case.message_ids.mapped("body"))
        self.assertIn("no department manager to notify", bodies)

    def test_broken_case_does_not_stop_batch(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            good = self._sla_case(name="Good")
            bad = self._sla_case(name="Bad")
        original = ServiceDeskEscalationLevel._recipients

        def broken(level, case):
            if case == bad:
                raise ValueError("broken org chart")
            return original(level, case)

        moment = msk(2026, 3, 10, 11, 1)
        with patch.object(ServiceDeskEscalationLevel, "_recipients", broken):
            self._run_cron(moment)
        self.assertEqual(self._row(good, "take").escalation_level, 1)
        self.assertEqual(len(self._escalation_mails(good)), 1)
        bad_take = self._row(bad, "take")
        self.assertEqual(bad_take.escalation_level, 0)
        self.assertFalse(self._escalation_mails(bad))
        self.assertEqual(bad_take.next_escalation_at, moment + timedelta(hours=1), "retried later")
        # repaired: the next run sends it
        self._run_cron(moment + timedelta(hours=1))
        self.assertEqual(bad_take.escalation_level, 1)

    def test_warning_once(self):
        self.policy.warning_percent = 50
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        take = self._row(case, "take")
        self.assertEqual(take.warning_date, msk(2026, 3, 10, 10, 0))
        self.assertEqual(take.next_escalation_at, msk(2026, 3, 10, 10, 0))
        self._run_cron(msk(2026, 3, 10, 10, 1))
        self._run_cron(msk(2026, 3, 10, 10, 2))
        warnings = self._escalation_mails(case).filtered(lambda m: "at risk" in m.subject)
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings.recipient_ids, self.user_agent.partner_id)
        self.assertEqual(case.sla_status, "at_risk")
        self.assertEqual(take.next_escalation_at, take.deadline)

    def test_cron_schedules_next_run(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self._sla_case()
        cron = self.env.ref("service_desk_sla.ir_cron_sla_escalate")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        self._run_cron(msk(2026, 3, 10, 10, 0))
        self.assertEqual(Trigger.search([("cron_id", "=", cron.id)]).call_at, msk(2026, 3, 10, 11, 0))

    def test_query_count_independent_of_due_rows(self):
        self.policy.escalation_level_ids = [
            Command.clear(),
            Command.create({"delay_hours": 0, "notify_team_leader": True, "notify_department_manager": True}),
        ]
        Case = self.env["service.desk.case"]

        def breach(count, day):
            with freeze_time(msk(2026, 3, day, 9, 0)):
                cases = Case.create([{"name": f"Case {i}", "team_id": self.team_first.id} for i in range(count)])
            self.env.flush_all()
            self.env.invalidate_all()
            moment = msk(2026, 3, day, 11, 1)
            with freeze_time(moment), steady_gc():
                before = self.cr.sql_log_count
                self.Sla._cron_escalate(batch_size=500)
                self.env.flush_all()
                queries = self.cr.sql_log_count - before
            self.assertEqual(len(self._escalation_mails(cases)), count)
            return queries

        breach(2, 10)  # warm the caches
        q10 = breach(10, 11)
        q100 = breach(100, 12)
        self.assertEqual(q10, q100)
        # and nothing due: a handful of queries
        self.env.invalidate_all()
        with freeze_time(msk(2026, 3, 12, 11, 2)), self.assertQueryCount(__system__=4):
            self.Sla._cron_escalate(batch_size=500)
            self.env.flush_all()

    def test_case_creation_triggers_the_job_only_when_needed(self):
        cron = self.env.ref("service_desk_sla.ir_cron_sla_escalate")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        # the regular run at 9:30 comes before the 11:00 deadline: it plans the next run itself
        cron.sudo().nextcall = msk(2026, 3, 10, 9, 30)
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self._sla_case()
        self.assertFalse(Trigger.search([("cron_id", "=", cron.id)]))
        # ...and, while it runs (its nextcall is then past), it wakes the job up at the deadline
        self._run_cron(msk(2026, 3, 10, 9, 30))
        self.assertEqual(Trigger.search([("cron_id", "=", cron.id)]).call_at, msk(2026, 3, 10, 11, 0))
        # the next regular run comes after the deadline: the case wakes the job up itself
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        cron.sudo().nextcall = msk(2026, 3, 10, 12, 0)
        with freeze_time(msk(2026, 3, 10, 9, 45)):
            self._sla_case()
        self.assertEqual(Trigger.search([("cron_id", "=", cron.id)]).call_at, msk(2026, 3, 10, 11, 45))
