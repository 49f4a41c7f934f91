# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from urllib.parse import quote

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ServiceDeskCommon

ACTION_URL = "/odoo/service-desk-call/"


@tagged("post_install", "-at_install", "sd_http")
class TestCaseCall(HttpCase, ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.phone = False
        cls.caller = cls.env["res.partner"].create({"name": "Ivan Caller", "phone": "84951234567"})
        cls.Call = cls.env["service.desk.phone.call"]

    def _call(self, phone):
        """The telephony link (GET), then the page's own POST back."""
        count = self.Call.search_count([])
        response = self.url_open(f"/service_desk/call?phone={quote(phone)}", allow_redirects=False)
        self.assertEqual(self.Call.search_count([]), count, "a GET creates nothing")
        if response.status_code != 200:
            return response
        token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        return self.url_open("/service_desk/call", data={"phone": phone, "csrf_token": token}, allow_redirects=False)

    def _opened_call(self, response):
        self.assertEqual(response.status_code, 303)
        location = response.headers["Location"]
        self.assertIn(ACTION_URL, location)
        return self.Call.browse(int(location.rsplit("/", 1)[1]))

    def test_call_matches_normalised_number(self):
        self.authenticate("sd_operator", "sd_operator")
        call = self._opened_call(self._call("+7 (495) 123-45-67"))
        self.assertEqual(call.partner_id, self.caller)
        self.assertEqual(call.phone, "+7 (495) 123-45-67")
        self.assertEqual(call.create_uid, self.user_operator)

    def test_call_unknown_number_prefilled(self):
        self.authenticate("sd_operator", "sd_operator")
        call = self._opened_call(self._call("+44 20 7946 0958"))
        self.assertFalse(call.partner_id)
        self.assertEqual(call.phone, "+44 20 7946 0958")
        # The operator then registers it with a new caller's name.
        call.with_user(self.user_operator).write(
            {"partner_name": "Jane Doe", "name": "Lost ticket", "service_id": self.service_events.id}
        )
        action = call.with_user(self.user_operator).action_register()
        case = self.env["service.desk.case"].browse(action["res_id"])
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id.name, "Jane Doe")

    def test_call_without_number_opens_empty_form(self):
        self.authenticate("sd_operator", "sd_operator")
        call = self._opened_call(self._call(""))
        self.assertFalse(call.phone)

    def test_get_creates_nothing_and_post_needs_the_token(self):
        """Link scanners prefetch GETs; a forged POST lacks the token (issue 10, item 23)."""
        self.authenticate("sd_operator", "sd_operator")
        count = self.Call.search_count([])
        for _i in range(3):
            response = self.url_open("/service_desk/call?phone=84951234567", allow_redirects=False)
            self.assertEqual(response.status_code, 200)
            self.assertIn("84951234567", response.text)
        self.assertEqual(self.Call.search_count([]), count)
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open("/service_desk/call", data={"phone": "84951234567"}, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.Call.search_count([]), count)

    def test_lookup_ignores_contacts_of_another_company(self):
        company2 = self.env["res.company"].create({"name": "Other Desk"})
        self.caller.company_id = company2
        self.authenticate("sd_operator", "sd_operator")
        call = self._opened_call(self._call("+7 (495) 123-45-67"))
        self.assertFalse(call.partner_id, "the contact of another company is not offered")
        self.assertFalse(self.env["res.partner"].with_user(self.user_operator)._sd_find_by_phone("84951234567"))

    def test_call_malformed_number(self):
        self.authenticate("sd_operator", "sd_operator")
        count = self.Call.search_count([])
        response = self._call("call me <script>x</script>")
        self.assertEqual(response.status_code, 400)
        self.assertIn("is not a phone number", response.text)
        self.assertNotIn("<script>x", response.text)
        self.assertEqual(self.Call.search_count([]), count)

    def test_call_denied_to_non_staff(self):
        for user in (self.user_requester, self.user_portal):
            self.authenticate(user.login, user.login)
            response = self._call("+7 (495) 123-45-67")
            self.assertEqual(response.status_code, 403, user.login)
            self.assertNotIn("Ivan Caller", response.text)
        self.authenticate(None, None)
        response = self._call("+7 (495) 123-45-67")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_new_caller_stays_in_the_company_that_took_the_call(self):
        call = self.Call.with_user(self.user_operator).create(
            {"phone": "+44 20 7946 0958", "partner_name": "Jane Doe", "name": "Lost ticket"}
        )
        case = self.env["service.desk.case"].browse(call.action_register()["res_id"])
        self.assertEqual(case.partner_id.company_id, self.company)
        company2 = self.env["res.company"].create({"name": "Other Desk"})
        operator2 = new_test_user(
            self.env,
            "sd_operator_other_company",
            groups="service_desk_cases.group_service_desk_user",
            company_id=company2.id,
            company_ids=[(6, 0, company2.ids)],
        )
        self.assertFalse(self.env["res.partner"].with_user(operator2)._sd_find_by_phone("+44 20 7946 0958"))
        found = self.env["res.partner"].with_user(self.user_operator)._sd_find_by_phone("+44 20 7946 0958")
        self.assertEqual(found, case.partner_id)
