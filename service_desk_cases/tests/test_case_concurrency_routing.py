# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two operators registering calls at the same moment (issue 12): both new
cases go to a round-robin group. The turn is drawn from the group's own
PostgreSQL sequence, which never waits nor conflicts, instead of being
written on the group's row, which two concurrent creations both updated:
the second one was a serialization failure that Odoo retried after a
random pause of up to 2 s.

The sessions are real database cursors in REPEATABLE READ, as two HTTP
workers have; the data they share is committed, so this class cleans up
after itself instead of relying on the test transaction."""

from itertools import pairwise
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.service import model as service_model
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

CASE = "service.desk.case"


@tagged("post_install", "-at_install")
class TestCaseConcurrencyRoundRobin(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})

            def user(login, name):
                return new_test_user(
                    env,
                    login,
                    groups="service_desk_cases.group_service_desk_user",
                    name=name,
                    email=f"{login}@example.com",
                    context={"no_reset_password": True},
                )

            operator = user("sd_rr_operator", "Oleg Phones")
            agents = user("sd_rr_agent1", "Anna Turn") | user("sd_rr_agent2", "Bert Turn")
            team = env["service.desk.team"].create(
                {
                    "name": "Turns Desk",
                    "line_id": env.ref("service_desk_cases.line_first").id,
                    "member_ids": [(6, 0, agents.ids)],
                    "leader_id": operator.id,
                    "assignment_method": "round_robin",
                }
            )
            service = env["service.desk.service"].create(
                {"name": "Turns", "code": "SD-RR-TURNS", "team_ids": [(6, 0, team.ids)]}
            )
            customer = env["res.partner"].create({"name": "Carla Caller", "email": "carla.caller@example.com"})
            cls.operator_id, cls.agent_ids, cls.team_id = operator.id, agents.ids, team.id
            cls.service_id, cls.customer_id = service.id, customer.id
        cls.addClassCleanup(cls._drop_committed)

    @classmethod
    def _drop_committed(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            env[CASE].search([("team_id", "=", cls.team_id)]).unlink()
            env["service.desk.service"].browse(cls.service_id).unlink()
            env["service.desk.team"].browse(cls.team_id).unlink()
            users = env["res.users"].browse([cls.operator_id, *cls.agent_ids])
            partners = users.partner_id | env["res.partner"].browse(cls.customer_id)
            users.unlink()
            partners.unlink()

    def _call(self, env):
        """The operator registers a call: the routing picks the group (from
        the service) and the group's turn picks the engineer."""
        return env[CASE].create(
            {"name": "Call", "channel": "phone", "partner_id": self.customer_id, "service_id": self.service_id}
        )

    def _serve(self, env, func):
        """Run ``func`` as Odoo serves a request (retrying on serialization
        failures) and commit; return how many attempts it took."""
        attempts = []
        with patch.object(service_model.time, "sleep"), mute_logger("odoo.sql_db", "odoo.service.model"):
            service_model.retrying(lambda: attempts.append(1) or func(), env)
        env.cr.commit()
        return len(attempts)

    def test_parallel_calls_take_turns_without_a_retry(self):
        with self.registry.cursor() as cr_first, self.registry.cursor() as cr_second:
            env_first = api.Environment(cr_first, self.operator_id, {})
            env_second = api.Environment(cr_second, self.operator_id, {})
            team_write_date = env_second["service.desk.team"].browse(self.team_id).write_date
            # both snapshots are taken before either creation commits
            first = self._call(env_first)
            first_user = first.user_id.id
            cr_first.commit()
            found = {}
            attempts = self._serve(env_second, lambda: found.update(case=self._call(env_second)))
            second_user = found["case"].user_id.id
        self.assertEqual(attempts, 1, "the second call was retried after a serialization failure")
        self.assertEqual({first_user, second_user}, set(self.agent_ids), "the two calls went to both engineers")
        with self.registry.cursor() as cr:
            team = api.Environment(cr, self.agent_ids[0], {})["service.desk.team"].browse(self.team_id)
            self.assertEqual(team.write_date, team_write_date, "an assignment writes nothing on the group")
            self.assertEqual(team.last_assigned_user_id.id, second_user, "the group shows who got the last case")

    def test_turns_stay_fair_across_interleaved_sessions(self):
        """Six calls from two sessions whose transactions overlap: each
        engineer gets three, and no call is retried."""
        assignees, attempts = [], []
        with self.registry.cursor() as cr_first, self.registry.cursor() as cr_second:
            envs = [api.Environment(cr, self.operator_id, {}) for cr in (cr_first, cr_second)]
            for env in envs:
                env[CASE].search_count([])  # both transactions started
            for i in range(6):
                env = envs[i % 2]
                found = {}
                attempts.append(self._serve(env, lambda env=env, found=found: found.update(case=self._call(env))))
                assignees.append(found["case"].user_id.id)
                # this session's next transaction starts before the other one commits
                env[CASE].search_count([])
        self.assertEqual(attempts, [1] * 6)
        self.assertEqual(sorted(assignees), sorted(self.agent_ids * 3))
        self.assertTrue(all(a != b for a, b in pairwise(assignees)), assignees)


@tagged("post_install", "-at_install")
class TestCaseRoundRobinSequence(TransactionCase):
    """A group's turns live as long as the group, and the group of a
    database made before them gets them with the module's update."""

    def _exists(self, team_id):
        self.env.cr.execute("SELECT to_regclass(%s)", [f"service_desk_team_rr_{team_id}"])
        return bool(self.env.cr.fetchone()[0])

    def test_made_and_dropped_with_the_group(self):
        manager = new_test_user(
            self.env, "sd_rr_manager", groups="service_desk_cases.group_service_desk_manager", name="Mia Turns"
        )
        Team = self.env["service.desk.team"].with_user(manager)
        team = Team.create({"name": "Short-lived Desk", "assignment_method": "round_robin"})
        self.assertTrue(self._exists(team.id))
        copy = team.copy()
        self.assertTrue(self._exists(copy.id))
        team_id = team.id
        team.unlink()
        self.assertFalse(self._exists(team_id))
        self.assertTrue(self._exists(copy.id))

    def test_update_makes_the_missing_ones(self):
        team = self.env["service.desk.team"].create({"name": "Old Desk"})
        self.env.cr.execute(SQL("DROP SEQUENCE %s", SQL.identifier(f"service_desk_team_rr_{team.id}")))
        self.env["service.desk.team"].init()
        self.assertTrue(self._exists(team.id))
