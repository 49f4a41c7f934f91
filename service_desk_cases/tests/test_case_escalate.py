# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import ServiceDeskCommon, steady_gc


@tagged("post_install", "-at_install")
class TestCaseEscalate(ServiceDeskCommon):
    """Escalation by hand (issue 10, items 1, 2 and 23), as the staff who do it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case(name="Card declined", subservice_id=cls.sub_card.id, team_id=cls.team_first.id)
        cls.user_lead_agent = new_test_user(
            cls.env,
            "sd_lead_agent",
            groups="service_desk_cases.group_service_desk_user",
            name="Lev Lead",
            context={"no_reset_password": True},
        )

    def _wizard(self, user, cases, **values):
        form = Form(self.env["service.desk.case.escalate"].with_user(user).with_context(default_case_ids=cases.ids))
        form.reason = values.pop("reason", "Needs the payment gateway logs")
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_batch_hand_off_costs_the_same_for_more_cases(self):
        """The SLA ladder hands many cases on at once: one write per new
        group and one batch of notes, whatever the number of cases."""
        counts = []
        for size in (3, 12):
            cases = self.env["service.desk.case"].browse(
                [
                    self._create_case(name=f"Batch {i}", subservice_id=self.sub_card.id, team_id=self.team_first.id).id
                    for i in range(size)
                ]
            )
            self.env.invalidate_all()
            self.env.flush_all()
            with steady_gc():
                start = self.cr.sql_log_count
                done = cases.with_user(self.user_leader)._escalate_to_next_line("Gateway logs needed")
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
            self.assertEqual(done, cases)
            self.assertEqual(cases.team_id, self.team_payments)
            notes = self.env["mail.message"].search(
                [("model", "=", cases._name), ("res_id", "in", cases.ids), ("body", "ilike", "Gateway logs needed")]
            )
            self.assertEqual(len(notes), size)
            self.assertEqual(notes.author_id, self.user_leader.partner_id)
        # one query per case would add 9 or more here
        self.assertLessEqual(counts[1], counts[0] + 2, f"queries for 3 and 12 cases: {counts}")

    def test_member_escalates_to_a_group_they_are_not_in(self):
        self.assertNotIn(self.user_agent, self.team_payments._get_staff())
        self.case.with_user(self.user_agent).action_escalate()
        action = self._wizard(self.user_agent, self.case).action_confirm()
        self.assertEqual(self.case.team_id, self.team_payments)
        self.assertFalse(self.case.user_id)
        note = self.case.message_ids.filtered(lambda m: "payment gateway logs" in (m.body or ""))
        self.assertEqual(note.author_id, self.user_agent.partner_id, "the note is the agent's")
        # a clear notice, then the case list since the case is out of sight
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(self.case.number, action["params"]["message"])
        self.assertIn("Payments L2", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["res_model"], "service.desk.case")
        self.assertEqual(action["params"]["next"]["type"], "ir.actions.act_window")
        with self.assertRaises(AccessError):
            self.case.with_user(self.user_agent).read(["name"])

    def test_leader_of_the_group_escalates(self):
        self.team_first.leader_id = self.user_lead_agent
        self._wizard(self.user_lead_agent, self.case).action_confirm()
        self.assertEqual(self.case.team_id, self.team_payments)

    def test_staff_still_seeing_the_case_stays_on_it(self):
        self.team_first.member_see_all = True
        action = self._wizard(self.user_operator, self.case).action_confirm()
        self.assertEqual(self.case.team_id, self.team_payments)
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")

    def test_non_staff_cannot_escalate(self):
        # an agent of another group does not even see the case
        with self.assertRaises(AccessError):
            self.case.with_user(self.user_agent2).action_escalate()
        wizard = (
            self.env["service.desk.case.escalate"]
            .with_user(self.user_agent2)
            .create({"case_ids": self.case.ids, "reason": "mine now"})
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        # seeing every case is not being staff of the case's group
        self.team_payments.member_see_all = True
        with self.assertRaises(AccessError):
            self.case.with_user(self.user_agent2).action_escalate()
        with self.assertRaises(AccessError):
            self.case.with_user(self.user_agent2)._escalate_to_next_line("mine now")
        self.assertEqual(self.case.team_id, self.team_first)
        for user in (self.user_requester, self.user_portal):
            with self.assertRaises(AccessError):
                self.env["service.desk.case.escalate"].with_user(user).create(
                    {"case_ids": self.case.ids, "reason": "x"}
                ).action_confirm()
        self.assertEqual(self.case.team_id, self.team_first)

    def test_wizard_offers_later_allowed_groups_only(self):
        wizard = self._wizard(self.user_agent, self.case)
        self.assertEqual(wizard.allowed_team_ids, self.team_payments | self.team_experts)
        events_case = self._create_case(subservice_id=self.sub_schedule.id, team_id=self.team_first.id)
        self.assertEqual(self._wizard(self.user_agent, events_case).allowed_team_ids, self.team_events)

    def test_wizard_refuses_a_group_not_offered(self):
        for team in (self.team_first, self.team_events):
            wizard = (
                self.env["service.desk.case.escalate"]
                .with_user(self.user_agent)
                .create({"case_ids": self.case.ids, "reason": "x", "team_id": team.id})
            )
            with self.assertRaises(UserError) as caught:
                wizard.action_confirm()
            self.assertIn(self.case.number, str(caught.exception))
            self.assertIn("Group of the Next Line", str(caught.exception))
        self.assertEqual(self.case.team_id, self.team_first)
        self.assertFalse(self.case.message_ids.filtered(lambda m: "Escalated" in (m.body or "")))

    def test_chosen_group_of_a_further_line(self):
        self._wizard(self.user_agent, self.case, team_id=self.team_experts).action_confirm()
        self.assertEqual(self.case.team_id, self.team_experts)

    def test_automatic_mode_skips_a_line_without_allowed_group(self):
        self.sub_card.team_ids = self.team_first | self.team_experts
        self._wizard(self.user_agent, self.case).action_confirm()
        self.assertEqual(self.case.team_id, self.team_experts)

    def test_no_later_group_is_explained(self):
        self.sub_card.team_ids = self.team_first
        with self.assertRaises(UserError) as caught:
            self._wizard(self.user_agent, self.case).action_confirm()
        self.assertIn(self.case.number, str(caught.exception))
        self.assertEqual(self.case.team_id, self.team_first)

    def test_finished_case_refused(self):
        self.case.stage_id = self.stage_resolved
        with self.assertRaises(UserError) as caught:
            self.case.with_user(self.user_agent).action_escalate()
        self.assertIn(self.case.number, str(caught.exception))
        wizard = (
            self.env["service.desk.case.escalate"]
            .with_user(self.user_agent)
            .create({"case_ids": self.case.ids, "reason": "x"})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(self.case.team_id, self.team_first)

    def test_blank_reason_refused(self):
        wizard = (
            self.env["service.desk.case.escalate"]
            .with_user(self.user_agent)
            .create({"case_ids": self.case.ids, "reason": "   "})
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        self.assertIn("Reason", str(caught.exception))

    def test_automatic_hand_off_needs_no_rights(self):
        """The SLA addon hands cases on with elevated rights and gets them back."""
        done = self.case.sudo()._escalate_to_next_line("SLA breached")
        self.assertEqual(done, self.case)
        self.assertEqual(self.case.team_id, self.team_payments)


@tagged("post_install", "-at_install", "sd_http")
class TestCaseEscalateTour(HttpCase, ServiceDeskCommon):
    def test_agent_escalates_in_the_web_client(self):
        case = self._create_case(name="Card declined", subservice_id=self.sub_card.id, team_id=self.team_first.id)
        self.start_tour(
            f"/odoo/action-service_desk_cases.service_desk_case_action/{case.id}",
            "service_desk_escalate_tour",
            login="sd_agent",
        )
        self.assertEqual(case.team_id, self.team_payments)
        self.assertTrue(case.message_ids.filtered(lambda m: "payment gateway logs" in (m.body or "")))
