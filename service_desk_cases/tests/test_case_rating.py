# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ServiceDeskCommon

CASE_MODEL = "service.desk.case"


class RatingCommon(ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rating = cls.env["rating.rating"]
        cls.case = cls._create_case(
            name="Refund for a double charge",
            service_id=cls.service_payments.id,
            subservice_id=cls.sub_card.id,
            team_id=cls.team_payments.id,
            user_id=cls.user_agent2.id,
        )
        cls.case.stage_id = cls.stage_resolved

    @classmethod
    def _open_rating(cls, case):
        return cls.Rating.search([("res_model", "=", CASE_MODEL), ("res_id", "=", case.id), ("consumed", "=", False)])

    def _leader_alerts(self, case):
        return self.env["mail.message"].search(
            [
                ("model", "=", CASE_MODEL),
                ("res_id", "=", case.id),
                ("partner_ids", "in", self.user_leader.partner_id.id),
            ]
        )


@tagged("post_install", "-at_install")
class TestCaseRatingAccess(RatingCommon):
    """Item 7: ratings of cases follow the cases' access; tokens stay hidden."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rating = cls._open_rating(cls.case)
        cls.case.rating_apply(5, rating=cls.rating, feedback="Quick and kind")
        cls.other_company = cls.env["res.company"].create({"name": "Globex Cinemas Ltd"})
        cls.user_leader_other = new_test_user(
            cls.env,
            "sd_leader_other",
            groups="service_desk_cases.group_service_desk_supervisor",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
            context={"no_reset_password": True},
        )

    def test_request_sent_once_per_resolution(self):
        self.assertTrue(self.rating.access_token)
        self.assertTrue(self.rating.consumed)
        self.assertEqual(self.rating.partner_id, self.customer)

    def test_agent_of_another_group_cannot_see_rating(self):
        Rating = self.Rating.with_user(self.user_agent)  # Front Desk only
        self.assertNotIn(self.rating, Rating.search([("res_model", "=", CASE_MODEL)]))
        self.assertFalse(Rating.search_count([("id", "=", self.rating.id)]))
        self.assertFalse(Rating._read_group([("res_model", "=", CASE_MODEL)], [], ["__count"])[0][0])
        with self.assertRaises(AccessError):
            self.rating.with_user(self.user_agent).read(["rating", "feedback"])

    def test_employee_outside_the_desk_cannot_see_rating(self):
        employee = new_test_user(self.env, "plain_employee", groups="base.group_user")
        Rating = self.Rating.with_user(employee)
        self.assertFalse(Rating.search([("res_model", "=", CASE_MODEL)]), "no error, no case ratings")
        with self.assertRaises(AccessError):
            self.rating.with_user(employee).read(["rating"])

    def test_supervisor_of_another_company_cannot_see_rating(self):
        Rating = self.Rating.with_user(self.user_leader_other)
        self.assertFalse(Rating.search([("res_model", "=", CASE_MODEL)]))
        with self.assertRaises(AccessError):
            self.rating.with_user(self.user_leader_other).read(["feedback"])

    def test_contact_ratings_follow_the_rating_rules(self):
        """A contact's case ratings (what their last rating is computed from)
        show an agent the ratings of their group only, and no portal user."""
        customer = self.customer
        for user, sees in ((self.user_agent2, True), (self.user_agent, False)):  # Payments, Front Desk
            # each reads it as in a request of their own
            customer.invalidate_recordset(["service_desk_rating_ids"])
            ratings = customer.with_user(user).read(["service_desk_rating_ids"])[0]["service_desk_rating_ids"]
            self.assertEqual(self.rating.id in ratings, sees, user.login)
        portal_partner = self.user_portal.partner_id.with_user(self.user_portal)
        with self.assertRaises(AccessError):
            portal_partner.read(["service_desk_rating_ids"])

    def test_group_agent_reads_rating_but_never_the_token(self):
        rating = self.rating.with_user(self.user_agent2)
        self.assertEqual(rating.read(["rating", "feedback"])[0]["feedback"], "Quick and kind")
        self.assertNotIn("access_token", rating.fields_get())
        self.assertNotIn("access_token", rating.search_read([("id", "=", rating.id)])[0])
        with self.assertRaises(AccessError):
            rating.read(["access_token"])
        with self.assertRaises(AccessError):
            self.Rating.with_user(self.user_agent2).search([("access_token", "=", self.rating.access_token)])
        # Nor the supervisor.
        with self.assertRaises(AccessError):
            self.rating.with_user(self.user_leader).read(["access_token"])

    def test_agents_cannot_rewrite_or_forge_ratings(self):
        rating = self.rating.with_user(self.user_agent2)
        with self.assertRaises(AccessError):
            rating.write({"rating": 1, "feedback": "Edited by the agent"})
        with self.assertRaises(AccessError):
            self.rating.with_user(self.user_leader).write({"rating": 1})
        with self.assertRaises(AccessError):
            rating.unlink()
        with self.assertRaises(AccessError):
            self.Rating.with_user(self.user_agent2).create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(CASE_MODEL),
                    "res_id": self.case.id,
                    "rating": 5,
                    "consumed": True,
                }
            )
        self.assertEqual(self.rating.rating, 5)
        self.assertEqual(self.rating.feedback, "Quick and kind")

    def test_rating_stats_still_work_for_staff(self):
        case = self.case.with_user(self.user_agent2)
        self.assertEqual(case.rating_last_value, 5)
        self.assertEqual(case.rating_count, 1)
        team = self.team_payments.with_user(self.user_leader)
        self.assertEqual(team.rating_percentage_satisfaction, 100)
        self.assertEqual(case.rating_ids, self.rating)


@tagged("post_install", "-at_install", "sd_http")
class TestCaseRatingLink(HttpCase, RatingCommon):
    """Item 8: the rating link, as the customer (or a mail scanner) opens it."""

    def _get(self, token, rate):
        response = self.url_open(f"/rate/{token}/{rate}")
        self.assertEqual(response.status_code, 200)
        return response

    def test_dissatisfied_link_applies_once(self):
        token = self._open_rating(self.case).access_token
        for _i in range(6):
            page = self._get(token, 1)
        self.assertEqual(self.case.stage_id, self.stage_progress, "reopened")
        self.assertEqual(self.case.reopen_count, 1, "reopened once")
        self.assertEqual(len(self._leader_alerts(self.case)), 1, "the leader is alerted once")
        rating = self.Rating.search([("access_token", "=", token)])
        self.assertEqual(rating.rating, 1)
        # The other links of the same mail, opened later, change nothing.
        self._get(token, 5)
        self.assertEqual(rating.rating, 1)
        # The comment typed on the page after the click is kept, with no other effect.
        csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": "1", "feedback": "Still charged twice", "csrf_token": csrf_token},
        )
        self.assertEqual(rating.feedback, "Still charged twice")
        self.assertEqual(self.case.reopen_count, 1)
        self.assertEqual(len(self._leader_alerts(self.case)), 1)

    def test_old_token_inert_after_second_resolution(self):
        first_token = self._open_rating(self.case).access_token
        self._get(first_token, 1)
        self.assertEqual(self.case.stage_id, self.stage_progress)
        self.case.stage_id = self.stage_resolved  # resolved a second time: a new request
        second = self._open_rating(self.case)
        self.assertTrue(second)
        self.assertNotEqual(second.access_token, first_token)
        for _i in range(3):
            self._get(first_token, 1)
        self.assertEqual(self.case.stage_id, self.stage_resolved, "an old token does not reopen")
        self.assertEqual(self.case.reopen_count, 1)
        self.assertEqual(len(self._leader_alerts(self.case)), 1)
        self._get(second.access_token, 5)
        self.assertEqual(second.rating, 5)
        self.assertEqual(self.case.stage_id, self.stage_resolved)
        self.assertEqual(self.case.rating_last_value, 5)

    def test_agent_chatter_shows_rated_case(self):
        self._get(self._open_rating(self.case).access_token, 5)
        self.authenticate(self.user_agent2.login, self.user_agent2.login)
        result = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": CASE_MODEL, "thread_id": self.case.id}
        )
        self.assertTrue(result["messages"])
