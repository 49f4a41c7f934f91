# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import ServiceDeskCommon

# Queries of one action as the agent, the request's commit included
# (tracking, notifications), with the SLA addon installed; fewer without it.
TAKE_QUERIES = 42
REPLY_QUERIES = 29


@tagged("post_install", "-at_install")
class TestCasePerfActions(ServiceDeskCommon):
    """What the agents' interactive actions cost per request (issue #12:
    capacity at p95): the take and a reply, as the agent who does them."""

    @classmethod
    def default_env_context(cls):
        # as in a request: tracking and the creation notes on
        return {"no_reset_password": True}

    def setUp(self):
        super().setUp()
        self.cases = (
            self.env["service.desk.case"]
            .with_user(self.user_operator)
            .create(
                [
                    {"name": f"Printer {i}", "partner_id": self.customer.id, "team_id": self.team_first.id}
                    for i in range(3)
                ]
            )
        )
        self._commit()

    def _commit(self):
        """What the end of a request does: flush, tracking, fresh caches."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _messages(self, case):
        return self.env["mail.message"].search([("model", "=", case._name), ("res_id", "=", case.id)])

    def test_take_queries_and_one_message(self):
        warm, case = self.cases[0], self.cases[1]
        warm.with_user(self.user_agent).action_take()  # the worker's caches, as after an earlier request
        self._commit()
        composers = self.env["mail.compose.message"].search_count([])
        before = self._messages(case)
        with self.assertQueryCount(TAKE_QUERIES):
            case.with_user(self.user_agent).action_take()
            self._commit()
        self.assertEqual(case.user_id, self.user_agent)
        self.assertEqual(case.state, "in_progress")
        self.assertTrue(case.date_taken)
        new = self._messages(case) - before
        taken = new.filtered(lambda m: "being handled" in (m.body or ""))
        # the template's message, once, to the requester, as the composer posted it
        self.assertEqual(len(taken), 1)
        self.assertEqual(taken.message_type, "auto_comment")
        self.assertEqual(taken.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(taken.subject, f"[{case.number}] We are working on your request")
        self.assertEqual(taken.partner_ids, self.customer)
        self.assertEqual(taken.author_id, self.user_agent.partner_id)
        self.assertIn(self.customer, taken.notification_ids.res_partner_id)
        self.assertIn(self.user_agent.name, taken.body)
        self.assertFalse(taken.email_add_signature)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", taken.id)])
        self.assertEqual(mails.recipient_ids, self.customer, "queued for the requester")
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        # one tracking message for the stage and the assignee, no other
        tracked = new.filtered("tracking_value_ids")
        self.assertEqual(len(tracked), 1)
        self.assertEqual(set(tracked.tracking_value_ids.field_id.mapped("name")), {"stage_id", "user_id"})
        self.assertEqual(len(new), 2, "the tracking and the requester's message, nothing twice")
        self.assertEqual(self.env["mail.compose.message"].search_count([]), composers, "no composer record")
        self.assertIn(self.user_agent.partner_id, case.message_partner_ids)

    def test_take_message_in_requester_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        template = self.env.ref("service_desk_cases.mail_template_case_taken")
        template.with_context(lang="fr_FR").subject = "[{{ object.number }}] Nous traitons votre demande"
        self.customer.lang = "fr_FR"
        case = self.cases[2]
        case.with_user(self.user_agent).action_take()
        self._commit()
        taken = self._messages(case).filtered(lambda m: m.message_type == "auto_comment")
        self.assertEqual(taken.subject, f"[{case.number}] Nous traitons votre demande")

    def test_reply_queries_and_first_response(self):
        warm, case = self.cases[0], self.cases[1]
        for target in (warm, case):
            # the agent already follows both (as after taking them)
            target.message_subscribe(partner_ids=self.user_agent.partner_id.ids)
        warm.with_user(self.user_agent).message_post(
            body="Warm up", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self._commit()
        with self.assertQueryCount(REPLY_QUERIES):
            message = case.with_user(self.user_agent).message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self._commit()
        self.assertTrue(case.date_first_response)
        self.assertIn(self.customer, message.notification_ids.res_partner_id)
        # the customer's email is queued, not sent inside the request, and
        # the mail queue job is woken to send it
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertIn(self.customer, mails.recipient_ids)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", queue.id)]))
        self.assertEqual(len(self._messages(case).filtered(lambda m: "We are on it" in (m.body or ""))), 1)

    def test_reply_sent_at_once_when_asked(self):
        case = self.cases[0].with_context(mail_notify_force_send=True)
        message = case.with_user(self.user_agent).message_post(
            body="Right now", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id), ("state", "=", "outgoing")])
        self.assertFalse(mails, "sent (or failed) inside the transaction, as Odoo does")
