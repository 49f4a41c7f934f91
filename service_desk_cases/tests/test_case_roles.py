# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ServiceDeskCommon, steady_gc

YES, NO = True, False


class Denied(Exception):
    """What the role looked for is not there (a search came back empty)."""


@tagged("post_install", "-at_install")
class TestCaseRoles(ServiceDeskCommon):
    """What each role can and cannot do on a case of the Front Desk (issue 10, "Tests").

    Every cell runs as the role on a fresh case; "cannot" means an
    AccessError or a UserError, and nothing written.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ctx = {"no_reset_password": True}
        cls.user_group_leader = new_test_user(
            cls.env,
            "sd_group_leader",
            groups="service_desk_cases.group_service_desk_user",
            name="Gleb Group Leader",
            context=ctx,
        )
        cls.team_first.leader_id = cls.user_group_leader
        cls.company2 = cls.env["res.company"].create({"name": "Other Cinema Chain"})
        cls.user_other_company = new_test_user(
            cls.env,
            "sd_other_company",
            groups="service_desk_cases.group_service_desk_supervisor",
            name="Oscar Other",
            company_id=cls.company2.id,
            company_ids=[(6, 0, cls.company2.ids)],
            context=ctx,
        )
        cls.private = cls.env["res.partner"].create({"name": "Zoe Private", "email": "zoe@example.com"})
        cls.env["res.partner"]._sd_set_private_contacts_restriction(True)
        cls.roles = {
            "operator": cls.user_operator,
            "group leader": cls.user_group_leader,
            "supervisor": cls.user_leader,
            "administrator": cls.user_manager,
            "requester": cls.user_requester,
            "portal": cls.user_portal,
            "agent of another group": cls.user_agent2,
            "user of another company": cls.user_other_company,
        }

    def _case(self):
        return self._create_case(name="Matrix case", subservice_id=self.sub_card.id, team_id=self.team_first.id)

    def _can(self, user, action):
        case = self._case()
        try:
            with self.env.cr.savepoint():
                action(case.with_user(user))
                self.env.flush_all()
        except (AccessError, UserError, Denied):
            return False
        return True

    def _rating_visible(self, case):
        rating = case.sudo()._rating_get_access_token() and case.sudo().rating_ids[:1]
        found = self.env["rating.rating"].with_user(case.env.user).search([("id", "=", rating.id)])
        if not found:
            raise Denied(case)

    def _private_contact_listed(self, case):
        if not case.env["res.partner"].name_search("Zoe Private"):
            raise Denied(case)

    def _check(self, name, action, expected):
        for role, user in self.roles.items():
            with self.subTest(action=name, role=role):
                self.assertEqual(self._can(user, action), expected[role], f"{role} / {name}")

    def test_read(self):
        self._check(
            "read",
            lambda case: case.read(["name", "partner_id"]),
            {
                "operator": YES,
                "group leader": YES,
                "supervisor": YES,
                "administrator": YES,
                "requester": NO,
                "portal": YES,  # the requester's company
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_write_subject(self):
        self._check(
            "write subject",
            lambda case: case.write({"name": "Renamed"}),
            {
                "operator": YES,
                "group leader": YES,
                "supervisor": YES,
                "administrator": YES,
                "requester": NO,
                "portal": NO,
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_take(self):
        self._check(
            "take",
            lambda case: case.action_take(),
            {
                "operator": YES,
                "group leader": YES,
                "supervisor": NO,  # sees every case, but is not staff of the group
                "administrator": NO,
                "requester": NO,
                "portal": NO,
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_escalate(self):
        self._check(
            "escalate",
            lambda case: case._escalate_to_next_line("Needs the second line"),
            {
                "operator": YES,
                "group leader": YES,
                "supervisor": YES,
                "administrator": YES,
                "requester": NO,
                "portal": NO,
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_read_ratings(self):
        self._check(
            "read its ratings",
            self._rating_visible,
            {
                "operator": YES,
                "group leader": YES,
                "supervisor": YES,
                "administrator": YES,
                "requester": NO,
                "portal": NO,  # rated by Carl, not by Paula
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_list_contacts_without_company(self):
        self._check(
            "list contacts without company",
            self._private_contact_listed,
            {
                "operator": NO,
                "group leader": NO,
                "supervisor": NO,
                "administrator": YES,
                "requester": NO,
                "portal": NO,
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_reply(self):
        self._check(
            "reply",
            lambda case: case.message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
            ),
            {
                "operator": YES,
                "group leader": YES,
                "supervisor": YES,
                "administrator": YES,
                "requester": NO,
                "portal": YES,  # the customer answers on their company's case
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_configure_the_group(self):
        self._check(
            "configure the group",
            lambda case: self.team_first.with_user(case.env.user).write({"assignment_method": "balanced"}),
            {
                "operator": NO,
                "group leader": NO,
                "supervisor": YES,
                "administrator": YES,
                "requester": NO,
                "portal": NO,
                "agent of another group": NO,
                "user of another company": NO,
            },
        )

    def test_register_a_call_for_the_group(self):
        def register(case):
            call = case.env["service.desk.phone.call"].create(
                {"phone": "+7 (495) 123-45-67", "name": "Call", "team_id": self.team_first.id}
            )
            call.action_register()

        self._check(
            "register a call",
            register,
            {
                "operator": YES,
                "group leader": YES,
                "supervisor": YES,
                "administrator": YES,
                "requester": NO,
                "portal": NO,
                "agent of another group": YES,  # any agent takes calls
                "user of another company": NO,
            },
        )

    def test_open_case_count_counts_visible_cases_only(self):
        """Item 23: the contact's open-case count is the reader's."""
        self._case()
        Partner = self.env["res.partner"]
        for user, count in ((self.user_operator, 1), (self.user_agent2, 0), (self.user_leader, 1)):
            partner = Partner.with_user(user).browse(self.customer.id)
            self.assertEqual(partner.service_desk_open_case_count, count, user.login)
            found = Partner.with_user(user).search([("service_desk_open_case_count", ">", 0)])
            self.assertEqual(self.customer in found, bool(count), user.login)

    def test_open_case_count_is_one_query_per_batch(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Batch {i}", "parent_id": self.customer_company.id} for i in range(12)]
        )
        for partner in partners:
            self._create_case(partner_id=partner.id)

        def queries(records):
            records = records.with_user(self.user_operator)
            records.invalidate_recordset(["service_desk_open_case_count"])
            self.env.flush_all()
            with steady_gc():
                before = self.env.cr.sql_log_count
                records.mapped("service_desk_open_case_count")
                return self.env.cr.sql_log_count - before

        queries(partners[:1])  # warm the caches (rules, access)
        few = queries(partners[:2])
        self.assertTrue(few, "the count is read from the cases")
        self.assertEqual(queries(partners), few, "no query per contact")
