# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.service_desk_cases.tests.common import ServiceDeskCommon


def moscow_calendar_values(name="Moscow 9-18"):
    """Mon-Fri 9:00-13:00 and 14:00-18:00 Moscow time (UTC+3), lunch 13-14."""
    attendances = []
    for day in "01234":
        attendances += [
            Command.create(
                {"name": "Morning", "dayofweek": day, "hour_from": 9, "hour_to": 13, "day_period": "morning"}
            ),
            Command.create({"name": "Lunch", "dayofweek": day, "hour_from": 13, "hour_to": 14, "day_period": "lunch"}),
            Command.create(
                {"name": "Afternoon", "dayofweek": day, "hour_from": 14, "hour_to": 18, "day_period": "afternoon"}
            ),
        ]
    return {"name": name, "tz": "Europe/Moscow", "attendance_ids": [Command.clear(), *attendances]}


def msk(*args):
    """A Moscow wall-clock time as naive UTC (Moscow is UTC+3, no DST)."""
    return datetime(*args) - timedelta(hours=3)


class SlaCommon(ServiceDeskCommon):
    """Moscow calendar with a public holiday on Monday 2026-03-09, an org chart
    (division under the technical department) and a policy with three levels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.calendar = env["resource.calendar"].create(moscow_calendar_values())
        # Monday 9 March 2026 is a public holiday (8 March fell on a Sunday)
        env["resource.calendar.leaves"].create(
            {
                "name": "Women's Day (moved)",
                "calendar_id": cls.calendar.id,
                "date_from": msk(2026, 3, 9, 0, 0),
                "date_to": msk(2026, 3, 9, 23, 59),
                "time_type": "leave",
            }
        )
        ctx = {"no_reset_password": True}
        cls.user_division_head = new_test_user(
            env,
            "sd_division_head",
            groups="service_desk_cases.group_service_desk_manager",
            name="Dmitry Division",
            email="division@example.com",
            context=ctx,
        )
        cls.user_director = new_test_user(
            env,
            "sd_director",
            groups="service_desk_cases.group_service_desk_manager",
            name="Tatiana Director",
            email="director@example.com",
            context=ctx,
        )
        Employee = env["hr.employee"]
        cls.emp_division = Employee.create({"name": "Dmitry Division", "user_id": cls.user_division_head.id})
        cls.emp_director = Employee.create({"name": "Tatiana Director", "user_id": cls.user_director.id})
        cls.dept_technical = env["hr.department"].create(
            {"name": "Technical Department", "manager_id": cls.emp_director.id}
        )
        cls.dept_division = env["hr.department"].create(
            {"name": "Support Division", "parent_id": cls.dept_technical.id, "manager_id": cls.emp_division.id}
        )
        cls.team_first.department_id = cls.dept_division
        # no other policy may interfere
        env["service.desk.sla.policy"].search([]).active = False
        cls.policy = env["service.desk.sla.policy"].create(
            {
                "name": "Standard",
                "sequence": 50,
                "calendar_id": cls.calendar.id,
                "take_hours": 2,
                "response_hours": 4,
                "resolve_hours": 8,
                "warning_percent": 0,
                "pause_stage_ids": [Command.set(cls.stage_waiting.ids)],
                "escalation_level_ids": [
                    Command.create({"sequence": 1, "delay_hours": 0, "notify_team_leader": True}),
                    Command.create({"sequence": 2, "delay_hours": 24, "notify_department_manager": True}),
                    Command.create({"sequence": 3, "delay_hours": 48, "notify_parent_department_manager": True}),
                ],
            }
        )
        cls.Sla = env["service.desk.case.sla"]

    @classmethod
    def _sla_case(cls, **vals):
        values = {"team_id": cls.team_first.id, "user_id": cls.user_agent.id}
        values.update(vals)
        return cls._create_case(**values)

    @staticmethod
    def _row(case, target):
        return case.sla_ids.filtered(lambda r: r.target == target)

    def _escalation_mails(self, cases):
        return self.env["mail.mail"].search(
            [("model", "=", "service.desk.case"), ("res_id", "in", cases.ids), ("subject", "like", "SLA")]
        )
