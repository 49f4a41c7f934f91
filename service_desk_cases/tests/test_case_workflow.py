# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ServiceDeskCommon


@tagged("post_install", "-at_install")
class TestCaseWorkflow(ServiceDeskCommon):
    def _mails_to(self, partner, cases):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [("model", "=", "service.desk.case"), ("res_id", "in", cases.ids), ("recipient_ids", "in", partner.ids)]
            )
        )

    def test_creation_emails_group_not_customer(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        mails = self.env["mail.mail"].sudo().search([("model", "=", "service.desk.case"), ("res_id", "=", case.id)])
        self.assertEqual(len(mails), 1, "one queued email for the group")
        self.assertEqual(mails.state, "outgoing", "emails go through the queue")
        self.assertEqual(mails.recipient_ids, (self.user_operator | self.user_agent).partner_id, "the group's members")
        self.assertNotIn(self.customer, mails.recipient_ids)
        self.assertIn(self.customer, case.message_partner_ids, "the requester follows the case")

    @freeze_time("2026-03-02 09:00:00")
    def test_take_assigns_stamps_and_tells_requester(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        case.with_user(self.user_agent).action_take()
        self.assertEqual(case.user_id, self.user_agent)
        self.assertEqual(case.state, "in_progress")
        self.assertEqual(str(case.date_taken), "2026-03-02 09:00:00")
        notif = case.message_ids.filtered(lambda m: "being handled" in (m.body or ""))
        self.assertTrue(notif, "the requester is told the case is being worked on")
        self.assertIn(self.customer, notif.notification_ids.res_partner_id)

    def test_take_by_non_member_refused(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_payments.id)
        with self.assertRaises(UserError):
            case.with_user(self.user_agent).action_take()

    @freeze_time("2026-03-02 10:00:00")
    def test_first_response_and_internal_notes(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        case_agent = case.with_user(self.user_agent)
        note = case_agent.message_post(body="internal only", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertFalse(case.date_first_response, "a note is not a response")
        self.assertNotIn(self.customer, note.notification_ids.res_partner_id)
        reply = case_agent.message_post(body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(str(case.date_first_response), "2026-03-02 10:00:00")
        self.assertIn(self.customer, reply.notification_ids.res_partner_id)

    def test_stage_template_sent(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        self._commit_tracking()  # as if created in an earlier transaction
        # the stage's email goes out with the tracking (disabled in the tests'
        # default context), just before the commit
        case.with_user(self.user_agent).with_context(
            tracking_disable=False, mail_notrack=False
        ).stage_id = self.stage_resolved
        self.assertTrue(case.date_resolved)
        self._commit_tracking()
        sent = case.message_ids.filtered(lambda m: "has been resolved" in (m.body or ""))
        self.assertEqual(len(sent), 1)
        self.assertIn(self.customer, sent.notification_ids.res_partner_id)
        self.assertEqual(sent.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(sent.author_id, self.user_agent.partner_id)

    def _commit_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def test_stage_rating_template_asks_rating(self):
        """The rating request follows the stage's rating template, not its state."""
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        self.assertEqual(
            self.stage_resolved.rating_template_id, self.env.ref("service_desk_cases.mail_template_case_rating")
        )
        self.stage_resolved.rating_template_id = False
        case.with_user(self.user_agent).stage_id = self.stage_resolved
        self.assertFalse(case.rating_ids, "no rating template: no rating request")
        self.stage_waiting.rating_template_id = self.env.ref("service_desk_cases.mail_template_case_rating")
        case.with_user(self.user_agent).stage_id = self.stage_waiting
        self.assertEqual(len(case.rating_ids), 1)

    def test_rating_request_and_bad_rating_reopens(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        case.stage_id = self.stage_resolved
        rating = self.env["rating.rating"].sudo().search([("res_model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(len(rating), 1, "a rating request is created on resolve")
        self.assertEqual(rating.partner_id, self.customer)
        self.assertTrue(rating.access_token)
        case.rating_apply(1, token=rating.access_token, feedback="Nobody called back")
        self.assertEqual(case.state, "in_progress", "a bad rating reopens the case")
        self.assertEqual(case.reopen_count, 1)
        alert = case.message_ids.filtered(lambda m: "dissatisfied" in (m.body or ""))
        self.assertIn(self.user_leader.partner_id, alert.partner_ids, "the group leader is notified")
        self.assertEqual(
            (rating.parent_res_model, rating.parent_res_id),
            (self.team_first._name, self.team_first.id),
            "ratings roll up to the group",
        )
        self.assertEqual(self.customer.service_desk_last_rating, 1.0)

    def test_good_rating_does_not_reopen(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        case.stage_id = self.stage_resolved
        rating = case.rating_ids
        case.rating_apply(5, token=rating.access_token)
        self.assertEqual(case.state, "resolved")

    def test_rating_rolls_up_to_department(self):
        parent = self.env["hr.department"].create({"name": "Support"})
        dept = self.env["hr.department"].create({"name": "Front office", "parent_id": parent.id})
        self.team_first.department_id = dept
        cases = self._create_case(team_id=self.team_first.id) | self._create_case(team_id=self.team_first.id)
        cases.write({"stage_id": self.stage_resolved.id})
        cases[0].rating_apply(5, token=cases[0].rating_ids.access_token)
        cases[1].rating_apply(3, token=cases[1].rating_ids.access_token)
        self.assertEqual(dept.service_desk_rating_avg, 4.0)
        self.assertEqual(parent.service_desk_rating_avg, 4.0)
        self.assertEqual(parent.service_desk_rating_count, 2)

    def test_escalate_to_next_line(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id, user_id=self.user_agent.id)
        wizard = Form(self.env["service.desk.case.escalate"].with_context(default_case_ids=case.ids))
        wizard.reason = "Needs the payment gateway logs"
        wizard.save().action_confirm()
        self.assertEqual(case.team_id, self.team_payments)
        self.assertEqual(case.line_id, self.line2)
        self.assertFalse(case.user_id)
        self.assertTrue(case.message_ids.filtered(lambda m: "payment gateway logs" in (m.body or "")))
        # from the last line there is nowhere to go
        case.team_id = self.team_experts
        with self.assertRaises(UserError):
            self.env["service.desk.case.escalate"].create({"case_ids": case.ids, "reason": "x"}).action_confirm()

    def test_reopen_clears_resolution(self):
        case = self._create_case(team_id=self.team_first.id)
        case.stage_id = self.stage_resolved
        case.stage_id = self.stage_progress
        self.assertFalse(case.date_resolved)
        self.assertEqual(case.reopen_count, 1)

    def test_phone_call_form(self):
        self.customer.phone = "84951234567"
        form = Form(self.env["service.desk.phone.call"].with_user(self.user_operator))
        form.phone = "+7 (495) 123-45-67"
        self.assertEqual(form.partner_id, self.customer, "found on normalised digits")
        form.subservice_id = self.sub_card
        self.assertEqual(form.service_id, self.service_payments)
        form.team_id = self.team_first
        form.name = "Card declined at the box office"
        action = form.save().action_register()
        case = self.env["service.desk.case"].browse(action["res_id"])
        self.assertEqual(case.channel, "phone")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.team_id, self.team_first)

    def test_phone_call_new_caller_and_bad_number(self):
        call = (
            self.env["service.desk.phone.call"]
            .with_user(self.user_operator)
            .create({"phone": "+7 999 000-11-22", "partner_name": "New Caller", "name": "Lost ticket"})
        )
        self.assertFalse(call.partner_id)
        case = self.env["service.desk.case"].browse(call.action_register()["res_id"])
        self.assertEqual(case.partner_id.name, "New Caller")
        self.assertEqual(case.partner_id.phone, "+7 999 000-11-22")
        with self.assertRaises(ValidationError) as cm:
            self.env["service.desk.phone.call"].create({"phone": "call me maybe", "name": "x"})
        self.assertIn("Caller's Phone", str(cm.exception))
        nameless = self.env["service.desk.phone.call"].create({"phone": "+1 555 0100 999", "name": "x"})
        with self.assertRaises(ValidationError) as cm:
            nameless.action_register()
        self.assertIn("New Caller's Name", str(cm.exception))
