# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from .sla_common import moscow_calendar_values, msk


@tagged("post_install", "-at_install")
class TestSlaConcurrency(TransactionCase):
    """Two escalation runs in two transactions at the same time.

    The data is committed through separate cursors (the test transaction
    cannot be seen by another one) and removed at the end.
    """

    def _setup_committed(self, response_hours=100):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True})
            leader = env["res.users"].create(
                {"name": "Concurrent Leader", "login": "sd_sla_concurrent_leader", "email": "cl@example.com"}
            )
            team = env["service.desk.team"].create({"name": "Concurrency Group", "leader_id": leader.id})
            calendar = env["resource.calendar"].create(moscow_calendar_values("Concurrency calendar"))
            policy = env["service.desk.sla.policy"].create(
                {
                    "name": "Concurrency",
                    "sequence": 0,
                    "team_ids": [Command.set(team.ids)],
                    "calendar_id": calendar.id,
                    "take_hours": 2,
                    "response_hours": response_hours,
                    "resolve_hours": 200,
                    "warning_percent": 0,
                    "escalation_level_ids": [Command.create({"delay_hours": 0, "notify_team_leader": True})],
                }
            )
            with freeze_time(msk(2026, 3, 10, 9, 0)):
                cases = env["service.desk.case"].create([{"name": f"C{i}", "team_id": team.id} for i in range(4)])
            ids = {
                "leader": leader.id,
                "team": team.id,
                "calendar": calendar.id,
                "policy": policy.id,
                "cases": cases.ids,
                "rows": cases.sla_ids.filtered(lambda r: r.target == "take").ids,
                "due": cases.sla_ids.filtered(lambda r: r.target in ("take", "response")).sorted("id").ids,
            }
        return ids

    def _cleanup(self, ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.mail"].search([("model", "=", "service.desk.case"), ("res_id", "in", ids["cases"])]).unlink()
            env["mail.message"].search([("model", "=", "service.desk.case"), ("res_id", "in", ids["cases"])]).unlink()
            env["service.desk.case"].browse(ids["cases"]).unlink()
            env["service.desk.sla.policy"].browse(ids["policy"]).unlink()
            env["service.desk.team"].browse(ids["team"]).unlink()
            env["resource.calendar"].browse(ids["calendar"]).unlink()
            env["res.users"].browse(ids["leader"]).unlink()

    def test_two_concurrent_runs(self):
        ids = self._setup_committed()
        try:
            with (
                freeze_time(msk(2026, 3, 10, 11, 1)),
                self.registry.cursor() as cr1,
                self.registry.cursor() as cr2,
            ):
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                # run 1 takes two rows and is still in its transaction...
                done1 = env1["service.desk.case.sla"]._cron_escalate(batch_size=2)
                # ...while run 2 skips them and takes the others
                done2 = env2["service.desk.case.sla"]._cron_escalate(batch_size=200)
                cr2.commit()
                cr1.commit()
                self.assertEqual(len(done1), 2)
                self.assertEqual(len(done2), 2)
                self.assertFalse(set(done1.ids) & set(done2.ids))
                # a third run finds nothing left to do
                env2.invalidate_all()
                self.assertFalse(env2["service.desk.case.sla"]._cron_escalate(batch_size=200))
                cr2.commit()
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                mails = env["mail.mail"].search([("model", "=", "service.desk.case"), ("res_id", "in", ids["cases"])])
                self.assertEqual(sorted(mails.mapped("res_id")), sorted(ids["cases"]), "one mail per case")
                rows = env["service.desk.case.sla"].browse(ids["rows"])
                self.assertEqual(set(rows.mapped("escalation_level")), {1})
        finally:
            self._cleanup(ids)

    def test_concurrent_run_takes_other_cases(self):
        """A run skips the cases another run holds: no conflict, no row pushed back."""
        ids = self._setup_committed(response_hours=2)  # take and response breach together
        deadline = msk(2026, 3, 10, 11, 0)
        try:
            with (
                freeze_time(msk(2026, 3, 10, 11, 1)),
                self.registry.cursor() as cr1,
                self.registry.cursor() as cr2,
            ):
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                # run 1 holds the first row, of the first case...
                done1 = env1["service.desk.case.sla"]._cron_escalate(batch_size=1)
                self.assertEqual(done1.case_id.ids, ids["cases"][:1])
                # ...run 2 does not wait for it (nor fail on it): it takes the other cases
                cr2.execute("SET LOCAL lock_timeout = '3s'")
                with self.assertNoLogs("odoo.addons.service_desk_sla", level="ERROR"):
                    done2 = env2["service.desk.case.sla"]._cron_escalate(batch_size=200)
                self.assertEqual(set(done2.case_id.ids), set(ids["cases"][1:]))
                self.assertEqual(len(done2), 6)
                cr2.commit()
                cr1.commit()
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                rows = env["service.desk.case.sla"].browse(ids["due"])
                left = rows.filtered(lambda r: r.escalation_level == 0)
                self.assertEqual(left.case_id.ids, ids["cases"][:1], "only the held case's other row is left")
                self.assertEqual(left.next_escalation_at, deadline, "not pushed back")
                self.assertFalse(rows.filtered("escalation_error"))
            # the next run takes it
            with freeze_time(msk(2026, 3, 10, 11, 2)), self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                self.assertEqual(env["service.desk.case.sla"]._cron_escalate(batch_size=200), left.with_env(env))
                rows = env["service.desk.case.sla"].browse(ids["due"])
                self.assertEqual(set(rows.mapped("escalation_level")), {1})
                mails = env["mail.mail"].search([("model", "=", "service.desk.case"), ("res_id", "in", ids["cases"])])
                self.assertEqual(len(mails), len(ids["due"]), "one mail per breached target, none twice")
        finally:
            self._cleanup(ids)
