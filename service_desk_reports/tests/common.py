# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.addons.service_desk_cases.tests.common import ServiceDeskCommon

NOW = datetime(2026, 3, 10, 12, 0)


class ServiceDeskReportCommon(ServiceDeskCommon):
    """Seven cases with SLA rows and ratings whose figures are computed by hand
    in the tests (see the table in each test)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Department = env["hr.department"]
        cls.dept_support = Department.create({"name": "Customer Support"})
        cls.dept_finance = Department.create({"name": "Finance Desk"})
        cls.team_first.department_id = cls.dept_support
        cls.team_payments.department_id = cls.dept_finance

        def case(team, user, service, sub, stage, created, resolved=None):
            record = cls._create_case(
                team_id=team.id,
                user_id=user.id,
                service_id=service.id,
                subservice_id=sub.id,
                stage_id=stage.id,
            )
            record.flush_recordset()
            env.cr.execute(
                "UPDATE service_desk_case SET create_date = %s, date_resolved = %s WHERE id = %s",
                (created, resolved, record.id),
            )
            return record

        pay, evt = cls.service_payments, cls.service_events
        # case  group      assignee   subservice    state        created          resolved
        cls.c1 = case(
            cls.team_first,
            cls.user_operator,
            pay,
            cls.sub_card,
            cls.stage_resolved,
            datetime(2026, 2, 2, 9),
            datetime(2026, 2, 3, 9),
        )
        cls.c2 = case(
            cls.team_first,
            cls.user_operator,
            pay,
            cls.sub_card,
            cls.stage_closed,
            datetime(2026, 2, 4, 9),
            datetime(2026, 2, 10, 9),
        )
        cls.c3 = case(
            cls.team_first,
            cls.user_agent,
            evt,
            cls.sub_schedule,
            cls.stage_resolved,
            datetime(2026, 2, 11, 9),
            datetime(2026, 2, 11, 15),
        )
        cls.c4 = case(
            cls.team_payments, cls.user_agent2, pay, cls.sub_card, cls.stage_progress, datetime(2026, 3, 10, 2)
        )
        cls.c5 = case(cls.team_payments, cls.user_engineer, pay, cls.sub_card, cls.stage_new, datetime(2026, 3, 8, 12))
        cls.c6 = case(
            cls.team_events, cls.user_engineer, evt, cls.sub_schedule, cls.stage_new, datetime(2026, 2, 20, 12)
        )
        cls.c7 = case(cls.team_first, cls.user_agent, pay, cls.sub_card, cls.stage_waiting, datetime(2026, 3, 5, 12))
        cls.cases = cls.c1 | cls.c2 | cls.c3 | cls.c4 | cls.c5 | cls.c6 | cls.c7
        env.invalidate_all()

        # SLA rows set by hand (the sla addon's own clock is tested there).
        policy = env["service.desk.sla.policy"].create(
            {
                "name": "Report test policy",
                "team_ids": [(6, 0, cls.team_experts.ids)],
                "take_hours": 2,
                "response_hours": 4,
                "resolve_hours": 16,
            }
        )
        Sla = env["service.desk.case.sla"]
        Sla.search([("case_id", "in", cls.cases.ids)]).unlink()
        rows = [
            # case   target      state       elapsed  escalation
            (cls.c1, "take", "met", 1.0, 0),
            (cls.c1, "response", "met", 2.0, 0),
            (cls.c1, "resolve", "met", 8.0, 0),
            (cls.c2, "take", "breached", 3.0, 1),
            (cls.c2, "response", "met", 2.5, 0),
            (cls.c2, "resolve", "breached", 20.0, 2),
            (cls.c3, "take", "met", 0.5, 0),
            (cls.c3, "resolve", "met", 4.0, 0),
            (cls.c4, "take", "met", 1.5, 0),
            (cls.c4, "resolve", "running", 0.0, 0),
            (cls.c5, "take", "breached", 6.0, 1),
            (cls.c5, "resolve", "running", 0.0, 0),
        ]
        cls.slas = Sla.create(
            [
                {
                    "case_id": c.id,
                    "policy_id": policy.id,
                    "target": target,
                    "state": state,
                    "elapsed_hours": elapsed if state != "running" else False,
                    "escalation_level": level,
                }
                for c, target, state, elapsed, level in rows
            ]
        )
        # the sla addon may react to the writes: force the hand-made values
        cls.slas.flush_recordset()
        # (a decided target was reached: its elapsed time counts from then on)
        for sla, (_c, _t, state, elapsed, level) in zip(cls.slas, rows, strict=True):
            reached = state != "running"
            env.cr.execute(
                "UPDATE service_desk_case_sla SET state = %s, elapsed_hours = %s, escalation_level = %s,"
                " reached_date = %s WHERE id = %s",
                (state, elapsed if reached else None, level, NOW if reached else None, sla.id),
            )
        env.invalidate_all()

        # Ratings, given the way requesters give them: c1 5 (happy), c2 2
        # (unhappy), c3 3 (okay), c4 5 (happy).
        for c, value in ((cls.c1, 5), (cls.c2, 2), (cls.c3, 3), (cls.c4, 5)):
            c.rating_apply(value, token=c._rating_get_access_token(cls.customer))
        env.flush_all()

    def _groups(self, model, domain, groupby, aggregates, user=None):
        Report = self.env[model]
        if user:
            Report = Report.with_user(user)
        domain = [("case_id", "in", self.cases.ids), *domain]
        return Report._read_group(domain, groupby, aggregates)
