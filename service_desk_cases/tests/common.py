# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import gc
from contextlib import contextmanager

from odoo.sql_db import Cursor
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


@contextmanager
def logged_queries():
    """The SQL of the queries run inside (printed by the query-count tests
    when a count fails)."""
    queries = []
    execute = Cursor.execute

    def logging_execute(cr, query, params=None, log_exceptions=True):
        queries.append(" ".join(str(getattr(query, "code", query)).split()))
        return execute(cr, query, params, log_exceptions)

    Cursor.execute = logging_execute
    try:
        yield queries
    finally:
        Cursor.execute = execute


@contextmanager
def steady_gc():
    """Count queries with Python's garbage collector out of the way.

    An environment keeps some values it computed (``env.company`` reads the
    user's company, and the record cache is invalidated between measures)
    for as long as it lives, and an environment that nothing references any
    more lives until the cycle collector happens to run. So a count could be
    one query higher whenever the collector ran just before it: collected
    first, then paused, every measure starts from the same state.
    """
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# The groups of each role of the service desk.
ROLE_GROUPS = {
    "requester": "service_desk_cases.group_service_desk_requester",
    "agent": "service_desk_cases.group_service_desk_user",
    "leader": "service_desk_cases.group_service_desk_supervisor",
    "manager": "service_desk_cases.group_service_desk_manager",
    "portal": "base.group_portal",
    "employee": "base.group_user",
}


class ServiceDeskCommon(BaseCommon):
    """A small service desk: two services, three lines, four groups, users of
    every role. Reused by the sla and reports addons' tests."""

    @contextmanager
    def assertQueryCount(self, default=0, flush=True, **counters):
        """Odoo's query count, measured with the collector paused (see
        ``steady_gc``)."""
        with steady_gc(), super().assertQueryCount(default, flush=flush, **counters):
            yield

    @classmethod
    def _user(cls, login, role, groups=None, **values):
        """A user of a service desk ``role`` (a key of ROLE_GROUPS), at the
        lowest group of that role; ``groups`` (comma-separated xmlids) adds
        more. The email defaults to ``<login without "sd_">@example.com``."""
        all_groups = ",".join(filter(None, [ROLE_GROUPS[role], groups]))
        values.setdefault("email", f"{login.removeprefix('sd_')}@example.com")
        context = {"no_reset_password": True, **values.pop("context", {})}
        return new_test_user(cls.env, login, groups=all_groups, context=context, **values)

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

        cls.user_operator = cls._user("sd_operator", "agent", name="Olga Operator")
        cls.user_agent = cls._user("sd_agent", "agent", name="Anton Agent")
        cls.user_agent2 = cls._user("sd_agent2", "agent", name="Boris Agent")
        cls.user_engineer = cls._user("sd_engineer", "agent", name="Eva Engineer")
        cls.user_leader = cls._user("sd_leader", "leader", name="Lena Leader")
        cls.user_manager = cls._user("sd_manager", "manager", name="Max Manager")
        cls.user_requester = cls._user("sd_requester", "requester", name="Rita Requester")
        cls.customer_company = env["res.partner"].create({"name": "Acme Theatres", "is_company": True})
        cls.customer = env["res.partner"].create(
            {
                "name": "Carl Customer",
                "email": "carl@acme.example.com",
                "parent_id": cls.customer_company.id,
                "phone": "+7 (495) 123-45-67",
            }
        )
        cls.user_portal = cls._user("sd_portal", "portal", name="Paula Portal", email="paula@acme.example.com")
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
