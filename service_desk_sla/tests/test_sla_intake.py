# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

from .sla_common import SlaCommon, msk

MAIL = """Return-Path: {return_path}
To: {to}
cc: {cc}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Date: Tue, 10 Mar 2026 06:00:00 +0000
Message-ID: {msg_id}
{extra}
My card was charged twice.
"""


@tagged("post_install", "-at_install")
class TestSlaIntake(SlaCommon, MockEmail):
    """A configuration mistake in the SLA never stops case intake."""

    def _break_policy_calendar(self):
        # a policy left without working hours (a data import, SQL, an older version)
        self.env.cr.execute("UPDATE service_desk_sla_policy SET calendar_id = NULL WHERE id = %s", [self.policy.id])
        self.policy.invalidate_recordset(["calendar_id"])
        # behind the ORM's back: the policies' cached clock settings are only
        # cleared by a restart (or any change of a policy through the ORM)
        self.env.registry.clear_cache()

    def test_calendar_of_a_policy_cannot_be_deleted(self):
        admin = new_test_user(
            self.env,
            "sd_sla_admin",
            groups="base.group_system,service_desk_cases.group_service_desk_manager",
            context={"no_reset_password": True},
        )
        with self.assertRaises(UserError) as cm:
            self.calendar.with_user(admin).unlink()
        self.assertIn("Standard", str(cm.exception))
        self.assertIn(self.calendar.name, str(cm.exception))
        self.assertTrue(self.calendar.exists())
        self.assertEqual(self.policy.calendar_id, self.calendar)
        # an archived policy still protects its calendar
        self.policy.active = False
        with self.assertRaises(UserError):
            self.calendar.with_user(admin).unlink()

    def test_case_created_when_the_sla_cannot_be_computed(self):
        self._break_policy_calendar()
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = (
                self.env["service.desk.case"]
                .with_user(self.user_operator)
                .create({"name": "Cash register down", "team_id": self.team_first.id})
            )
        self.assertTrue(case.number)
        self.assertFalse(case.sla_ids)
        self.assertFalse(case.sla_status)
        notes = case.sudo().message_ids.filtered(lambda m: "No SLA deadlines" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("Standard", notes.body)
        self.assertIn("Working Hours", notes.body)

    def test_email_case_created_when_the_sla_cannot_be_computed(self):
        self._init_mail_gateway()
        self.team_first.alias_domain_id = self.mail_alias_domain
        self.team_first.alias_name = "sd-first"
        self._break_policy_calendar()
        with self.mock_mail_gateway(), freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self.format_and_process(
                MAIL,
                '"Olga Owner" <olga@example.org>',
                subject="Card charged twice",
                to=f"sd-first@{self.alias_domain}",
                target_model="service.desk.case",
            )
        self.assertEqual(len(case), 1)
        self.assertEqual(case.team_id, self.team_first)
        self.assertFalse(case.sla_ids)
        self.assertTrue(case.message_ids.filtered(lambda m: "No SLA deadlines" in (m.body or "")))

    def test_work_goes_on_when_the_policy_loses_its_calendar(self):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            case = self._sla_case()
        self._break_policy_calendar()
        agent_case = case.with_user(self.user_agent)
        with freeze_time(msk(2026, 3, 10, 10, 0)):
            agent_case.stage_id = self.stage_waiting
        with freeze_time(msk(2026, 3, 10, 11, 0)):
            agent_case.stage_id = self.stage_progress
            agent_case.priority = "2"
        resolve = self._row(case, "resolve")
        self.assertEqual(resolve.state, "running")
        self.assertFalse(resolve.deadline)
        self.assertIn("no deadline could be computed", resolve.explanation)
        with freeze_time(msk(2026, 3, 10, 12, 0)):
            agent_case.stage_id = self.stage_resolved
        self.assertEqual(resolve.reached_date, msk(2026, 3, 10, 12, 0))
