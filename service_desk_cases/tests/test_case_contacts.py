# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged

from .common import ServiceDeskCommon


class PrivateContactsCommon(ServiceDeskCommon):
    """The cinema's setting "Only administrators may see contacts without a
    company" on, a private requester with a case of the Front Desk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.private = cls.env["res.partner"].create(
            {"name": "Pavel Private", "email": "pavel@example.com", "phone": "+7 (916) 555-01-02"}
        )
        cls.stranger = cls.env["res.partner"].create({"name": "Pavel Stranger", "email": "stranger@example.com"})
        cls.case = cls._create_case(name="Lost ticket", partner_id=cls.private.id, team_id=cls.team_first.id)
        cls.env["res.partner"]._sd_set_private_contacts_restriction(True)


@tagged("post_install", "-at_install")
class TestPrivateContacts(PrivateContactsCommon):
    def test_contacts_app_does_not_list_them(self):
        Partner = self.env["res.partner"].with_user(self.user_operator)
        hidden = self.private | self.stranger
        self.assertFalse(Partner.search([("name", "ilike", "Pavel")]))
        self.assertFalse(Partner.search_count([("name", "ilike", "Pavel")]))
        self.assertFalse(Partner.name_search("Pavel"))
        listed = Partner.web_search_read([("name", "ilike", "Pavel")], {"display_name": {}})
        self.assertEqual(listed["length"], 0)
        groups = Partner.web_read_group([("id", "in", hidden.ids)], ["display_name"], ["is_company"])
        self.assertFalse(groups["groups"])
        with self.assertRaises(AccessError):
            self.private.with_user(self.user_operator).web_read({"name": {}, "email": {}})

    def test_employees_work_contacts_stay_visible(self):
        employee = self.env["hr.employee"].create({"name": "Ivan Usher", "work_email": "usher@example.com"})
        contact = employee.work_contact_id
        self.assertFalse(contact.parent_id or contact.user_ids, "no company, no user")
        self.assertEqual(
            self.env["res.partner"].with_user(self.user_operator).name_search("Ivan Usher")[0][0], contact.id
        )
        contact.with_user(self.user_operator).web_read({"name": {}})
        # HR keeps the work contact in sync as before
        employee.with_user(self.user_manager).sudo().work_email = "ivan.usher@example.com"
        self.assertEqual(contact.email, "ivan.usher@example.com")

    def test_cannot_change_or_delete_them(self):
        with self.assertRaises(AccessError):
            self.stranger.with_user(self.user_agent).write({"name": "Renamed"})
        for user in (self.user_agent, self.user_operator):
            with self.assertRaises(AccessError):
                self.private.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.stranger.with_user(user).unlink()
        self.assertTrue((self.private | self.stranger).exists())
        self.assertEqual(self.stranger.name, "Pavel Stranger")

    def test_work_on_the_case_goes_on(self):
        self.env.invalidate_all()
        case = self.case.with_user(self.user_operator)
        values = case.web_read(
            {
                "partner_id": {"fields": {"display_name": {}}},
                "email_from": {},
                "partner_phone": {},
                "message_follower_ids": {},
            }
        )[0]
        self.assertEqual(values["partner_id"]["display_name"], "Pavel Private")
        self.assertEqual(values["email_from"], "pavel@example.com")
        self.assertEqual(values["partner_phone"], "+7 (916) 555-01-02")
        with self.assertRaises(AccessError):
            self.private.with_user(self.user_operator).write({"phone": "+7 (916) 555-09-09"})
        case.message_post(body="We found it", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertTrue(case.message_ids.filtered(lambda m: self.private in m.notified_partner_ids))

    def test_creating_one_in_contacts_is_refused_whole(self):
        Partner = self.env["res.partner"].with_user(self.user_agent)
        with self.assertRaises(AccessError) as caught:
            Partner.browse().web_save({"name": "Walk-in Visitor"}, {"display_name": {}})
        self.assertIn("Company", str(caught.exception))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Walk-in Visitor")]), "nothing half-written")
        # with a company it is an ordinary contact
        saved = Partner.browse().web_save(
            {"name": "Walk-in Visitor", "parent_id": self.customer_company.id}, {"display_name": {}}
        )
        self.assertEqual(saved[0]["display_name"], "Acme Theatres, Walk-in Visitor")

    def test_operator_registers_unknown_caller(self):
        form = Form(self.env["service.desk.phone.call"].with_user(self.user_operator))
        form.phone = "+7 (903) 111-22-33"
        form.partner_name = "Nina New"
        form.name = "Refund"
        form.service_id = self.service_events
        action = form.save().action_register()
        self.env.invalidate_all()  # read from the database, as the web client does
        case = self.env["service.desk.case"].with_user(self.user_operator).browse(action["res_id"])
        self.assertEqual(case.partner_id.name, "Nina New")
        self.assertEqual(case.partner_phone, "+7 (903) 111-22-33")
        self.assertFalse(case.partner_id.sudo().parent_id, "a private contact")
        self.assertFalse(self.env["res.partner"].with_user(self.user_operator).search([("name", "=", "Nina New")]))
        # the next call of the same person finds them
        again = Form(self.env["service.desk.phone.call"].with_user(self.user_operator))
        again.phone = "8 903 111 22 33"
        self.assertEqual(again.partner_id, case.partner_id)

    def test_administrators_and_setting_off(self):
        self.assertIn(self.private, self.env["res.partner"].with_user(self.user_manager).search([]))
        self.private.with_user(self.user_manager).web_read({"name": {}})
        self.stranger.with_user(self.user_manager).write({"name": "Pavel Stranger II"})
        self.env["res.partner"]._sd_set_private_contacts_restriction(False)
        self.assertIn(self.private, self.env["res.partner"].with_user(self.user_agent).search([]))
        self.stranger.with_user(self.user_agent).write({"name": "Pavel Stranger III"})


@tagged("post_install", "-at_install", "sd_http")
class TestPrivateContactsChatter(HttpCase, PrivateContactsCommon):
    """The web client's chatter of a case of a private requester, as the operator."""

    def _call_kw(self, model, method, args):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": {}},
        )

    def test_chatter_loads_and_reply_reaches_requester(self):
        self.authenticate("sd_operator", "sd_operator")
        data = self.make_jsonrpc_request(
            "/mail/thread/data",
            {
                "thread_model": "service.desk.case",
                "thread_id": self.case.id,
                "request_list": ["activities", "attachments", "followers", "suggestedRecipients"],
            },
        )
        partners = {p["id"]: p for p in data.get("res.partner", [])}
        self.assertIn(self.private.id, partners, "the requester is a follower and a suggested recipient")
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "service.desk.case", "thread_id": self.case.id}
        )
        self.assertTrue(messages["messages"])
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "service.desk.case",
                "thread_id": self.case.id,
                "post_data": {
                    "body": "Your ticket is at the box office",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    "partner_ids": [self.private.id],
                },
            },
        )
        reply = self.case.message_ids.filtered(lambda m: "box office" in (m.body or ""))
        self.assertEqual(reply.author_id, self.user_operator.partner_id)
        self.assertIn(self.private, reply.notified_partner_ids)
        # the case form reads the requester's details through the case
        values = self._call_kw(
            "service.desk.case",
            "web_read",
            [[self.case.id], {"partner_id": {"fields": {"display_name": {}, "email": {}}}}],
        )
        self.assertEqual(values[0]["partner_id"]["email"], "pavel@example.com")
        # the Contacts app still hides them
        with self.assertRaises(Exception) as caught:
            self._call_kw("res.partner", "web_read", [[self.private.id], {"display_name": {}, "email": {}}])
        self.assertIn("AccessError", str(caught.exception))
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.partner/name_search",
            {"model": "res.partner", "method": "name_search", "args": ["Pavel"], "kwargs": {}},
        )
        self.assertEqual(found, [])

    def test_operator_replies_in_the_web_client(self):
        self.start_tour(
            f"/odoo/action-service_desk_cases.service_desk_case_action/{self.case.id}",
            "service_desk_private_contact_tour",
            login="sd_operator",
        )
        reply = self.case.message_ids.filtered(lambda m: "box office" in (m.body or ""))
        self.assertEqual(reply.author_id, self.user_operator.partner_id)
        self.assertIn(self.private, reply.notified_partner_ids, "the reply reaches the requester")
