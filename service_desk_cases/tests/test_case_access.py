# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceDeskCommon


@tagged("post_install", "-at_install")
class TestCaseAccess(ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_front = cls._create_case(name="Front case", team_id=cls.team_first.id)
        cls.case_payments = cls._create_case(name="Payments case", team_id=cls.team_payments.id)
        cls.case_requester = cls._create_case(
            name="My laptop", partner_id=cls.user_requester.partner_id.id, team_id=cls.team_events.id
        )
        cls.other_company = cls.env["res.partner"].create({"name": "Other Cinema", "is_company": True})
        cls.other_customer = cls.env["res.partner"].create({"name": "Olaf", "parent_id": cls.other_company.id})
        cls.case_other_customer = cls._create_case(
            name="Other customer", partner_id=cls.other_customer.id, team_id=cls.team_first.id
        )

    def _visible(self, user):
        return self.env["service.desk.case"].with_user(user).search([])

    def test_agent_sees_own_groups_only(self):
        visible = self._visible(self.user_agent)
        self.assertIn(self.case_front, visible)
        self.assertNotIn(self.case_payments, visible)
        with self.assertRaises(AccessError):
            self.case_payments.with_user(self.user_agent).read(["name"])
        with self.assertRaises(AccessError):
            self.case_payments.with_user(self.user_agent).write({"priority": "3"})

    def test_agent_sees_cases_assigned_to_them(self):
        case = self._create_case(name="Assigned", team_id=self.team_payments.id, user_id=self.user_engineer.id)
        self.team_events.member_ids = [(3, self.user_engineer.id)]
        self.team_payments.member_ids = [(3, self.user_engineer.id)]
        self.assertIn(case, self._visible(self.user_engineer))
        self.assertNotIn(self.case_front, self._visible(self.user_engineer))

    def test_group_option_see_all(self):
        self.assertNotIn(self.case_payments, self._visible(self.user_agent))
        self.team_first.member_see_all = True
        self.assertIn(self.case_payments, self._visible(self.user_agent))

    def test_supervisor_sees_all(self):
        visible = self._visible(self.user_leader)
        self.assertTrue((self.case_front | self.case_payments | self.case_requester) <= visible)

    def test_requester_sees_own_only(self):
        visible = self._visible(self.user_requester)
        self.assertEqual(visible, self.case_requester)
        with self.assertRaises(AccessError):
            self.case_front.with_user(self.user_requester).read(["name"])
        own = self.env["service.desk.case"].with_user(self.user_requester).create({"name": "Printer jam"})
        self.assertEqual(own.channel, "internal")
        self.assertEqual(own.requester_type, "internal")
        self.assertEqual(own.partner_id, self.user_requester.partner_id, "the requester files for themselves")
        with self.assertRaises(AccessError):
            self.case_requester.with_user(self.user_requester).write({"stage_id": self.stage_closed.id})

    def test_requester_type_internal_for_employee(self):
        case = self._create_case(partner_id=self.user_requester.partner_id.id)
        self.assertEqual(case.requester_type, "internal")
        self.assertEqual(self.case_front.requester_type, "external")

    def test_portal_sees_commercial_partner_cases_only(self):
        visible = self._visible(self.user_portal)
        self.assertIn(self.case_front, visible, "same commercial partner (Acme)")
        self.assertNotIn(self.case_other_customer, visible)
        with self.assertRaises(AccessError):
            self.case_other_customer.with_user(self.user_portal).read(["name"])
        with self.assertRaises(AccessError):
            self.case_front.with_user(self.user_portal).write({"name": "hacked"})

    def test_multi_company(self):
        company2 = self.env["res.company"].create({"name": "Second Company"})
        team2 = self.env["service.desk.team"].create(
            {"name": "Other company desk", "company_id": company2.id, "alias_name": "sd-other-co"}
        )
        case2 = (
            self.env["service.desk.case"]
            .with_company(company2)
            .create({"name": "Elsewhere", "team_id": team2.id, "company_id": company2.id})
        )
        self.assertNotIn(case2, self._visible(self.user_leader))
        self.assertNotIn(team2, self.env["service.desk.team"].with_user(self.user_leader).search([]))

    def test_agent_cannot_configure_catalog(self):
        with self.assertRaises(AccessError):
            self.env["service.desk.service"].with_user(self.user_agent).create({"name": "Rogue"})
        with self.assertRaises(AccessError):
            self.env["service.desk.routing.rule"].with_user(self.user_leader).create({"name": "Rogue"})
        self.env["service.desk.service"].with_user(self.user_leader).create({"name": "Allowed"})


@tagged("post_install", "-at_install")
class TestPrivateContactsRule(ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.private = cls.env["res.partner"].create({"name": "Private Person", "email": "p@example.com"})
        cls.env["res.partner"]._sd_set_private_contacts_restriction(True)

    def test_agent_cannot_list_open_or_write_private_contacts(self):
        Partner = self.env["res.partner"].with_user(self.user_agent)
        self.assertNotIn(self.private, Partner.search([("name", "=", "Private Person")]))
        with self.assertRaises(AccessError):
            self.private.with_user(self.user_agent).web_read({"name": {}})
        with self.assertRaises(AccessError):
            self.private.with_user(self.user_agent).write({"name": "changed"})
        # reads by id stay allowed: mail and Discuss show the requester of a case
        self.assertEqual(self.private.with_user(self.user_agent).read(["name"])[0]["name"], "Private Person")

    def test_nothing_else_breaks(self):
        Partner = self.env["res.partner"].with_user(self.user_agent)
        visible = Partner.search([])
        self.assertIn(self.customer_company, visible, "companies stay visible")
        self.assertIn(self.customer, visible, "a company's contacts stay visible")
        self.assertIn(self.user_agent.partner_id, visible, "own contact")
        self.assertIn(self.user_portal.partner_id, visible, "contacts of users")
        self.user_agent.partner_id.with_user(self.user_agent).write({"phone": "123"})
        me = self.env["res.users"].with_user(self.user_agent).browse(self.user_agent.id)
        self.assertEqual(me.name, "Anton Agent")

    def test_administrators_see_them_and_setting_off_restores(self):
        self.assertIn(self.private, self.env["res.partner"].with_user(self.user_manager).search([]))
        self.env["res.partner"]._sd_set_private_contacts_restriction(False)
        self.assertIn(self.private, self.env["res.partner"].with_user(self.user_agent).search([]))

    def test_setting_through_config(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.service_desk_restrict_private_contacts)
        settings.service_desk_restrict_private_contacts = False
        settings.execute()
        self.assertIn(self.private, self.env["res.partner"].with_user(self.user_agent).search([]))
        plain = new_test_user(self.env, "sd_plain", groups="base.group_user")
        self.assertIn(self.private, self.env["res.partner"].with_user(plain).search([]))


@tagged("post_install", "-at_install")
class TestStaffMailIsInternal(ServiceDeskCommon):
    def test_group_notification_hidden_from_the_requester(self):
        """The group's new-case email is staff-only: the portal requester
        never finds it among the case's messages."""
        case = self._create_case(partner_id=self.user_portal.partner_id.id, team_id=self.team_first.id)
        notification = self.env["mail.mail"].search([("model", "=", case._name), ("res_id", "=", case.id)])
        self.assertTrue(notification, "the group was emailed")
        self.assertTrue(all(notification.mapped("is_internal")))
        self.assertTrue(case.with_user(self.user_portal).has_access("read"))
        seen = (
            self.env["mail.message"]
            .with_user(self.user_portal)
            .search([("model", "=", case._name), ("res_id", "=", case.id)])
        )
        self.assertFalse(seen & notification.mail_message_id)
