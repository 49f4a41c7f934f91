# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.service_desk_cases.models.service_desk_case import PRIORITIES
from odoo.addons.service_desk_cases.models.service_desk_stage import OPEN_STATES, STATES

AGE_BUCKETS = [
    ("0_1d", "Under 1 day"),
    ("1_3d", "1-3 days"),
    ("3_7d", "3-7 days"),
    ("7d", "Over a week"),
]


class ServiceDeskBacklogReport(models.Model):
    """Open cases by age. The age depends on the clock, so the query is a
    ``_table_query`` that takes the current time from the ORM (one row per
    open case, row id = case id)."""

    _name = "service.desk.backlog.report"
    _description = "Service Desk Backlog"
    _auto = False
    _rec_name = "case_id"
    _order = "create_date"
    _depends = {
        "service.desk.case": [
            "create_date",
            "service_id",
            "subservice_id",
            "team_id",
            "user_id",
            "stage_id",
            "state",
            "priority",
            "company_id",
            "active",
        ],
        "service.desk.team": ["department_id"],
    }

    case_id = fields.Many2one("service.desk.case", string="Case", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    service_id = fields.Many2one("service.desk.service", string="Service", readonly=True)
    subservice_id = fields.Many2one("service.desk.service", string="Subservice", readonly=True)
    team_id = fields.Many2one("service.desk.team", string="Group", readonly=True)
    department_id = fields.Many2one("hr.department", string="Department", readonly=True)
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True)
    stage_id = fields.Many2one("service.desk.stage", string="Stage", readonly=True)
    state = fields.Selection(STATES, string="Status", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    age_days = fields.Float(string="Age (Days)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        now = fields.Datetime.now()
        return SQL(
            """
            SELECT c.id AS id,
                   c.id AS case_id,
                   c.create_date AS create_date,
                   c.service_id AS service_id,
                   c.subservice_id AS subservice_id,
                   c.team_id AS team_id,
                   team.department_id AS department_id,
                   c.user_id AS user_id,
                   c.stage_id AS stage_id,
                   c.state AS state,
                   c.priority AS priority,
                   c.company_id AS company_id,
                   CASE WHEN c.create_date > %(now)s - INTERVAL '1 day' THEN '0_1d'
                        WHEN c.create_date > %(now)s - INTERVAL '3 days' THEN '1_3d'
                        WHEN c.create_date > %(now)s - INTERVAL '7 days' THEN '3_7d'
                        ELSE '7d' END AS age_bucket,
                   EXTRACT(EPOCH FROM (%(now)s - c.create_date)) / 86400.0 AS age_days
              FROM service_desk_case c
         LEFT JOIN service_desk_team team ON team.id = c.team_id
             WHERE c.active AND c.state IN %(open)s
            """,
            now=now,
            open=OPEN_STATES,
        )
