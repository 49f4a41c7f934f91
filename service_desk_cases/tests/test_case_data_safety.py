# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import ServiceDeskCommon
from .test_case_mail import MAIL_TEMPLATE


@tagged("post_install", "-at_install")
class TestCaseDataSafety(ServiceDeskCommon, MockEmail):
    """Archiving and deleting catalog records and contacts loses nothing (issue 10, item 11)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team_first.alias_domain_id = cls.mail_alias_domain
        cls.tag = cls.env["service.desk.tag"].create({"name": "VIP"})
        cls.case = cls._create_case(
            name="Front case", subservice_id=cls.sub_card.id, team_id=cls.team_first.id, tag_ids=[(6, 0, cls.tag.ids)]
        )

    def _refused(self, records, *expected):
        with self.assertRaises(UserError) as caught:
            records.unlink()
        for text in expected:
            self.assertIn(text, str(caught.exception))
        self.assertTrue(records.exists(), "nothing deleted")

    def test_archived_group_keeps_its_cases_visible_to_members(self):
        self.team_first.with_user(self.user_leader).action_archive()
        Case = self.env["service.desk.case"]
        for user in (self.user_agent, self.user_operator):
            self.assertIn(self.case, Case.with_user(user).search([]), user.login)
            self.case.with_user(user).write({"priority": "2"})
        self.assertNotIn(self.case, Case.with_user(self.user_agent2).search([]), "other groups still do not")

    def test_archived_group_alias_creates_no_case(self):
        self.team_first.action_archive()
        count = self.env["service.desk.case"].search_count([])
        with self.mock_mail_gateway():
            self.format_and_process(
                MAIL_TEMPLATE,
                "carl@acme.example.com",
                subject="Anyone there?",
                to=f"sd-front@{self.alias_domain}",
                target_model="service.desk.case",
            )
        self.assertEqual(self.env["service.desk.case"].search_count([]), count, "no case in an archived group")
        bounced = [mail for mail in self._mails if mail.get("subject") == "Re: Anyone there?"]
        self.assertEqual(len(bounced), 1, "the sender is told, the mail is not lost silently")
        self.team_first.action_unarchive()
        self.assertEqual(self.team_first.alias_id.alias_name, "sd-front", "the alias survives for reactivation")

    def test_group_with_cases_cannot_be_deleted(self):
        alias = self.team_first.alias_id
        self._refused(self.team_first.with_user(self.user_leader), "Front Desk", "cases: 1", "archive")
        self.assertEqual(self.case.team_id, self.team_first)
        self.assertTrue(alias.exists())
        # a group used by nothing can go
        spare = self.env["service.desk.team"].create({"name": "Spare", "line_id": self.line2.id})
        spare.with_user(self.user_leader).unlink()
        self.assertFalse(spare.exists())

    def test_group_used_by_the_catalog_cannot_be_deleted(self):
        self._refused(self.team_events.with_user(self.user_leader), "Events L2", "services: 1")

    def test_service_line_stage_tag_in_use(self):
        self._refused(self.sub_card.with_user(self.user_leader), "Card payment failed", "cases: 1")
        self._refused(self.line1.with_user(self.user_leader), self.line1.display_name, "cases")
        self._refused(self.stage_new.with_user(self.user_leader), self.stage_new.display_name, "cases: 1")
        self._refused(self.tag.with_user(self.user_leader), "VIP (cases: 1)")
        self.assertEqual(self.case.tag_ids, self.tag)
        unused = self.env["service.desk.tag"].create({"name": "Unused"})
        unused.with_user(self.user_leader).unlink()
        self.assertFalse(unused.exists())

    def test_agent_cannot_delete_a_requester(self):
        self._refused(self.customer.with_user(self.user_agent), "Carl Customer", "cases: 1")
        self.assertEqual(self.case.partner_id, self.customer)
        lonely = self.env["res.partner"].create({"name": "No Cases", "parent_id": self.customer_company.id})
        lonely.with_user(self.user_agent).unlink()
        self.assertFalse(lonely.exists())
