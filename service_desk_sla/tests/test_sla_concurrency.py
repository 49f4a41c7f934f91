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

    def _setup_committed(self):
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
                    "response_hours": 100,
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
