# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two sessions of one agent at the same moment (issue 12): a take in one
tab while a reply goes out from another. Both add the agent as a follower of
the case; the second insert collides with the first on mail_followers'
unique key. The follower is there, which is all the second one wanted: it
must go on without an error and without a serialization failure (which Odoo
would answer by running the request again after a random pause of up to
2 s).

The two sessions are two real database cursors in REPEATABLE READ, as two
HTTP workers have; the data they share is committed, so this class cleans
up after itself instead of relying on the test transaction."""

from unittest.mock import patch

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.service import model as service_model
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

CASE = "service.desk.case"


@tagged("post_install", "-at_install")
class TestCaseConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # committed, so that the two sessions both see it; the test's own
        # cursor stays unused (its uncommitted rows would block the others)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            agent = new_test_user(
                env,
                "sd_race_agent",
                groups="service_desk_cases.group_service_desk_user",
                name="Rene Race",
                email="race.agent@example.com",
                context={"no_reset_password": True},
            )
            team = env["service.desk.team"].create(
                {
                    "name": "Race Desk",
                    "line_id": env.ref("service_desk_cases.line_first").id,
                    "member_ids": [(6, 0, agent.ids)],
                }
            )
            customer = env["res.partner"].create({"name": "Rita Race", "email": "rita.race@example.com"})
            # a customer who got emails before: their signup link is prepared
            customer.signup_prepare()
            cls.agent_id, cls.team_id, cls.customer_id = agent.id, team.id, customer.id
            cls.agent_partner_id = agent.partner_id.id
        cls.addClassCleanup(cls._drop_committed)

    @classmethod
    def _drop_committed(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env[CASE].search([("team_id", "=", cls.team_id)]).unlink()
            env["service.desk.team"].browse(cls.team_id).unlink()
            agent = env["res.users"].browse(cls.agent_id)
            partners = agent.partner_id | env["res.partner"].browse(cls.customer_id)
            agent.unlink()
            partners.unlink()

    def _committed_case(self, **values):
        """A new unassigned case of the race desk, committed; the requester
        already answered once, so a reply writes nothing on the case row."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            case = env[CASE].create(
                {"name": "Two tabs, one agent", "team_id": self.team_id, "partner_id": self.customer_id, **values}
            )
            case.date_first_response = "2026-01-05 09:00:00"
            self.assertFalse(case.user_id)
            return case.id

    def _followers(self, case_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM mail_followers WHERE res_model = %s AND res_id = %s AND partner_id = %s",
                [CASE, case_id, self.agent_partner_id],
            )
            return cr.fetchone()[0]

    def _race(self, first, second, other_case=False):
        """``second`` starts its transaction, ``first`` runs and commits in
        the other session, then ``second`` runs as Odoo serves a request
        (retrying on serialization failures) and commits. Both run as the
        agent, on one case (or, with ``other_case``, on two cases of one
        customer)."""
        case_id = self._committed_case()
        second_id = self._committed_case() if other_case else case_id
        with self.registry.cursor() as cr_first, self.registry.cursor() as cr_second:
            case_first = api.Environment(cr_first, self.agent_id, {})[CASE].browse(case_id)
            case_second = api.Environment(cr_second, self.agent_id, {})[CASE].browse(second_id)
            # the second session's snapshot: taken before the first commits
            self.assertEqual(case_second.name, "Two tabs, one agent")
            first(case_first)
            cr_first.commit()
            attempts = []
            # Odoo logs the failed inserts and the retry, as for any serialization failure
            with patch.object(service_model.time, "sleep"), mute_logger("odoo.sql_db", "odoo.service.model"):
                service_model.retrying(lambda: attempts.append(1) or second(case_second), case_second.env)
            cr_second.commit()
        # no serialization failure: one run, on the snapshot taken before the other's commit
        self.assertEqual(len(attempts), 1, "the second session's request was run again")
        return second_id

    @staticmethod
    def _reply(case):
        case.message_post(body="On my way", message_type="comment", subtype_xmlid="mail.mt_comment")

    @staticmethod
    def _take(case):
        case.action_take()

    def _check(self, case_id):
        self.assertEqual(self._followers(case_id), 1)
        with self.registry.cursor() as cr:
            case = api.Environment(cr, SUPERUSER_ID, {})[CASE].browse(case_id)
            self.assertEqual(case.user_id.id, self.agent_id)
            self.assertEqual(case.state, "in_progress")
            replies = case.message_ids.filtered(lambda m: "On my way" in m.body)
            self.assertEqual(replies.author_id.id, self.agent_partner_id)
            self.assertEqual(len(replies), 1)

    def test_take_after_a_reply_from_another_tab(self):
        """The load test's error: the reply commits its follower first, the
        take (already started) adds the same follower."""
        self._check(self._race(self._reply, self._take))

    def test_reply_after_a_take_from_another_tab(self):
        self._check(self._race(self._take, self._reply))

    def test_reply_and_take_on_two_cases_of_one_customer(self):
        """Both email the customer: preparing their signup link wrote the
        same value on their contact in both transactions."""
        case_id = self._race(self._reply, self._take, other_case=True)
        with self.registry.cursor() as cr:
            case = api.Environment(cr, SUPERUSER_ID, {})[CASE].browse(case_id)
            self.assertEqual(case.user_id.id, self.agent_id)
            taken = case.message_ids.filtered(lambda m: m.message_type == "auto_comment")
            self.assertEqual(len(taken), 1)
            self.assertIn(
                self.customer_id, taken.notification_ids.res_partner_id.ids, "the customer is told the case was taken"
            )

    def test_followers_added_with_one_already_there_keep_the_others(self):
        """The agent adds themselves and the customer's colleague as
        followers while the other session added the agent: the colleague
        is not lost with the agent's insert."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            colleague_id = env["res.partner"].create({"name": "Cole Race", "email": "cole.race@example.com"}).id
        self.addCleanup(self._drop_partner, colleague_id)

        def follow_with_colleague(case):
            case.message_subscribe(partner_ids=[self.agent_partner_id, colleague_id])

        case_id = self._race(
            lambda case: case.message_subscribe(partner_ids=[self.agent_partner_id]), follow_with_colleague
        )
        self.assertEqual(self._followers(case_id), 1)
        with self.registry.cursor() as cr:
            case = api.Environment(cr, SUPERUSER_ID, {})[CASE].browse(case_id)
            self.assertIn(colleague_id, case.message_partner_ids.ids)

    def _drop_partner(self, partner_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["mail.followers"].search([("partner_id", "=", partner_id)]).unlink()
            env["res.partner"].browse(partner_id).unlink()

    def test_same_follower_twice_in_one_batch_stays_an_error(self):
        """Only a follower another transaction added is a race: the same one
        twice in a batch is a bug, and stays the unique key's error."""
        partner = self.env.user.partner_id
        vals = {"res_model": CASE, "res_id": 999999, "partner_id": partner.id}
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(errors.UniqueViolation) as caught,
            self.env.cr.savepoint(),
        ):
            self.env["mail.followers"].create([vals, dict(vals)])
        self.assertNotIsInstance(caught.exception, errors.SerializationFailure)
