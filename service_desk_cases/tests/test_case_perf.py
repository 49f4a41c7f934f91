# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import IrQWeb

from .common import ServiceDeskCommon, steady_gc


@tagged("post_install", "-at_install")
class TestCasePerf(ServiceDeskCommon):
    """What a new case costs besides its row: the group's email rendered
    from a body compiled once, the followers added in one statement."""

    def _team_mails(self, cases):
        return self.env["mail.mail"].search([("model", "=", cases._name), ("res_id", "in", cases.ids)])

    def test_group_email_compiled_once(self):
        Case = self.env["service.desk.case"].with_user(self.user_operator)
        self.env.registry.clear_cache("templates")
        with patch.object(IrQWeb, "_compile", autospec=True, side_effect=IrQWeb._compile) as compile_:
            batch = Case.create([{"name": f"Batch {i}", "team_id": self.team_first.id} for i in range(4)])
            single = Case.create({"name": "Alone", "team_id": self.team_first.id})
            single |= Case.create({"name": "Alone again", "team_id": self.team_first.id})
        # one body, one language: compiled for the first case, not once per case
        self.assertEqual(compile_.call_count, 1)
        for case in batch | single:
            mail = self._team_mails(case)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.recipient_ids, self.team_first.member_ids.partner_id)
            self.assertIn(f"<strong>{case.number}</strong>: {case.name}", mail.body_html)
            self.assertIn(f"[{case.number}] New case: {case.name}", mail.subject)

    def test_followers_of_new_cases_in_one_statement(self):
        Subtype = self.env["mail.message.subtype"]
        all_subtypes, _internal, external = Subtype.default_subtypes("service.desk.case")
        Case = self.env["service.desk.case"].with_user(self.user_operator)
        cases = Case.create(
            [
                {
                    "name": "Assigned",
                    "partner_id": self.customer.id,
                    "team_id": self.team_first.id,
                    "user_id": self.user_agent.id,
                },
                {"name": "Unassigned", "partner_id": self.customer.id},
            ]
        )
        # requester: customer subtypes; assignee: all default subtypes
        followers = cases.message_follower_ids
        requester = followers.filtered(lambda f: f.partner_id == self.customer)
        self.assertEqual(len(requester), 2)
        self.assertEqual(requester.mapped("subtype_ids"), external)
        assignee = followers.filtered(lambda f: f.partner_id == self.user_agent.partner_id)
        self.assertEqual(assignee.res_id, cases[0].id)
        self.assertEqual(assignee.subtype_ids, all_subtypes)
        # an existing follower keeps its subtypes; nothing is added twice
        requester[0].sudo().subtype_ids = Subtype.search([("internal", "=", False)], limit=1)
        kept = requester[0].subtype_ids
        cases._subscribe_in_batch()
        self.assertEqual(len(cases.message_follower_ids), 3)
        self.assertEqual(requester[0].subtype_ids, kept)

    def test_followers_queries_do_not_grow_with_cases(self):
        Case = self.env["service.desk.case"]

        def subscribe(count):
            cases = Case.create([{"name": f"Case {i}", "partner_id": self.customer.id} for i in range(count)])
            self.env.cr.execute(
                "DELETE FROM mail_followers WHERE res_model = %s AND res_id = ANY(%s)", [Case._name, cases.ids]
            )
            self.env.invalidate_all()
            with steady_gc():
                before = self.cr.sql_log_count
                cases._subscribe_in_batch()
                self.env.flush_all()
                queries = self.cr.sql_log_count - before
            self.assertEqual(cases.message_partner_ids, self.customer)
            return queries

        self.assertEqual(subscribe(2), subscribe(8))
