# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

TARGETS = [("take", "Take"), ("response", "First Response"), ("resolve", "Resolution")]
SLA_STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
]


class ServiceDeskSlaReport(models.Model):
    """One row per SLA target of a case: compliance is the share of the
    decided targets (met or breached) that were met."""

    _name = "service.desk.sla.report"
    _description = "Service Desk SLA Compliance"
    _auto = False
    _rec_name = "case_id"
    _order = "create_date desc"
    _depends = {
        "service.desk.case.sla": [
            "case_id",
            "policy_id",
            "target",
            "deadline",
            "state",
            "reached_date",
            "elapsed_hours",
            "escalation_level",
        ],
        "service.desk.case": [
            "create_date",
            "service_id",
            "subservice_id",
            "team_id",
            "user_id",
            "priority",
            "company_id",
            "active",
        ],
        "service.desk.team": ["department_id"],
    }

    case_id = fields.Many2one("service.desk.case", string="Case", readonly=True)
    policy_id = fields.Many2one("service.desk.sla.policy", string="SLA Policy", readonly=True)
    target = fields.Selection(TARGETS, readonly=True)
    state = fields.Selection(SLA_STATES, string="SLA Status", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_date = fields.Datetime(string="Reached On", readonly=True)
    create_date = fields.Datetime(string="Case Created On", readonly=True)
    service_id = fields.Many2one("service.desk.service", string="Service", readonly=True)
    subservice_id = fields.Many2one("service.desk.service", string="Subservice", readonly=True)
    team_id = fields.Many2one("service.desk.team", string="Group", readonly=True)
    department_id = fields.Many2one("hr.department", string="Department", readonly=True)
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True)
    priority = fields.Selection([("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")], readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    compliance = fields.Float(
        string="Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the decided targets (met or breached) that were met in time.",
    )
    met_count = fields.Integer(string="Met", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    elapsed_hours = fields.Float(string="Working Hours", readonly=True, aggregator="avg")
    escalation_level = fields.Integer(readonly=True, aggregator="max")

    def _select(self):
        return SQL(
            """
            SELECT sla.id AS id,
                   sla.case_id AS case_id,
                   sla.policy_id AS policy_id,
                   sla.target AS target,
                   sla.state AS state,
                   sla.deadline AS deadline,
                   sla.reached_date AS reached_date,
                   c.create_date AS create_date,
                   c.service_id AS service_id,
                   c.subservice_id AS subservice_id,
                   c.team_id AS team_id,
                   team.department_id AS department_id,
                   c.user_id AS user_id,
                   c.priority AS priority,
                   c.company_id AS company_id,
                   CASE sla.state WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END
                       AS compliance,
                   CASE WHEN sla.state = 'met' THEN 1 ELSE 0 END AS met_count,
                   CASE WHEN sla.state = 'breached' THEN 1 ELSE 0 END AS breached_count,
                   sla.elapsed_hours AS elapsed_hours,
                   COALESCE(sla.escalation_level, 0) AS escalation_level
            """
        )

    def _from(self):
        return SQL(
            """
            FROM service_desk_case_sla sla
            JOIN service_desk_case c ON c.id = sla.case_id
       LEFT JOIN service_desk_team team ON team.id = c.team_id
            """
        )

    def _where(self):
        return SQL("WHERE c.active")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s %s %s)",
                SQL.identifier(self._table),
                self._select(),
                self._from(),
                self._where(),
            )
        )
