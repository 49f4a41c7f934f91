# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class ServiceDeskCommon(BaseCommon):
    """A small service desk: two services, three lines, four groups, users of
    every role. Reused by the sla and reports addons' tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.line1 = env.ref("service_desk_cases.line_first")
        cls.line2 = env.ref("service_desk_cases.line_second")
        cls.line3 = env.ref("service_desk_cases.line_third")
        cls.stage_new = env.ref("service_desk_cases.stage_new")
        cls.stage_progress = env.ref("service_desk_cases.stage_in_progress")
        cls.stage_waiting = env.ref("service_desk_cases.stage_waiting")
        cls.stage_resolved = env.ref("service_desk_cases.stage_resolved")
        cls.stage_closed = env.ref("service_desk_cases.stage_closed")

        ctx = {"no_reset_password": True}
        cls.user_operator = new_test_user(
            env,
            "sd_operator",
            groups="service_desk_cases.group_service_desk_user",
            name="Olga Operator",
            email="operator@example.com",
            context=ctx,
        )
        cls.user_agent = new_test_user(
            env,
            "sd_agent",
            groups="service_desk_cases.group_service_desk_user",
            name="Anton Agent",
            email="agent@example.com",
            context=ctx,
        )
        cls.user_agent2 = new_test_user(
            env,
            "sd_agent2",
            groups="service_desk_cases.group_service_desk_user",
            name="Boris Agent",
            email="agent2@example.com",
            context=ctx,
        )
        cls.user_engineer = new_test_user(
            env,
            "sd_engineer",
            groups="service_desk_cases.group_service_desk_user",
            name="Eva Engineer",
            email="engineer@example.com",
            context=ctx,
        )
        cls.user_leader = new_test_user(
            env,
            "sd_leader",
            groups="service_desk_cases.group_service_desk_supervisor",
            name="Lena Leader",
            email="leader@example.com",
            context=ctx,
        )
        cls.user_manager = new_test_user(
            env,
            "sd_manager",
            groups="service_desk_cases.group_service_desk_manager",
            name="Max Manager",
            email="manager@example.com",
            context=ctx,
        )
        cls.user_requester = new_test_user(
            env,
            "sd_requester",
            groups="service_desk_cases.group_service_desk_requester",
            name="Rita Requester",
            email="requester@example.com",
            context=ctx,
        )
        cls.customer_company = env["res.partner"].create({"name": "Acme Theatres", "is_company": True})
        cls.customer = env["res.partner"].create(
            {
                "name": "Carl Customer",
                "email": "carl@acme.example.com",
                "parent_id": cls.customer_company.id,
                "phone": "+7 (495) 123-45-67",
            }
        )
        cls.user_portal = new_test_user(
            env,
            "sd_portal",
            groups="base.group_portal",
            name="Paula Portal",
            email="paula@acme.example.com",
            context=ctx,
        )
        cls.user_portal.partner_id.parent_id = cls.customer_company

        Team = env["service.desk.team"].with_context(mail_create_nosubscribe=True)
        cls.team_first = Team.create(
            {
                "name": "Front Desk",
                "line_id": cls.line1.id,
                "alias_name": "sd-front",
                "member_ids": [(6, 0, (cls.user_operator | cls.user_agent).ids)],
                "leader_id": cls.user_leader.id,
            }
        )
        cls.team_payments = Team.create(
            {
                "name": "Payments L2",
                "line_id": cls.line2.id,
                "alias_name": "sd-payments",
                "member_ids": [(6, 0, (cls.user_agent2 | cls.user_engineer).ids)],
                "leader_id": cls.user_leader.id,
                "assignment_method": "balanced",
            }
        )
        cls.team_events = Team.create(
            {
                "name": "Events L2",
                "line_id": cls.line2.id,
                "alias_name": "sd-events",
                "member_ids": [(6, 0, cls.user_engineer.ids)],
            }
        )
        cls.team_experts = Team.create(
            {
                "name": "Experts L3",
                "line_id": cls.line3.id,
                "alias_name": "sd-experts",
                "member_ids": [(6, 0, cls.user_engineer.ids)],
            }
        )
        Service = env["service.desk.service"]
        cls.service_payments = Service.create(
            {
                "name": "Payments",
                "code": "PAY",
                "team_ids": [(6, 0, (cls.team_first | cls.team_payments | cls.team_experts).ids)],
            }
        )
        cls.sub_card = Service.create(
            {
                "name": "Card payment failed",
                "code": "PAY-CARD",
                "parent_id": cls.service_payments.id,
                "team_ids": [(6, 0, (cls.team_first | cls.team_payments | cls.team_experts).ids)],
            }
        )
        cls.sub_invoice = Service.create(
            {"name": "Invoice request", "code": "PAY-INV", "parent_id": cls.service_payments.id}
        )
        cls.service_events = Service.create(
            {
                "name": "Events",
                "code": "EVT",
                "team_ids": [(6, 0, (cls.team_first | cls.team_events).ids)],
            }
        )
        cls.sub_schedule = Service.create(
            {"name": "Schedule question", "code": "EVT-SCH", "parent_id": cls.service_events.id}
        )

    @classmethod
    def _create_case(cls, **vals):
        values = {"name": "Help", "partner_id": cls.customer.id}
        values.update(vals)
        return cls.env["service.desk.case"].create(values)
