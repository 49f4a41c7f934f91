# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import ServiceDeskCommon

MAIL_TEMPLATE = """Return-Path: {return_path}
To: {to}
cc: {cc}
Received: by mail1.example.com (Postfix, from userid 10002)
    id 5DF9ABFB2A; Fri, 10 Aug 2012 16:16:39 +0200 (CEST)
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: multipart/alternative;
    boundary="----=_Part_4200734_24778174.1344608186754"
Date: Fri, 10 Aug 2012 14:16:26 +0000
Message-ID: {msg_id}
{extra}
------=_Part_4200734_24778174.1344608186754
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

My card was charged twice.

------=_Part_4200734_24778174.1344608186754
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>My card was charged twice.</p></body></html>
------=_Part_4200734_24778174.1344608186754--
"""


@tagged("post_install", "-at_install")
class TestCaseMail(ServiceDeskCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team_payments.alias_domain_id = cls.mail_alias_domain
        cls.payments_alias = f"sd-payments@{cls.alias_domain}"
        cls.Case = cls.env["service.desk.case"]
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    def _process(self, email_from, subject, **kwargs):
        kwargs.setdefault("to", self.payments_alias)
        return self.format_and_process(
            MAIL_TEMPLATE,
            email_from,
            subject=subject,
            target_model="service.desk.case",
            **kwargs,
        )

    def _partners(self, email):
        return self.Partner.search([("email_normalized", "=", email)])

    def test_new_sender_creates_contact_once(self):
        self.assertFalse(self._partners("new.sender@example.org"))
        with self.mock_mail_gateway():
            case = self._process('"Nina New" <new.sender@example.org>', "Refund please")
        self.assertEqual(len(case), 1)
        partner = self._partners("new.sender@example.org")
        self.assertEqual(len(partner), 1, "an unknown sender becomes one contact")
        self.assertEqual(partner.name, "Nina New")
        self.assertEqual(case.partner_id, partner)
        self.assertEqual(case.channel, "email")
        self.assertEqual(case.team_id, self.team_payments, "the alias's group takes the case")
        self.assertEqual(case.requester_type, "external")
        incoming = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(incoming), 1)
        self.assertIn("charged twice", incoming.body)
        self.assertEqual(incoming.author_id, partner)
        # A second mail from the same address reuses the contact.
        with self.mock_mail_gateway():
            case2 = self._process("new.sender@example.org", "Another refund")
        self.assertEqual(case2.partner_id, partner)
        self.assertEqual(len(self._partners("new.sender@example.org")), 1)

    def test_known_sender_not_duplicated(self):
        with self.mock_mail_gateway():
            case = self._process('"Carl C." <CARL@acme.example.com>', "Card issue")
        self.assertEqual(case.partner_id, self.customer)
        self.assertEqual(case.commercial_partner_id, self.customer_company)
        self.assertEqual(len(self._partners("carl@acme.example.com")), 1)

    def test_shared_address_picks_one_contact(self):
        shared = self.Partner.create(
            [
                {"name": "Front Office 1", "email": "office@shared.example.com"},
                {"name": "Front Office 2", "email": "office@shared.example.com"},
            ]
        )
        with self.mock_mail_gateway():
            case = self._process("office@shared.example.com", "Shared mailbox request")
        self.assertIn(case.partner_id, shared)
        self.assertEqual(case.partner_id, shared[0], "the oldest contact wins, deterministically")
        self.assertEqual(len(self._partners("office@shared.example.com")), 2, "no third contact")

    def test_shared_address_prefers_user_contact(self):
        self.Partner.create({"name": "Paula (old record)", "email": "paula@acme.example.com"})
        with self.mock_mail_gateway():
            case = self._process("paula@acme.example.com", "From a portal user")
        self.assertEqual(case.partner_id, self.user_portal.partner_id)

    def test_reply_threads_onto_case(self):
        with self.mock_mail_gateway():
            case = self._process("reply.tester@example.org", "Threaded question", msg_id="<first-msg@example.org>")
        self.assertEqual(len(case), 1)
        count_before = self.Case.search_count([])
        messages_before = len(case.message_ids)
        with self.mock_mail_gateway():
            self.format_and_process(
                MAIL_TEMPLATE,
                "reply.tester@example.org",
                self.payments_alias,
                subject="Re: Threaded question",
                extra="In-Reply-To: <first-msg@example.org>\n",
                msg_id="<second-msg@example.org>",
                target_model="service.desk.case",
            )
        self.assertEqual(self.Case.search_count([]), count_before, "a reply creates no case")
        self.assertEqual(len(case.message_ids), messages_before + 1)
        self.assertEqual(case.message_ids[0].message_id, "<second-msg@example.org>")
        self.assertEqual(len(self._partners("reply.tester@example.org")), 1)

    def test_cc_kept(self):
        with self.mock_mail_gateway():
            case = self._process(
                "cc.tester@example.org",
                "Copy my boss",
                cc='"Boss" <boss@example.org>, colleague@example.org',
            )
        self.assertIn("boss@example.org", case.email_cc)
        self.assertIn("colleague@example.org", case.email_cc)

    def test_team_members_notified_not_customer(self):
        with self.mock_mail_gateway():
            case = self._process("notify.tester@example.org", "Who gets mail")
        self.assertTrue(case)
        recipients = set()
        for mail in self._new_mails:
            recipients |= set(mail.recipient_ids.mapped("email"))
            recipients |= {mail.email_to} if mail.email_to else set()
        self.assertNotIn("notify.tester@example.org", recipients, "no copy back to the sender")
        self.assertTrue({"agent2@example.com", "engineer@example.com"} <= recipients)
        incoming = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, case.partner_id)
