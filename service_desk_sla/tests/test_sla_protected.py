# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .sla_common import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaProtectedFields(SlaCommon):
    """Issue 10, item 9: the SLA fields of a case are set by the SLA engine
    only; an agent of the case's group cannot write them over RPC."""

    @freeze_time("2026-03-10 07:00:00")
    def test_agent_cannot_write_sla_fields(self):
        case = self._sla_case()
        deadline, status, policy = case.sla_deadline, case.sla_status, case.sla_policy_id
        self.assertTrue(deadline)
        as_agent = case.with_user(self.user_agent)
        for vals in (
            {"sla_deadline": "2030-01-01 00:00:00"},
            {"sla_status": "on_track"},
            {"sla_policy_id": False},
            {"sla_ids": [Command.clear()]},
        ):
            with self.subTest(field=next(iter(vals))), self.assertRaises(AccessError) as cm:
                as_agent.write(dict(vals, name="Renamed"))
            self.assertIn(case._fields[next(iter(vals))]._description_string(self.env), str(cm.exception))
        case.invalidate_recordset()
        self.assertNotEqual(case.name, "Renamed")
        self.assertEqual(
            (case.sla_deadline, case.sla_status, case.sla_policy_id, len(case.sla_ids)),
            (deadline, status, policy, 3),
        )
        # the engine itself still keeps them current when the agent works
        as_agent.action_take()
        self.assertEqual(self._row(case, "take").state, "met")

    @freeze_time("2026-03-10 07:00:00")
    def test_members_of_an_archived_group_keep_its_sla_rows(self):
        # as the case rule: archiving a group does not hide its cases from its members
        case = self._sla_case()
        self.team_first.action_archive()
        rows = self.Sla.with_user(self.user_operator).search([("case_id", "=", case.id)])
        self.assertEqual(len(rows), 3)
