# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import ServiceDeskCommon, steady_gc
from .test_case_mail import MAIL_TEMPLATE

UNKNOWN_CHARSET_TEMPLATE = """Return-Path: {return_path}
To: {to}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset="x-unknown-charset-42"
Content-Transfer-Encoding: 8bit
Date: Fri, 10 Aug 2012 14:16:26 +0000
Message-ID: {msg_id}
{extra}
Caf\xe9 tickets were charged twice.
"""


@tagged("post_install", "-at_install")
class TestCaseGateway(ServiceDeskCommon, MockEmail):
    """The mail gateway, as the mail fetcher runs it, for the sender's side:
    machines and the desk itself create no case, replies to finished cases
    reopen them or open a follow-up, other companies' contacts are served."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        (cls.team_payments | cls.team_first).alias_domain_id = cls.mail_alias_domain
        cls.payments_alias = f"sd-payments@{cls.alias_domain}"
        cls.Case = cls.env["service.desk.case"].with_context(active_test=False)

    def _process(self, email_from, subject, **kwargs):
        kwargs.setdefault("to", self.payments_alias)
        return self.format_and_process(
            kwargs.pop("template", MAIL_TEMPLATE),
            email_from,
            subject=subject,
            target_model="service.desk.case",
            **kwargs,
        )

    def _reply(self, case, email_from, subject, msg_id, extra=""):
        first = case.message_ids.filtered(lambda m: m.message_type == "email")[-1:]
        return self.format_and_process(
            MAIL_TEMPLATE,
            email_from,
            self.payments_alias,
            subject=subject,
            extra=f"In-Reply-To: {first.message_id}\n{extra}",
            msg_id=msg_id,
            target_model="service.desk.case",
        )

    def _new_case_by_mail(self, email_from="carl@acme.example.com", subject="Charged twice"):
        with self.mock_mail_gateway():
            case = self._process(email_from, subject, msg_id=f"<{subject.replace(' ', '-')}@acme.example.com>")
        self.assertEqual(len(case), 1)
        return case

    def _mailed_partners(self):
        return self._new_mails.recipient_ids

    # ------------------------------------------------------------------
    # Item 13: automatic mail
    # ------------------------------------------------------------------

    def test_auto_replies_create_no_case(self):
        headers = [
            "Auto-Submitted: auto-replied",
            "Auto-Submitted: auto-generated; owner-email=carl@acme.example.com",
            "X-Autoreply: yes",
            "X-Autorespond: Out of office",
            "Precedence: auto_reply",
            "Precedence: bulk",
            "Precedence: junk",
            "Precedence: list",
            "X-Auto-Response-Suppress: All",
        ]
        count = self.Case.search_count([])
        for index, header in enumerate(headers):
            with self.subTest(header=header), self.mock_mail_gateway():
                case = self._process(
                    "ooo.robot@example.org", f"Out of office {index}", extra=f"{header}\n", msg_id=f"<ooo-{index}@x>"
                )
                self.assertFalse(case, "an automatic reply creates no case")
                self.assertFalse(self._new_mails, "no acknowledgement, no group notification")
        self.assertEqual(self.Case.search_count([]), count)
        # A person's mail that says so explicitly is a case.
        with self.mock_mail_gateway():
            case = self._process("person@example.org", "A real question", extra="Auto-Submitted: no\n")
        self.assertEqual(len(case), 1)

    def test_mail_system_senders_create_no_case(self):
        for sender in ("postmaster@example.org", "MAILER-DAEMON@example.org"):
            with self.subTest(sender=sender), self.mock_mail_gateway():
                case = self._process(sender, f"Delivery report {sender}")
                self.assertFalse(case)
                self.assertFalse(self._new_mails)

    def test_auto_reply_on_case_logged_once_without_loop(self):
        case = self._new_case_by_mail()
        case.user_id = self.user_agent2
        messages = case.message_ids
        for index in range(3):
            with self.mock_mail_gateway():
                self._reply(
                    case,
                    "carl@acme.example.com",
                    f"Automatic reply: Charged twice {index}",
                    f"<ooo-reply-{index}@acme.example.com>",
                    extra="Auto-Submitted: auto-replied\n",
                )
            self.assertFalse(self._new_mails, "nobody is mailed: no loop with the auto-responder")
        logged = case.message_ids - messages
        self.assertEqual(len(logged), 1, "logged on the case once")
        self.assertEqual(logged.message_type, "notification")
        self.assertFalse(logged.notification_ids)
        self.assertIn("Automatic mail", logged.body)
        self.assertEqual(case.stage_id, self.stage_new)

    def test_auto_reply_to_finished_case_does_not_reopen(self):
        case = self._new_case_by_mail()
        case.stage_id = self.stage_resolved
        with self.mock_mail_gateway():
            self._reply(
                case,
                "carl@acme.example.com",
                "Re: Charged twice (away)",
                "<ooo-away@acme.example.com>",
                extra="X-Autoreply: yes\n",
            )
        self.assertEqual(case.stage_id, self.stage_resolved)
        self.assertFalse(self.Case.search([("origin_case_id", "=", case.id)]))

    # ------------------------------------------------------------------
    # Item 14: the desk's own addresses
    # ------------------------------------------------------------------

    def test_own_addresses_create_no_case(self):
        self.env.company.email = "desk@cinema.example.com"
        self.env["ir.config_parameter"].set_param("mail.default.from", "robot@cinema.example.com")
        own = [
            f"sd-front@{self.alias_domain}",  # another group's alias
            f"{self.alias_catchall}@{self.alias_domain}",
            f"{self.alias_bounce}@{self.alias_domain}",
            f"{self.default_from}@{self.alias_domain}",
            '"The Cinema" <Desk@Cinema.example.com>',
            "robot@cinema.example.com",
        ]
        count = self.Case.search_count([])
        for index, sender in enumerate(own):
            with self.subTest(sender=sender), self.mock_mail_gateway():
                case = self._process(sender, f"Notification {index}")
                self.assertFalse(case, "mail from the desk itself creates no case")
                self.assertFalse(self._new_mails)
        self.assertEqual(self.Case.search_count([]), count)

    def test_own_address_check_is_one_query(self):
        Case = self.env["service.desk.case"]
        Case._gateway_is_own_address("warm.the.parameter.cache@example.org")
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertTrue(Case._gateway_is_own_address(f"sd-front@{self.alias_domain}"))
        with self.assertQueryCount(1):
            self.assertFalse(Case._gateway_is_own_address("customer@example.org"))

    # ------------------------------------------------------------------
    # Item 15: replies to finished cases
    # ------------------------------------------------------------------

    def test_reply_within_period_reopens_and_notifies_assignee(self):
        with freeze_time("2026-03-02 09:00:00"):
            case = self._new_case_by_mail()
            case.user_id = self.user_agent2
            case.stage_id = self.stage_resolved
        with freeze_time("2026-03-06 09:00:00"), self.mock_mail_gateway():
            self._reply(case, "carl@acme.example.com", "Re: Charged twice", "<still-broken@acme.example.com>")
        self.assertEqual(case.stage_id, self.stage_progress, "reopened within the 7 days")
        self.assertEqual(case.reopen_count, 1)
        self.assertFalse(self.Case.search([("origin_case_id", "=", case.id)]))
        self.assertIn(self.user_agent2.partner_id, self._mailed_partners(), "the assignee is told")
        self.assertIn("<still-broken@acme.example.com>", case.message_ids.mapped("message_id"))

    def test_reply_after_period_creates_linked_case(self):
        with freeze_time("2026-03-02 09:00:00"):
            case = self._new_case_by_mail()
            case.stage_id = self.stage_closed
        with freeze_time("2026-03-20 09:00:00"), self.mock_mail_gateway():
            self._reply(case, "carl@acme.example.com", "Re: Charged twice again", "<again@acme.example.com>")
        self.assertEqual(case.stage_id, self.stage_closed, "the old case stays closed")
        follow_up = self.Case.search([("origin_case_id", "=", case.id)])
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.partner_id, case.partner_id)
        self.assertEqual(follow_up.team_id, case.team_id)
        self.assertEqual(follow_up.channel, "email")
        self.assertIn("<again@acme.example.com>", follow_up.message_ids.mapped("message_id"))
        self.assertNotIn("<again@acme.example.com>", case.message_ids.mapped("message_id"))
        self.assertIn(follow_up.number, case.message_ids[0].body, "the old case points to the follow-up")
        members = case.team_id.member_ids.partner_id
        self.assertTrue(members <= self._mailed_partners(), "the group is told about the follow-up")

    def test_replies_after_period_share_one_follow_up(self):
        with freeze_time("2026-03-02 09:00:00"):
            case = self._new_case_by_mail()
            case.stage_id = self.stage_closed
        with freeze_time("2026-03-20 09:00:00"), self.mock_mail_gateway():
            self._reply(case, "carl@acme.example.com", "Re: Charged twice, 1", "<late-1@acme.example.com>")
            self._reply(case, "carl@acme.example.com", "Re: Charged twice, 2", "<late-2@acme.example.com>")
        follow_up = self.Case.search([("origin_case_id", "=", case.id)])
        self.assertEqual(len(follow_up), 1, "the second reply goes to the open follow-up")
        message_ids = set(follow_up.message_ids.mapped("message_id"))
        self.assertTrue({"<late-1@acme.example.com>", "<late-2@acme.example.com>"} <= message_ids)

    def test_reopen_period_is_a_setting(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.service_desk_reopen_days, 7)
        settings.service_desk_reopen_days = 30
        settings.execute()
        with freeze_time("2026-03-02 09:00:00"):
            case = self._new_case_by_mail()
            case.stage_id = self.stage_resolved
        with freeze_time("2026-03-20 09:00:00"), self.mock_mail_gateway():
            self._reply(case, "carl@acme.example.com", "Re: Charged twice", "<late-but-ok@acme.example.com>")
        self.assertEqual(case.stage_id, self.stage_new, "no assignee: back to New, within 30 days")
        # The group is told since nobody is assigned.
        self.assertTrue(case.team_id.member_ids.partner_id <= self._mailed_partners())

    def test_staff_reply_to_finished_case_does_not_reopen(self):
        case = self._new_case_by_mail()
        case.stage_id = self.stage_resolved
        with self.mock_mail_gateway():
            self._reply(case, "agent2@example.com", "Re: Charged twice (staff)", "<staff@example.com>")
        self.assertEqual(case.stage_id, self.stage_resolved)
        self.assertFalse(self.Case.search([("origin_case_id", "=", case.id)]))

    # ------------------------------------------------------------------
    # Item 16: other companies' contacts, unknown charsets
    # ------------------------------------------------------------------

    def test_sender_of_other_company_gets_a_case(self):
        other_company = self.env["res.company"].create({"name": "Globex Cinemas Ltd"})
        foreign = self.env["res.partner"].create(
            {"name": "Gina Globex", "email": "gina@globex.example.com", "company_id": other_company.id}
        )
        with self.mock_mail_gateway():
            case = self._process('"Gina G." <gina@globex.example.com>', "Cross-company request")
        self.assertEqual(len(case), 1, "the mail is not lost")
        self.assertEqual(case.company_id, self.team_payments.company_id, "the alias' company")
        self.assertNotEqual(case.partner_id, foreign)
        self.assertIn(case.partner_id.company_id, (case.company_id, self.env["res.company"]))
        self.assertEqual(case.partner_id.email_normalized, "gina@globex.example.com")
        self.assertEqual(foreign.company_id, other_company, "the other company's contact is untouched")
        incoming = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, case.partner_id)
        # The next mail reuses the contact made for this company.
        with self.mock_mail_gateway():
            case2 = self._process("gina@globex.example.com", "Cross-company again")
        self.assertEqual(case2.partner_id, case.partner_id)

    def test_unknown_charset_still_a_case(self):
        with self.mock_mail_gateway():
            case = self._process(
                "charset@example.org",
                "Strange encoding",
                template=UNKNOWN_CHARSET_TEMPLATE,
            )
        self.assertEqual(len(case), 1)
        incoming = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("tickets were charged twice", incoming.body)
        # Bytes that are not UTF-8 either (Latin-1), in the subject too.
        raw = (
            f"From: latin@example.org\r\nTo: {self.payments_alias}\r\n"
            "Subject: =?x-unknown-42?Q?Caf=E9_refund?=\r\nMessage-ID: <latin-1@example.org>\r\n"
            'Content-Type: text/plain; charset="x-unknown-42"\r\n\r\n'
        ).encode() + b"Caf\xe9 tickets, charged twice.\r\n"
        with self.mock_mail_gateway():
            self.env["mail.thread"].sudo().message_process(None, raw)
        case = self.env["service.desk.case"].search([("email_from", "=", "latin@example.org")])
        self.assertEqual(len(case), 1)
        self.assertIn("refund", case.name)
        incoming = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("Caf\xe9 tickets", incoming.body)

    # ------------------------------------------------------------------
    # Performance: the checks cost one query per mail, whatever the size
    # ------------------------------------------------------------------

    def _queries_for_new_case(self, tag):
        self.env.flush_all()
        with steady_gc():
            before = self.env.cr.sql_log_count
            with self.mock_mail_gateway():
                case = self._process(f"perf.{tag}@customer-{tag}.example.org", f"Performance {tag}")
            self.env.flush_all()
            self.assertEqual(len(case), 1)
            return self.env.cr.sql_log_count - before

    def test_intake_checks_cost_one_query(self):
        self._queries_for_new_case("warm-up")
        with_checks = self._queries_for_new_case("checked")
        Case = type(self.env["service.desk.case"])
        with patch.object(Case, "_gateway_filter_routes", lambda self, message, message_dict, routes: routes):
            without_checks = self._queries_for_new_case("unchecked")
        self.assertLessEqual(with_checks - without_checks, 1, "the loop and own-address checks add one query")
        # And they do not depend on the number of cases or contacts.
        self._create_case(name="Filler", email_from="perf.checked@customer-checked.example.org")
        self.assertEqual(self._queries_for_new_case("again"), with_checks)
