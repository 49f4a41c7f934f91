# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ServiceDeskCommon


@tagged("post_install", "-at_install", "sd_http")
class TestCasePortal(HttpCase, ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["service.desk.case"]
        cls.case_portal = cls._create_case(name="Projector is broken", service_id=cls.service_events.id)
        cls.other_company = cls.env["res.company"].create({"name": "Other Cinema Ltd"})
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Globex Cinemas", "is_company": True, "company_id": cls.other_company.id}
        )
        cls.user_portal_other = new_test_user(
            cls.env,
            "sd_portal_other",
            groups="base.group_portal",
            name="Oscar Other",
            email="oscar@globex.example.com",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
            context={"no_reset_password": True},
        )
        cls.user_portal_other.partner_id.parent_id = cls.other_customer
        cls.case_other = cls._create_case(name="Globex private case", partner_id=cls.user_portal_other.partner_id.id)

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf_token(self):
        response = self.url_open("/my/cases/new")
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _post_case(self, **values):
        data = {"csrf_token": self._csrf_token(), "name": "", "description": ""}
        data.update({k: str(v) for k, v in values.items()})
        return self.url_open("/my/cases/new", data=data, allow_redirects=False)

    # ------------------------------------------------------------------
    # List, detail, counters
    # ------------------------------------------------------------------

    def test_portal_list_shows_own_company_cases_only(self):
        colleague_case = self._create_case(name="Colleague sound problem", partner_id=self.user_portal.partner_id.id)
        self._login(self.user_portal)
        response = self.url_open("/my/cases?sortby=name&filterby=open")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Projector is broken", response.text)
        self.assertIn(colleague_case.name, response.text)
        self.assertNotIn("Globex private case", response.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["case_count"]})
        self.assertEqual(counters["case_count"], 2)
        response = self.url_open("/my/cases?filterby=done")
        self.assertNotIn("Projector is broken", response.text)

    def test_portal_detail_and_denial(self):
        self._login(self.user_portal)
        response = self.url_open(f"/my/cases/{self.case_portal.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Projector is broken", response.text)
        self.assertIn('data-res_model="service.desk.case"', response.text, "the portal chatter is there")
        # Someone else's case (another company, another customer): not found.
        response = self.url_open(f"/my/cases/{self.case_other.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Globex private case", response.text)
        response = self.url_open("/my/cases/999999999")
        self.assertEqual(response.status_code, 404)
        self._login(self.user_portal_other)
        response = self.url_open(f"/my/cases/{self.case_portal.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Projector is broken", response.text)

    def test_portal_detail_with_token_anonymous(self):
        self.case_portal._portal_ensure_token()
        response = self.url_open(f"/my/cases/{self.case_portal.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        response = self.url_open(f"/my/cases/{self.case_portal.id}?access_token={self.case_portal.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Projector is broken", response.text)

    def test_portal_reply_through_chatter(self):
        internal_note = self.case_portal.message_post(
            body="Internal: customer is grumpy", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self._login(self.user_portal)
        result = self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "service.desk.case",
                "thread_id": self.case_portal.id,
                "post_data": {
                    "body": "Still broken <b>today</b><script>alert('chatter')</script>",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        self.assertTrue(result)
        message = self.case_portal.message_ids.filtered(lambda m: "Still broken" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.user_portal.partner_id)
        self.assertFalse(message.is_internal)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn("<b>today</b>", message.body)
        self.assertNotIn("<script>", message.body, "scripts are sanitized out of messages")
        # The portal sees public messages only.
        self.case_portal._portal_ensure_token()
        messages = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": "service.desk.case",
                "thread_id": self.case_portal.id,
                "token": self.case_portal.access_token,
            },
        )
        ids = [m["id"] for m in messages["data"]["mail.message"]]
        self.assertIn(message.id, ids)
        self.assertNotIn(internal_note.id, ids)
        # Someone else's case: posting is refused.
        with self.assertRaises(JsonRpcException), mute_logger("odoo.http"):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "service.desk.case",
                    "thread_id": self.case_other.id,
                    "post_data": {"body": "Intrusion", "message_type": "comment"},
                },
            )
        self.assertFalse(self.case_other.message_ids.filtered(lambda m: "Intrusion" in (m.body or "")))

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------

    def test_portal_create_case(self):
        self._login(self.user_portal)
        response = self._post_case(
            name="Card refused at the box office",
            description="Tried twice",
            service_id=self.service_payments.id,
            subservice_id=self.sub_card.id,
            team_id=self.team_events.id,  # ignored: customers do not choose groups
        )
        self.assertEqual(response.status_code, 303)
        case = self.Case.search([("name", "=", "Card refused at the box office")])
        self.assertEqual(len(case), 1)
        self.assertTrue(response.headers["Location"].endswith(f"/my/cases/{case.id}"))
        self.assertEqual(case.channel, "portal")
        self.assertEqual(case.partner_id, self.user_portal.partner_id)
        self.assertEqual(case.commercial_partner_id, self.customer_company)
        self.assertEqual(case.requester_type, "external")
        self.assertEqual((case.service_id, case.subservice_id), (self.service_payments, self.sub_card))
        self.assertEqual(case.team_id, self.team_first, "the catalog's first-line group, not the posted one")
        self.assertIn("Tried twice", case.description)

    def test_portal_create_subservice_alone_fills_service(self):
        self._login(self.user_portal)
        response = self._post_case(name="Only a subservice", subservice_id=self.sub_invoice.id)
        self.assertEqual(response.status_code, 303)
        case = self.Case.search([("name", "=", "Only a subservice")])
        self.assertEqual(case.service_id, self.service_payments)

    def test_portal_create_without_csrf_refused(self):
        self._login(self.user_portal)
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self.url_open(
                "/my/cases/new",
                data={"name": "No token case", "service_id": str(self.service_payments.id)},
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Case.search([("name", "=", "No token case")]))

    def test_portal_create_invalid_combinations(self):
        self._login(self.user_portal)
        count = self.Case.search_count([])
        # Subservice of another service.
        response = self._post_case(
            name="Wrong subservice",
            service_id=self.service_payments.id,
            subservice_id=self.sub_schedule.id,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Subservice:", response.text)
        self.assertIn("Wrong subservice", response.text, "the typed subject is kept")
        # A subservice given as service, and garbage ids.
        response = self._post_case(name="Sub as service", service_id=self.sub_card.id)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Service:", response.text)
        response = self._post_case(name="Garbage", service_id="1 OR 1=1", subservice_id="abc")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Service:", response.text)
        self.assertIn("Subservice:", response.text)
        # A service of another company.
        foreign = self.env["service.desk.service"].create(
            {"name": "Foreign service", "company_id": self.other_company.id}
        )
        response = self._post_case(name="Foreign", service_id=foreign.id)
        self.assertEqual(response.status_code, 400)
        # No subject.
        response = self._post_case(name="   ", service_id=self.service_payments.id)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Subject:", response.text)
        self.assertEqual(self.Case.search_count([]), count, "nothing was created")

    def test_portal_html_escaped(self):
        self._login(self.user_portal)
        response = self._post_case(
            name="<script>alert('subject')</script>",
            description="<script>alert('desc')</script><img src=x onerror=alert(1)>",
        )
        self.assertEqual(response.status_code, 303)
        case = self.Case.search([("name", "=", "<script>alert('subject')</script>")])
        self.assertEqual(len(case), 1)
        self.assertNotIn("<script>", case.description)
        self.assertNotIn("<img", case.description)
        for url in (f"/my/cases/{case.id}", "/my/cases"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("<script>alert(", response.text)
            self.assertNotIn("<img src=x", response.text)
            self.assertIn("&lt;script&gt;alert(", response.text)
        # Re-rendered form after an error escapes what was typed.
        response = self._post_case(name="<script>alert('again')</script>", service_id="999999")
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("<script>alert('again')", response.text)

    def test_employee_creates_internal_case(self):
        self._login(self.user_requester)
        response = self.url_open("/my/cases")
        self.assertEqual(response.status_code, 200)
        response = self._post_case(name="Laptop for the new cashier", service_id=self.service_events.id)
        self.assertEqual(response.status_code, 303)
        case = self.Case.search([("name", "=", "Laptop for the new cashier")])
        self.assertEqual(case.channel, "internal")
        self.assertEqual(case.requester_type, "internal")
        self.assertEqual(case.partner_id, self.user_requester.partner_id)
        response = self.url_open(f"/my/cases/{case.id}")
        self.assertEqual(response.status_code, 200)
        response = self.url_open("/my/cases")
        self.assertIn("Laptop for the new cashier", response.text)
        self.assertNotIn("Projector is broken", response.text)

    # ------------------------------------------------------------------
    # Issue 10 item 4, issue 14: the New Case form
    # ------------------------------------------------------------------

    def test_portal_form_has_description_and_attachments(self):
        self._login(self.user_portal)
        response = self.url_open("/my/cases/new")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'<textarea[^>]*name="description"[^>]*>\s*</textarea>')
        self.assertRegex(response.text, r'<input[^>]*type="file"[^>]*name="attachments"[^>]*multiple')
        self.assertIn('enctype="multipart/form-data"', response.text)
        self.assertNotIn('name="team_id"', response.text, "customers do not choose internal groups")
        self.assertNotIn(self.team_payments.name, response.text)

    def test_portal_create_with_attachments(self):
        self._login(self.user_portal)
        data = {
            "csrf_token": self._csrf_token(),
            "name": "Receipt attached",
            "description": "Line one\nLine two",
            "subservice_id": str(self.sub_card.id),
        }
        files = [
            ("attachments", ("receipt.txt", b"paid 2 x 500", "text/plain")),
            ("attachments", ("photo.png", b"\x89PNG fake", "image/png")),
        ]
        response = self.url_open("/my/cases/new", data=data, files=files, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        case = self.Case.search([("name", "=", "Receipt attached")])
        self.assertEqual(len(case), 1)
        self.assertIn("Line one<br>Line two", case.description)
        message = case.message_ids.filtered("attachment_ids")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.user_portal.partner_id)
        self.assertFalse(message.is_internal, "the customer sees their files in the history")
        self.assertEqual(sorted(message.attachment_ids.mapped("name")), ["photo.png", "receipt.txt"])
        self.assertEqual(set(message.attachment_ids.mapped("res_id")), {case.id})
        # ... and the agents of the case's group see them.
        self.assertTrue(case.with_user(self.user_operator).message_ids.attachment_ids)

    def test_portal_attachment_too_large_refused(self):
        self._login(self.user_portal)
        data = {"csrf_token": self._csrf_token(), "name": "Huge file"}
        files = [("attachments", ("big.bin", b"0" * (10 * 1024 * 1024 + 1), "application/octet-stream"))]
        response = self.url_open("/my/cases/new", data=data, files=files, allow_redirects=False)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Attachments:", response.text)
        self.assertFalse(self.Case.search([("name", "=", "Huge file")]))

    def test_portal_new_case_tour(self):
        self.start_tour("/my/cases/new", "service_desk_portal_case_tour", login=self.user_portal.login)
        case = self.Case.search([("name", "=", "Projector flickers in hall 2")])
        self.assertEqual(len(case), 1)
        self.assertIn("flickers every minute", case.description)
        self.assertIn("since the morning show", case.description)
        self.assertEqual(case.partner_id, self.user_portal.partner_id)
        self.assertEqual((case.service_id, case.subservice_id), (self.service_events, self.sub_schedule))
        self.assertEqual(case.channel, "portal")

    def test_portal_home_tile_shows_count(self):
        self._login(self.user_portal)
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(response.text, r'<span class="fw-bold" data-placeholder_count="case_count"')

    # ------------------------------------------------------------------
    # Issue 14: the requester closes, reopens and rates on the portal
    # ------------------------------------------------------------------

    def _resolved_portal_case(self):
        case = self._create_case(
            name="Popcorn machine", partner_id=self.user_portal.partner_id.id, team_id=self.team_first.id
        )
        # With tracking on, as in production: the stage's mail goes out.
        case.with_context(tracking_disable=False, mail_notrack=False).stage_id = self.stage_resolved
        self.env.flush_all()
        self.env.cr.precommit.run()
        return case

    def _post_action(self, case, action, **data):
        data.setdefault("csrf_token", self._csrf_token())
        return self.url_open(f"/my/cases/{case.id}/{action}", data=data, allow_redirects=False)

    def test_portal_case_page_shows_resolution_and_actions(self):
        case = self._resolved_portal_case()
        self._login(self.user_portal)
        response = self.url_open(f"/my/cases/{case.id}")
        self.assertEqual(response.status_code, 200)
        for css in ("o_service_desk_case_rate", "o_service_desk_case_close", "o_service_desk_case_reopen"):
            self.assertIn(css, response.text)
        self.assertNotIn(self.team_first.name, response.text, "internal groups are not shown to customers")
        # The resolution mail, as the stage change sends it (an automatic
        # comment from a template), is part of the customer's history.
        resolution = case.message_post_with_source(
            self.env.ref("service_desk_cases.mail_template_case_resolved"),
            subtype_xmlid="mail.mt_comment",
            message_type="auto_comment",
        )
        self.assertIn("has been resolved", resolution.body)
        messages = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "service.desk.case", "thread_id": case.id, "token": case.access_token},
        )
        self.assertIn(resolution.id, [m["id"] for m in messages["data"]["mail.message"]])

    def test_portal_close_resolved_case(self):
        case = self._resolved_portal_case()
        self._login(self.user_portal_other)
        response = self._post_action(case, "close")
        self.assertEqual(response.status_code, 404, "another customer cannot close it")
        self.assertEqual(case.stage_id, self.stage_resolved)
        self._login(self.user_portal)
        with self.assertLogs("odoo.http", level="WARNING"):
            response = self._post_action(case, "close", csrf_token="forged")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(case.stage_id, self.stage_resolved)
        response = self._post_action(case, "close")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(case.stage_id, self.stage_closed)
        # GET changes nothing.
        case2 = self._resolved_portal_case()
        response = self.url_open(f"/my/cases/{case2.id}/close")
        self.assertNotEqual(response.status_code, 303)
        self.assertEqual(case2.stage_id, self.stage_resolved)

    def test_portal_reopen_within_period_only(self):
        with freeze_time("2026-03-02 09:00:00"):
            case = self._resolved_portal_case()
            case.user_id = self.user_agent
        self._login(self.user_portal)
        with freeze_time("2026-03-04 09:00:00"):
            response = self._post_action(case, "reopen")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(case.stage_id, self.stage_progress)
        self.assertEqual(case.reopen_count, 1)
        note = self.env["mail.message"].search(
            [("model", "=", case._name), ("res_id", "=", case.id), ("body", "ilike", "reopened the case")]
        )
        self.assertIn(self.user_agent.partner_id, note.partner_ids, "the assignee is told")
        with freeze_time("2026-03-05 09:00:00"):
            case.stage_id = self.stage_resolved
        with freeze_time("2026-03-20 09:00:00"):
            response = self._post_action(case, "reopen")
            self.assertIn("not_reopenable", response.headers["Location"])
        self.assertEqual(case.stage_id, self.stage_resolved, "too late: the period is over")

    def test_portal_rate_resolution_once(self):
        case = self._resolved_portal_case()
        self._login(self.user_portal_other)
        response = self._post_action(case, "rate", rate="1")
        self.assertEqual(response.status_code, 404)
        self._login(self.user_portal)
        response = self._post_action(case, "rate", rate="5", feedback="Fixed fast")
        self.assertEqual(response.status_code, 303)
        rating = case.rating_ids.filtered("consumed")
        self.assertEqual(len(rating), 1)
        self.assertEqual((rating.rating, rating.feedback, rating.partner_id), (5, "Fixed fast", case.partner_id))
        response = self._post_action(case, "rate", rate="1")
        self.assertIn("not_ratable", response.headers["Location"])
        self.assertEqual(rating.rating, 5)
        self.assertEqual(case.stage_id, self.stage_resolved)
        self.assertEqual(len(case.rating_ids.filtered("consumed")), 1)

    def test_portal_dissatisfied_reopens_once_with_link_token(self):
        case = self._resolved_portal_case()
        case.team_id.leader_id = self.user_leader
        case._portal_ensure_token()
        # The customer's link (access token) works without logging in.
        csrf = re.search(
            r'name="csrf_token" value="([^"]+)"',
            self.url_open(f"/my/cases/{case.id}?access_token={case.access_token}").text,
        ).group(1)
        for _i in range(3):
            response = self.url_open(
                f"/my/cases/{case.id}/rate",
                data={"rate": "1", "feedback": "Still broken", "access_token": case.access_token, "csrf_token": csrf},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 303)
        self.assertEqual(case.stage_id, self.stage_progress, "reopened")
        self.assertEqual(case.reopen_count, 1)
        leader = self.user_leader.partner_id
        alerts = self.env["mail.message"].search(
            [("model", "=", case._name), ("res_id", "=", case.id), ("partner_ids", "in", leader.id)]
        )
        self.assertEqual(len(alerts), 1, "the leader is alerted once")
        # A wrong token changes nothing.
        other = self._resolved_portal_case()
        response = self.url_open(
            f"/my/cases/{other.id}/rate",
            data={"rate": "1", "access_token": case.access_token, "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(other.rating_ids.filtered("consumed"))
