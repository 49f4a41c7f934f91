# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The read paths fit a read-only replica (issue 12): they are read-only
routes, Odoo runs them in a read-only transaction (as on a hot standby; the
test runner does the same), and they answer without falling back to the
primary. The paths that write still work from a read-only start."""

import re

from odoo.tests import HttpCase, tagged

from .common import ServiceDeskCommon


@tagged("post_install", "-at_install", "sd_http")
class TestCaseReplica(HttpCase, ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case(name="Projector is broken", partner_id=cls.user_portal.partner_id.id)

    def _routing(self, path, method="GET"):
        rule, _args = self.env["ir.http"].routing_map().bind("localhost").match(path, method=method, return_rule=True)
        return rule.endpoint.routing

    def test_read_paths_are_readonly_routes(self):
        self.assertIs(self._routing("/my/cases")["readonly"], True)
        self.assertIs(self._routing("/my/cases/page/2")["readonly"], True)
        self.assertIs(self._routing(f"/my/cases/{self.case.id}")["readonly"], True)
        # the phone entry: the GET only shows the number, the POST registers
        self.assertTrue(callable(self._routing("/service_desk/call")["readonly"]))
        # the portal's new-case form: the GET shows it, the POST creates
        self.assertTrue(callable(self._routing("/my/cases/new")["readonly"]))
        # the requester's actions write: never read-only
        self.assertFalse(self._routing(f"/my/cases/{self.case.id}/close", "POST")["readonly"])

    def test_portal_reads_need_no_write(self):
        """As the portal customer: list and case page answer from the
        read-only transaction, with no fallback to a read/write one: the
        case got its access token when it was made."""
        self.authenticate(self.user_portal.login, self.user_portal.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            listing = self.url_open("/my/cases")
            page = self.url_open(f"/my/cases/{self.case.id}")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Projector is broken", listing.text)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Projector is broken", page.text)

    def test_new_case_form_needs_no_write(self):
        """As the portal customer: the new-case form answers from the
        read-only transaction; sending it still creates the case."""
        self.authenticate(self.user_portal.login, self.user_portal.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            form = self.url_open("/my/cases/new")
        self.assertEqual(form.status_code, 200)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        response = self.url_open(
            "/my/cases/new",
            data={"csrf_token": token, "name": "Ticket printer jams", "service_id": self.service_payments.id},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(self.env["service.desk.case"].search([("name", "=", "Ticket printer jams")]))

    def test_phone_lookup_needs_no_write(self):
        self.authenticate(self.user_operator.login, self.user_operator.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open("/service_desk/call?phone=%2B15550100", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self.env["service.desk.phone.call"].search([("phone", "=", "+15550100")]))

    def test_first_view_gives_the_token_on_the_primary(self):
        """A case made before cases got their token at creation gets it when
        first seen: the page starts read-only, then runs on the primary, and
        still answers."""
        self.assertTrue(self.case.access_token, "a new case has its token")
        self.case.access_token = False
        self.authenticate(self.user_portal.login, self.user_portal.login)
        with self.assertLogs("odoo.http", "WARNING") as logs:
            page = self.url_open(f"/my/cases/{self.case.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("retrying with a read/write cursor", logs.output[0])
        self.assertTrue(self.case.access_token)

    def test_other_customers_case_stays_hidden(self):
        """The read-only path keeps the access check: another customer's case
        is a 404 for the portal user, on the replica and on the primary."""
        other = self.env["res.partner"].create({"name": "Globex Cinemas", "is_company": True})
        hidden = self._create_case(name="Globex private case", partner_id=other.id)
        self.authenticate(self.user_portal.login, self.user_portal.login)
        response = self.url_open(f"/my/cases/{hidden.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Globex private case", response.text)
