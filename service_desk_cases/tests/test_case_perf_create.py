# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ServiceDeskCommon, logged_queries


@tagged("post_install", "-at_install")
class TestCasePerfCreate(ServiceDeskCommon):
    """Issue #13, one case per transaction: what a new case no longer reads
    (the sequence's settings, its assignee's partner, its subservice's
    service apart), and the caches behind it following their settings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sequence = cls.env.ref("service_desk_cases.seq_service_desk_case")
        cls.Case = cls.env["service.desk.case"].with_user(cls.user_operator)

    def _new(self, **values):
        return self.Case.create({"name": "Printer", "partner_id": self.customer.id, **values})

    def _sequence_queries(self, action):
        """The queries of ``action`` that read the table ir_sequence."""
        self.env.flush_all()
        self.env.invalidate_all()
        with logged_queries() as queries:
            result = action()
        return result, [q for q in queries if 'FROM "ir_sequence"' in q]

    def test_number_from_cached_sequence_settings(self):
        first = self._new()
        second, reads = self._sequence_queries(self._new)
        # drawn and formatted from the cached settings: the sequence is not read
        self.assertEqual(reads, [])
        self.assertRegex(second.number, r"^SD\d{6}$")
        self.assertEqual(int(second.number[2:]), int(first.number[2:]) + 1)

    def test_sequence_changes_apply_to_the_next_case(self):
        self._new()
        # an administrator changes the numbering: the next case follows it
        self.sequence.write({"prefix": "HD-", "suffix": "/X", "padding": 4})
        case = self._new()
        self.assertRegex(case.number, r"^HD-\d{4,}/X$")
        # a company's own sequence comes first as soon as it exists
        self.env["ir.sequence"].create(
            {
                "name": "Desk of the company",
                "code": "service.desk.case",
                "prefix": "CO",
                "padding": 3,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(self._new().number, "CO001")

    def test_sequence_with_date_placeholders(self):
        # a prefix with dates is interpolated by Odoo for each number
        self.sequence.prefix = "SD/%(year)s/"
        with freeze_time("2026-03-10 09:00:00"):
            case = self._new()
        self.assertRegex(case.number, r"^SD/2026/\d{6}$")

    def test_assignee_follows_without_reading_users_again(self):
        self.team_first.member_ids = self.user_agent
        case = self._new(team_id=self.team_first.id, user_id=self.user_agent.id)
        self.assertIn(self.user_agent.partner_id, case.message_partner_ids)
        self.assertIn(self.customer, case.message_partner_ids)

    def test_subservice_with_its_service_in_one_query(self):
        service = self.env["service.desk.service"].create({"name": "Box Office"})
        sub = self.env["service.desk.service"].create({"name": "Card Readers", "parent_id": service.id})
        self.env.flush_all()
        self.env.invalidate_all()
        with logged_queries() as queries:
            case = self._new(subservice_id=sub.id)
        reads = [q for q in queries if q.startswith('SELECT "service_desk_service"."id"')]
        self.assertEqual(len(reads), 1, "\n".join(reads))
        self.assertEqual(case.service_id, service)
        # a subservice that does not exist is still refused, naming the field
        with self.assertRaisesRegex(ValidationError, "Subservice: no record with id"):
            self._new(subservice_id=sub.id + 1000)

    def test_note_and_group_email_in_one_batch(self):
        self.team_first.member_ids = self.user_agent | self.user_agent2
        self.env.flush_all()
        with logged_queries() as queries:
            case = self._new(team_id=self.team_first.id)
        self.assertEqual(len([q for q in queries if q.startswith('INSERT INTO "mail_message"')]), 1)
        messages = case.message_ids
        note = messages.filtered(lambda m: m.message_type == "notification")
        # the note, as _message_log_batch logs it, by the operator
        self.assertEqual(len(note), 1)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertTrue(note.is_internal)
        self.assertEqual(note.author_id, self.user_operator.partner_id)
        self.assertIn("Case created (channel: ", str(note.body))
        self.assertFalse(note.record_name)
        # the group's email: its message is internal and goes with the email
        mail = self.env["mail.mail"].sudo().search([("model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(len(mail), 1)
        self.assertFalse(mail.is_notification)
        self.assertEqual(mail.message_type, "email_outgoing")
        self.assertTrue(mail.mail_message_id.is_internal)
        self.assertEqual(mail.recipient_ids, (self.user_agent | self.user_agent2).partner_id)
        self.assertIn(case.number, mail.body_html)
        self.assertGreater(mail.mail_message_id.id, note.id)
        # an email sent and deleted takes its message with it, as before
        message = mail.mail_message_id
        mail.unlink()
        self.assertFalse(message.exists())

    def test_no_group_members_only_the_note(self):
        team = self.env["service.desk.team"].create({"name": "Empty Group", "line_id": self.line1.id})
        case = self.Case.create({"name": "Nobody", "team_id": team.id})
        self.assertEqual(case.message_ids.mapped("message_type"), ["notification"])
        self.assertFalse(self.env["mail.mail"].sudo().search([("model", "=", case._name), ("res_id", "=", case.id)]))

    def test_new_case_leaves_the_contacts_last_rating_alone(self):
        """The contact's last rating follows their ratings, not their cases: an
        operator's new case does not recompute it (no query on the ratings),
        the customer's rating does."""
        rated = self._new()
        rated.sudo().rating_apply(4, token=rated.sudo()._rating_get_access_token())
        self.assertEqual(self.customer.service_desk_last_rating, 4)
        self.env.flush_all()
        with logged_queries() as queries:
            case = self._new()
            self.env.flush_all()
        self.assertFalse([q for q in queries if "rating_rating" in q], "a new case reads no rating")
        case.sudo().rating_apply(2, token=case.sudo()._rating_get_access_token())
        self.assertEqual(self.customer.service_desk_last_rating, 2)
