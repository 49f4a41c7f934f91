# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import ServiceDeskCommon


@tagged("post_install", "-at_install", "sd_http")
class TestCaseTour(HttpCase, ServiceDeskCommon):
    def test_phone_call_tour(self):
        Case = self.env["service.desk.case"]
        # Stored in the local format: the operator types the international one.
        self.customer.phone = False
        caller = self.env["res.partner"].create({"name": "Ivan Caller", "phone": "84951234567"})
        self.start_tour(
            "/odoo/action-service_desk_cases.service_desk_phone_call_action",
            "service_desk_phone_call_tour",
            login="sd_operator",
        )
        case = Case.search([("name", "=", "Card charged twice for one ticket")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id, caller)
        self.assertEqual(case.subservice_id, self.sub_card)
        self.assertEqual(case.team_id, self.team_payments)
        self.assertEqual(case.create_uid, self.user_operator)

    def test_call_route_tour(self):
        self.customer.phone = False
        self.env["res.partner"].create({"name": "Ivan Caller", "phone": "84951234567"})
        self.start_tour(
            "/service_desk/call?phone=%2B7%20(495)%20123-45-67",
            "service_desk_call_route_tour",
            login="sd_operator",
        )

    def test_requester_request_tour(self):
        """Issue 10, item 5: an employee files a request with an explicit Submit."""
        self.start_tour(
            "/odoo/action-service_desk_cases.service_desk_case_action_requests",
            "service_desk_request_tour",
            login="sd_requester",
        )
        case = self.env["service.desk.case"].search([("name", "=", "My laptop does not start")])
        self.assertEqual(len(case), 1, "saved once, by Submit")
        self.assertEqual(case.partner_id, self.user_requester.partner_id)
        self.assertEqual(case.create_uid, self.user_requester)
        self.assertEqual(case.channel, "internal")
        self.assertEqual(case.service_id, self.service_payments)
        self.assertIn("beeps three times", case.description)
        self.assertFalse(case.user_id)

    def test_take_button_tour(self):
        """Issue 10, item 6: Take is shown only to who can take the case."""
        case = self._create_case(name="Card declined", subservice_id=self.sub_card.id, team_id=self.team_first.id)
        url = f"/odoo/action-service_desk_cases.service_desk_case_action/{case.id}"
        # agent2 (Payments L2) sees the Front Desk's case through the group option
        self.team_payments.member_see_all = True
        self.start_tour(url, "service_desk_take_hidden_tour", login="sd_agent2")
        self.assertFalse(case.user_id)
        self.start_tour(url, "service_desk_take_tour", login="sd_agent")
        self.assertEqual(case.user_id, self.user_agent)
        self.assertEqual(case.stage_id, self.stage_progress)
