# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import IrQWeb
from odoo.addons.mail.models.mail_thread import MailThread as OdooMailThread
from odoo.addons.mail.tests.common import MockEmail

from .common import ServiceDeskCommon
from .test_case_mail import MAIL_TEMPLATE

# Queries of one mail creating a case, measured with a cold ORM cache (as the
# mail fetcher processes each mail in a transaction of its own): the routing
# (alias, sender's user and contact, loop and own-address checks), the case
# (number, followers, creation note, the group's email) and the post of the
# mail. A new sender costs their contact's creation. The senders are written
# with their name, as mail clients send them (Odoo's reset of the bounce
# counters cannot match such a sender: no query).
QUERIES_NEW_SENDER = 38
QUERIES_KNOWN_SENDER = 35


@tagged("post_install", "-at_install")
class TestCasePerfGateway(ServiceDeskCommon, MockEmail):
    """Issue 13, email intake: one inbound mail creating a case, as the mail
    gateway runs it (superuser), costs a bounded number of queries, and the
    cheaper routing gives the answers Odoo's gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team_payments.alias_domain_id = cls.mail_alias_domain
        cls.payments_alias = f"sd-payments@{cls.alias_domain}"
        cls.Case = cls.env["service.desk.case"]

    def _process(self, email_from, subject):
        return self.format_and_process(
            MAIL_TEMPLATE,
            email_from,
            self.payments_alias,
            subject=subject,
            msg_id=f"<{subject.replace(' ', '-')}@customer.example.org>",
            target_model="service.desk.case",
        )

    def _cold(self):
        self.env.flush_all()
        self.env.invalidate_all()

    def _assert_case_of_mail(self, case, email):
        """What the product promises of a case made from a mail."""
        self.assertEqual(len(case), 1)
        self.assertEqual(case.channel, "email")
        self.assertEqual(case.team_id, self.team_payments)
        self.assertEqual(case.partner_id.email_normalized, email)
        self.assertIn(case.partner_id, case.message_partner_ids, "the requester follows the case")
        incoming = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(incoming), 1)
        self.assertEqual(incoming.author_id, case.partner_id, "the mail's author is the requester")
        self.assertTrue(
            case.message_ids.filtered(lambda m: m.message_type == "notification" and "Case created" in m.body),
            "the creation note",
        )
        group_mail = self._new_mails.filtered(lambda m: m.res_id == case.id and m.model == case._name)
        self.assertEqual(
            group_mail.recipient_ids,
            self.team_payments.member_ids.partner_id,
            "the group's members are emailed about the new case",
        )

    def test_new_case_by_mail_query_count(self):
        with self.mock_mail_gateway():
            self._process("warm.up@customer.example.org", "Warm up")
        self._cold()
        with self.mock_mail_gateway(), self.assertQueryCount(QUERIES_NEW_SENDER):
            case = self._process('"Nina New" <nina.new@customer.example.org>', "New sender")
            self.env.flush_all()
        self._assert_case_of_mail(case, "nina.new@customer.example.org")
        self.assertEqual(case.partner_id.name, "Nina New", "a new sender's contact is created")

        self._cold()
        with self.mock_mail_gateway(), self.assertQueryCount(QUERIES_KNOWN_SENDER):
            case = self._process('"Carl" <carl@acme.example.com>', "Known sender")
            self.env.flush_all()
        self._assert_case_of_mail(case, "carl@acme.example.com")
        self.assertEqual(case.partner_id, self.customer, "a known sender's contact is reused")

        # The agents of the group work on the case; an agent of another group
        # does not see it.
        agent = case.with_user(self.user_agent2)
        self.assertEqual(agent.name, "Known sender")
        self.assertEqual(self.Case.with_user(self.user_agent2).search([("id", "=", case.id)]), case)
        self.assertFalse(self.Case.with_user(self.user_operator).search([("id", "=", case.id)]))
        with self.assertRaises(AccessError):
            case.with_user(self.user_operator).check_access("read")

    def test_queries_do_not_grow_with_contacts_or_cases(self):
        with self.mock_mail_gateway():
            self._process("warm.up@customer.example.org", "Warm up")
        Partner = self.env["res.partner"]
        Partner.create([{"name": f"Filler {i}", "email": f"filler.{i}@customer.example.org"} for i in range(20)])
        self._create_case(name="Filler", partner_id=self.customer.id)
        self._cold()
        with self.mock_mail_gateway(), self.assertQueryCount(QUERIES_NEW_SENDER):
            self._process('"Olga Other" <olga.other@customer.example.org>', "Another new sender")
            self.env.flush_all()

    def test_sender_lookup_reads_the_address_index(self):
        """Each inbound mail looks its sender up by normalized address, several
        times (requester, user, bounce counter): an index of res_partner, not
        a scan of the whole contact base."""
        cr = self.env.cr
        cr.execute("SET LOCAL enable_seqscan = off")
        try:
            cr.execute("EXPLAIN SELECT id FROM res_partner WHERE email_normalized = 'carl@acme.example.com'")
            plan = "\n".join(row[0] for row in cr.fetchall())
        finally:
            cr.execute("RESET enable_seqscan")
        self.assertIn("res_partner__email_normalized_index", plan)

    def test_requester_with_user_is_the_author(self):
        """Two contacts of one address: the one of the portal user is the
        requester and the author (one contact per person, no duplicate)."""
        duplicate = self.env["res.partner"].create({"name": "Paula (old)", "email": "paula@acme.example.com"})
        contacts = self.env["res.partner"].with_context(active_test=False).search_count([])
        with self.mock_mail_gateway():
            case = self._process('"Paula" <paula@acme.example.com>', "Portal user writes")
        self.assertEqual(case.partner_id, self.user_portal.partner_id)
        self.assertNotEqual(case.partner_id, duplicate)
        incoming = case.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, self.user_portal.partner_id)
        self.assertEqual(
            self.env["res.partner"].with_context(active_test=False).search_count([]), contacts, "no contact created"
        )
        # The portal user may open their case.
        self.assertEqual(case.with_user(self.user_portal).name, "Portal user writes")

    def test_gateway_user_is_odoos(self):
        """The user a case by mail is created as: the same as Odoo's lookup
        (the group's followers first, then any user of the address; none
        for an alias address)."""
        alias = self.team_payments.alias_id
        Thread = self.env["mail.thread"]
        twin = self._user("sd_twin", "agent", name="Aaron Twin", email="engineer@example.com")
        emails = [
            '"Eva" <engineer@example.com>',  # two users share it
            "agent2@example.com",
            "nobody@example.com",
            self.payments_alias,
            "",
        ]
        for email in emails:
            self.assertEqual(
                Thread._mail_find_user_for_gateway(email, alias=alias),
                OdooMailThread._mail_find_user_for_gateway(Thread, email, alias=alias),
                email,
            )
        # The follower of the group wins over the other user of the address.
        self.team_payments.message_subscribe(partner_ids=twin.partner_id.ids)
        self.assertEqual(Thread._mail_find_user_for_gateway("engineer@example.com", alias=alias), twin)
        self.assertEqual(OdooMailThread._mail_find_user_for_gateway(Thread, "engineer@example.com", alias=alias), twin)
        # An agent's mail creates the case as that agent.
        with self.mock_mail_gateway():
            case = self._process("agent2@example.com", "Agent writes")
        self.assertEqual(case.create_uid, self.user_agent2)

    def test_mail_resets_bounce_counter(self):
        self.customer.message_bounce = 3
        with self.mock_mail_gateway():
            self._process("carl@acme.example.com", "I am reachable")
        self.assertEqual(self.customer.message_bounce, 0)

    def test_very_long_sender_address_still_makes_a_case(self):
        """No index limits the case's address: a known customer's mail whose
        From is longer than a btree entry (2,704 bytes) still makes its case,
        and so does an operator's case with such an address. (An index
        including the address, for the loop guard, refused these rows.)"""
        # random text: PostgreSQL would compress a repetitive one under the limit
        name = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(100))
        with self.mock_mail_gateway():
            case = self._process(f'"{name}" <carl@acme.example.com>', "Long name")
        self.assertEqual(case.partner_id, self.customer)
        self.assertGreater(len(case.email_from), 2704)
        operator_case = self.Case.with_user(self.user_operator).create(
            {"name": "Long address", "partner_id": self.customer.id, "email_from": f"{name}@example.org"}
        )
        self.env.flush_all()
        self.assertEqual(operator_case.email_from, f"{name}@example.org")

    def test_loop_guard_counts_the_period_only(self):
        """Odoo's mail-loop guard, read from the period's cases first: a
        sender reaching the threshold within the period creates no more
        cases; older cases and other senders do not count."""
        self.env["ir.config_parameter"].set_param("mail.gateway.loop.threshold", 2)
        Case = self.Case.with_context(active_test=False)
        with self.mock_mail_gateway():
            old = self._process("loop@customer.example.org", "Old one")
            old |= self._process('"Loop" <LOOP@customer.example.org>', "Old two")
        self.assertEqual(len(old), 2)
        # created before the period (two hours by default); the clock of
        # create_date is the database's
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE service_desk_case SET create_date = create_date - interval '3 hours' WHERE id = ANY(%s)",
            [old.ids],
        )
        self.env.invalidate_all()
        with self.mock_mail_gateway():
            self._process("loop@customer.example.org", "Recent one")
            self._process("loop@customer.example.org", "Recent two")
            self._process("other@customer.example.org", "Another sender")
            self.assertFalse(self._process("loop@customer.example.org", "One too many"))
        self.assertEqual(Case.search_count([("email_from", "ilike", "loop@customer.example.org")]), 4)
        self.assertFalse(Case.search([("name", "=", "One too many")]))
        self.assertTrue(Case.search([("name", "=", "Another sender")]))
        domain = self.Case._detect_loop_sender_domain("loop@customer.example.org")
        self.assertEqual(domain[0][:2], ("id", "in"), "the period's cases first")

    def test_fields_get_shortcut_only_for_gateway(self):
        Case = self.Case
        full = Case.fields_get()
        self.assertIn("selection", full["priority"], "a normal call describes every field fully")
        self.assertIn("name", Case.with_context(service_desk_gateway_new=True).fields_get())
        self.assertEqual(
            Case.with_context(service_desk_gateway_new=True).fields_get(["priority"])["priority"],
            full["priority"],
            "a call naming fields is Odoo's",
        )


@tagged("post_install", "-at_install")
class TestCasePerfTemplates(ServiceDeskCommon):
    """Issue 13, rendering once: the emails of cases that Odoo's tracking and
    rating code send one case at a time (the stage's email, the rating
    request) are rendered from bodies compiled once per process, not once per
    case."""

    def _resolve(self, case):
        # tracked as outside tests (the tests' context turns tracking off)
        agent_case = case.with_user(self.user_agent2).with_context(tracking_disable=False, mail_notrack=False)
        agent_case.stage_id = self.stage_resolved
        # the stage's email goes out with the tracking, before the commit
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_stage_and_rating_emails_compiled_once(self):
        cases = self.env["service.desk.case"]
        for name in ("Refund", "Second refund", "Third refund"):
            cases |= self._create_case(
                name=name, partner_id=self.customer.id, team_id=self.team_payments.id, user_id=self.user_agent2.id
            )
        # created in an earlier transaction (tracking starts after it)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.registry.clear_cache("templates")
        # _generate_code: the compilation itself (views are compiled once
        # and cached by Odoo; an inline body was compiled on each rendering)
        with patch.object(IrQWeb, "_generate_code", autospec=True, side_effect=IrQWeb._generate_code) as compile_:
            self._resolve(cases[0])
            first = compile_.call_count
            self._resolve(cases[1])
            self._resolve(cases[2])
        self.assertTrue(first, "the first case compiles its bodies")
        self.assertEqual(compile_.call_count, first, "the next cases reuse them")
        for case in cases:
            resolved = case.message_ids.filtered(lambda m: "has been resolved" in (m.body or ""))
            rating = case.message_ids.filtered(lambda m: "How satisfied" in (m.subject or ""))
            self.assertEqual(len(resolved), 1, "the stage's email")
            self.assertIn(f"<strong>{case.number}</strong>", resolved.body)
            self.assertIn(case.name, resolved.body)
            self.assertIn(self.customer, resolved.notification_ids.res_partner_id)
            self.assertEqual(len(rating), 1, "the rating request")
            token = case.rating_ids.filtered(lambda r: not r.consumed).access_token
            self.assertIn(f"/rate/{token}/5", rating.body, "each request links its own rating")
