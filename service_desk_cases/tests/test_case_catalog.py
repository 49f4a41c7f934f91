# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ServiceDeskCommon


@tagged("post_install", "-at_install")
class TestCaseCatalog(ServiceDeskCommon):
    def test_subservice_fills_service(self):
        case = self._create_case(subservice_id=self.sub_card.id)
        self.assertEqual(case.service_id, self.service_payments)
        self.assertTrue(case.number.startswith("SD"))

    def test_inconsistent_subservice_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._create_case(service_id=self.service_events.id, subservice_id=self.sub_card.id)
        self.assertIn("Subservice", str(cm.exception))
        self.assertFalse(self.env["service.desk.case"].search([("subservice_id", "=", self.sub_card.id)]))

    def test_team_not_allowed_rejected(self):
        with self.assertRaises(ValidationError) as cm:
            self._create_case(subservice_id=self.sub_card.id, team_id=self.team_events.id)
        self.assertIn("Group", str(cm.exception))

    def test_case_outside_catalog_takes_groups_of_its_company_only(self):
        """A case without a service may go to any group of its company, and
        only to those: an operator of two companies gets the group's error."""
        company2 = self.env["res.company"].create({"name": "Other Desk"})
        team2 = self.env["service.desk.team"].create({"name": "Other Desk Line 1", "company_id": company2.id})
        self.user_operator.company_ids |= company2
        Case = self.env["service.desk.case"].with_user(self.user_operator)
        case = Case.create({"name": "No service", "partner_id": self.customer.id, "team_id": self.team_events.id})
        self.assertEqual(case.team_id, self.team_events)
        with self.assertRaises(ValidationError) as cm:
            Case.create({"name": "Wrong desk", "partner_id": self.customer.id, "team_id": team2.id})
        self.assertIn("Group", str(cm.exception))
        self.assertFalse(self.env["service.desk.case"].search([("name", "=", "Wrong desk")]))

    def test_user_not_member_rejected(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_payments.id)
        with self.assertRaises(ValidationError) as cm:
            case.write({"user_id": self.user_operator.id})
        self.assertIn("Assignee", str(cm.exception))
        case.invalidate_recordset()
        self.assertNotEqual(case.user_id, self.user_operator)

    def test_form_dependent_dropdowns(self):
        form = Form(self.env["service.desk.case"].with_user(self.user_operator))
        form.name = "Card declined"
        form.partner_id = self.customer
        form.subservice_id = self.sub_card
        self.assertEqual(form.service_id, self.service_payments)
        self.assertEqual(
            set(form.allowed_team_ids.ids),
            set((self.team_first | self.team_payments | self.team_experts).ids),
        )
        form.team_id = self.team_payments
        form.user_id = self.user_agent2
        # changing the service clears the subservice and the group that no longer fit
        form.service_id = self.service_events
        self.assertFalse(form.subservice_id)
        self.assertFalse(form.team_id)
        self.assertFalse(form.user_id)
        self.assertIn(self.team_events, form.allowed_team_ids)

    def test_archive_service_not_delete(self):
        self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        with self.assertRaises(UserError):
            self.service_payments.unlink()
        self.service_payments.action_archive()
        self.assertFalse(self.sub_card.active)
        self.assertTrue(self.env["service.desk.case"].search_count([("service_id", "=", self.service_payments.id)]))

    def test_catalog_depth(self):
        with self.assertRaises(ValidationError):
            self.env["service.desk.service"].create({"name": "Too deep", "parent_id": self.sub_card.id})
