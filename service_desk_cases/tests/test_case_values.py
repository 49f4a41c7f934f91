# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 10, items 9, 10, 17, 18, 5 and 6: what each role may write on a case."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.service_desk_cases.models.service_desk_data import DESCRIPTION_MAX_SIZE, SUBJECT_MAX_SIZE

from .common import ServiceDeskCommon, steady_gc


@tagged("post_install", "-at_install")
class TestCaseValues(ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._create_case(name="Card declined", subservice_id=cls.sub_card.id, team_id=cls.team_first.id)
        cls.other_company = cls.env["res.partner"].create({"name": "Other Cinema", "is_company": True})
        cls.other_customer = cls.env["res.partner"].create({"name": "Olaf", "parent_id": cls.other_company.id})
        cls.Case = cls.env["service.desk.case"]

    def _snapshot(self, case, names):
        case.invalidate_recordset()
        return {name: case[name] for name in names}

    # ------------------------------------------------------------------
    # Item 9: system fields
    # ------------------------------------------------------------------

    def test_system_fields_refused_for_agent(self):
        """Each system field written over RPC by an agent of the case's group
        is refused, naming the field, and nothing is written."""
        values = {
            "number": "SD999999",
            "date_taken": datetime(2026, 1, 1, 10, 0),
            "date_first_response": datetime(2026, 1, 1, 10, 0),
            "date_resolved": datetime(2026, 1, 1, 10, 0),
            "date_closed": datetime(2026, 1, 1, 10, 0),
            "state": "closed",
            "reopen_count": 5,
            "line_id": self.line3.id,
            "commercial_partner_id": self.other_company.id,
            "rating_last_value": 5.0,
        }
        # extensions add theirs (the SLA addon: its SLA fields, tested there)
        self.assertLessEqual(set(values), self.Case._get_protected_fields())
        case_agent = self.case.with_user(self.user_agent)
        for fname, value in values.items():
            with self.subTest(field=fname):
                before = self._snapshot(self.case, [fname, "name"])
                label = self.case._fields[fname]._description_string(self.env)
                with self.assertRaises(AccessError) as cm:
                    case_agent.write({fname: value, "name": "Changed too"})
                self.assertIn(label, str(cm.exception))
                self.assertEqual(self._snapshot(self.case, [fname, "name"]), before, "nothing is written")
        self.assertEqual(self.case.state, "new", "the state follows the stage only")

    def test_system_fields_refused_for_manager_and_on_create(self):
        with self.assertRaises(AccessError):
            self.case.with_user(self.user_manager).write({"date_taken": datetime(2026, 1, 1)})
        with self.assertRaises(AccessError) as cm:
            self.Case.with_user(self.user_agent).create(
                {"name": "Backdated", "partner_id": self.customer.id, "date_resolved": datetime(2026, 1, 1)}
            )
        self.assertIn("Resolved On", str(cm.exception))
        # nor through a default in the context
        with self.assertRaises(AccessError):
            self.Case.with_user(self.user_agent).with_context(default_reopen_count=3).create(
                {"name": "Reopened?", "partner_id": self.customer.id}
            )

    @freeze_time("2026-03-02 09:00:00")
    def test_owning_actions_still_set_system_fields(self):
        """Take, reply, resolve and reopen stamp their fields for the agent."""
        case_agent = self.case.with_user(self.user_agent)
        case_agent.action_take()
        self.assertEqual(str(self.case.date_taken), "2026-03-02 09:00:00")
        self.assertEqual(self.case.state, "in_progress")
        case_agent.message_post(body="On it", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertTrue(self.case.date_first_response)
        case_agent.stage_id = self.stage_resolved
        self.assertTrue(self.case.date_resolved)
        case_agent.stage_id = self.stage_progress
        self.assertEqual(self.case.reopen_count, 1)
        self.assertFalse(self.case.date_resolved)

    def test_superuser_may_write_system_fields(self):
        self.case.write({"date_taken": datetime(2026, 1, 1, 8, 0)})
        self.assertEqual(self.case.date_taken, datetime(2026, 1, 1, 8, 0))

    # ------------------------------------------------------------------
    # Item 10: what a requester may choose; numbers from the sequence
    # ------------------------------------------------------------------

    def test_requester_files_own_request_only(self):
        Case = self.Case.with_user(self.user_requester)
        base = {"name": "My laptop", "channel": "internal"}
        refused = {
            "stage": ({"stage_id": self.stage_closed.id}, "Stage"),
            "resolved": ({"stage_id": self.stage_resolved.id}, "Stage"),
            "assignee": ({"user_id": self.user_agent.id}, "Assignee"),
            "group": ({"team_id": self.team_first.id}, "Group"),
            "customer": ({"partner_id": self.customer.id}, "Requester"),
            "number": ({"number": "SD000999"}, "Number"),
        }
        count = self.Case.search_count([])
        for key, (extra, label) in refused.items():
            with self.subTest(refused=key), self.assertRaises(AccessError) as cm:
                Case.create(dict(base, **extra))
            self.assertIn(label, str(cm.exception))
        self.assertEqual(self.Case.search_count([]), count, "no case was created")
        case = Case.create(dict(base, service_id=self.service_payments.id))
        self.assertEqual(case.partner_id, self.user_requester.partner_id)
        self.assertEqual(case.state, "new")
        self.assertTrue(case.number.startswith("SD"))

    def test_portal_user_cannot_create_over_rpc(self):
        with self.assertRaises(AccessError):
            self.Case.with_user(self.user_portal).create(
                {"name": "Direct", "partner_id": self.user_portal.partner_id.id, "stage_id": self.stage_closed.id}
            )

    def test_number_comes_from_the_sequence(self):
        """An agent cannot pick the next number of the sequence and break
        every later case on the unique constraint."""
        Case = self.Case.with_user(self.user_agent)
        next_number = self.env["ir.sequence"].search([("code", "=", "service.desk.case")], limit=1)
        with self.assertRaises(AccessError) as cm:
            Case.create({"name": "Squatter", "partner_id": self.customer.id, "number": "SD999999"})
        self.assertIn("Number", str(cm.exception))
        first = Case.create({"name": "After", "partner_id": self.customer.id})
        second = Case.create({"name": "After too", "partner_id": self.customer.id})
        self.assertTrue(next_number)
        self.assertNotEqual(first.number, second.number)

    # ------------------------------------------------------------------
    # Item 17: subject and description
    # ------------------------------------------------------------------

    def test_blank_and_oversized_text_refused(self):
        Case = self.Case.with_user(self.user_requester)
        count = self.Case.search_count([])
        for name in ("", "   ", "\n\t "):
            with self.subTest(name=name), self.assertRaises(ValidationError) as cm:
                Case.create({"name": name, "channel": "internal"})
            self.assertIn("Subject", str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            Case.create({"name": "x" * (SUBJECT_MAX_SIZE + 1), "channel": "internal"})
        self.assertIn("Subject", str(cm.exception))
        self.assertIn(str(SUBJECT_MAX_SIZE), str(cm.exception))
        with self.assertRaises(ValidationError) as cm:
            Case.create({"name": "Big", "channel": "internal", "description": "x" * (DESCRIPTION_MAX_SIZE + 1)})
        self.assertIn("Description", str(cm.exception))
        self.assertEqual(self.Case.search_count([]), count)
        case = Case.create({"name": "y" * SUBJECT_MAX_SIZE, "channel": "internal"})
        self.assertEqual(len(case.name), SUBJECT_MAX_SIZE)
        with self.assertRaises(ValidationError):
            self.case.with_user(self.user_agent).write({"name": "  "})
        self.assertEqual(self.case.name, "Card declined")

    def test_gateway_subject_shortened_not_refused(self):
        """Mail (run as superuser) is never lost for a long subject: it is shortened."""
        case = self.Case.create({"name": "z" * 5000, "partner_id": self.customer.id, "channel": "email"})
        self.assertEqual(len(case.name), SUBJECT_MAX_SIZE)
        self.assertTrue(case.name.endswith("\u2026"))

    # ------------------------------------------------------------------
    # Item 18: wrong types
    # ------------------------------------------------------------------

    def test_wrong_types_name_the_field(self):
        Case = self.Case.with_user(self.user_agent)
        base = {"name": "Typed", "partner_id": self.customer.id}
        bad = {
            "name": (123, "Subject"),
            "stage_id": ("closed", "Stage"),
            "service_id": ("abc", "Service"),
            "subservice_id": ([1, 2], "Subservice"),
            "team_id": (999999999, "Group"),
            "user_id": (True, "Assignee"),
            "priority": (7, "Priority"),
            "channel": ("fax", "Channel"),
            "tag_ids": ("vip", "Tags"),
            "description": (["<p>x</p>"], "Description"),
            "partner_id": ({"id": 1}, "Requester"),
        }
        count = self.Case.search_count([])
        for fname, (value, label) in bad.items():
            with self.subTest(field=fname):
                with self.assertRaises(ValidationError) as cm:
                    Case.create(dict(base, **{fname: value}))
                self.assertIn(label, str(cm.exception))
                before = self._snapshot(self.case, [fname])
                with self.assertRaises(ValidationError):
                    self.case.with_user(self.user_agent).write({fname: value})
                self.assertEqual(self._snapshot(self.case, [fname]), before)
        self.assertEqual(self.Case.search_count([]), count, "nothing was created")

    def test_good_types_still_accepted(self):
        tag = self.env["service.desk.tag"].create({"name": "VIP"})
        case = self.Case.with_user(self.user_agent).create(
            {
                "name": "Typed right",
                "partner_id": self.customer.id,
                "subservice_id": self.sub_card.id,
                "team_id": self.team_first.id,
                "priority": "2",
                "tag_ids": [(6, 0, tag.ids)],
                "description": "<p>ok</p>",
            }
        )
        self.assertEqual(case.tag_ids, tag)
        case.with_user(self.user_agent).write({"tag_ids": [(4, tag.id)], "stage_id": self.stage_waiting.id})
        self.assertEqual(case.state, "waiting")

    # ------------------------------------------------------------------
    # Item 5: the requester's form
    # ------------------------------------------------------------------

    def test_requester_request_form(self):
        view = self.env.ref("service_desk_cases.service_desk_case_view_form_request")
        for fname in ("user_id", "team_id", "partner_id"):
            self.assertNotIn(f'name="{fname}"', view.arch, f"the request form does not offer {fname}")
        action = self.env.ref("service_desk_cases.service_desk_case_action_request_new")
        self.assertEqual(action.target, "new", "a dialog: saved by Submit, not on leaving")
        Case = self.Case.with_user(self.user_requester).with_context(default_channel="internal")
        with Form(Case, view=view) as form:
            form.name = "Screen flickers"
            form.service_id = self.service_payments
            form.description = "<p>Since Monday</p>"
        case = form.record
        self.assertEqual(case.partner_id, self.user_requester.partner_id)
        self.assertEqual(case.channel, "internal")
        self.assertEqual(case.state, "new")
        self.assertEqual(case.create_uid, self.user_requester)

    # ------------------------------------------------------------------
    # Item 6: Take only for those who can take
    # ------------------------------------------------------------------

    def test_take_offered_only_to_staff_of_the_group(self):
        unrouted = self._create_case(name="No group yet")
        unrouted.team_id = False
        self.assertFalse(unrouted.team_id)

        def can_take(case, user):
            return case.with_user(user).can_take

        self.assertTrue(can_take(self.case, self.user_agent), "a member of the group")
        self.assertTrue(can_take(self.case, self.user_leader), "the group's leader")
        self.assertFalse(can_take(self.case, self.user_agent2), "not a member of the group")
        self.assertFalse(can_take(self.case, self.user_requester), "not an agent")
        self.assertTrue(can_take(unrouted, self.user_agent2), "any agent when the case has no group")
        self.assertFalse(can_take(unrouted, self.user_requester))
        with self.assertRaises(UserError):
            self.case.with_user(self.user_agent2).action_take()
        self.case.with_user(self.user_agent).action_take()
        self.assertFalse(can_take(self.case, self.user_agent), "already the assignee")
        self.case.stage_id = self.stage_resolved
        self.assertFalse(can_take(self.case, self.user_leader), "a finished case")

    def test_value_checks_batched(self):
        """The checks and the routing read each related model once per batch,
        not once per case (distinct requesters, as an agent)."""
        partners = self.env["res.partner"].create(
            [{"name": f"P{i}", "parent_id": self.customer_company.id} for i in range(44)]
        )
        Case = self.Case.with_user(self.user_agent)

        def vals(subset):
            return [{"name": f"Case {p.name}", "partner_id": p.id, "team_id": self.team_first.id} for p in subset]

        Case.create(vals(partners[:4]))  # warm the caches
        counts = []
        for subset in (partners[4:8], partners[8:12], partners[12:44]):
            self.env.invalidate_all()
            self.env.flush_all()
            with steady_gc():
                start = self.cr.sql_log_count
                Case.create(vals(subset))
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], f"queries for 4 and 32 cases differ: {counts[1:]}")
