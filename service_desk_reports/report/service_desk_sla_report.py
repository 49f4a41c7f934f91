# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.service_desk_cases.models.service_desk_data import PRIORITIES
from odoo.addons.service_desk_sla.models.service_desk_sla_data import SLA_STATES, TARGETS


class ServiceDeskSlaReport(models.Model):
    """One row per SLA target of a case: compliance is the share of the
    decided targets (met or breached) that were met."""

    _name = "service.desk.sla.report"
    _inherit = ["service.desk.report.mixin"]
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
            "priority",
        ],
    }

    policy_id = fields.Many2one("service.desk.sla.policy", string="SLA Policy", readonly=True)
    target = fields.Selection(TARGETS, readonly=True)
    state = fields.Selection(SLA_STATES, string="SLA Status", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_date = fields.Datetime(string="Reached On", readonly=True)
    create_date = fields.Datetime(string="Case Created On", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    compliance = fields.Float(
        string="Compliance (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the decided targets (met or breached) that were met in time.",
    )
    met_count = fields.Integer(string="Met", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    elapsed_hours = fields.Float(
        string="Working Hours", readonly=True, aggregator="avg", help="Empty while the target is not reached."
    )
    escalation_level = fields.Integer(readonly=True, aggregator="max")

    def _select(self):
        return SQL(
            """
            SELECT sla.id AS id,
                   %s,
                   sla.policy_id AS policy_id,
                   sla.target AS target,
                   sla.state AS state,
                   sla.deadline AS deadline,
                   sla.reached_date AS reached_date,
                   c.create_date AS create_date,
                   c.priority AS priority,
                   CASE sla.state WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END
                       AS compliance,
                   CASE WHEN sla.state = 'met' THEN 1 ELSE 0 END AS met_count,
                   CASE WHEN sla.state = 'breached' THEN 1 ELSE 0 END AS breached_count,
                   CASE WHEN sla.reached_date IS NOT NULL THEN sla.elapsed_hours END AS elapsed_hours,
                   COALESCE(sla.escalation_level, 0) AS escalation_level
            """,
            self._case_dimensions(),
        )

    def _from(self):
        return SQL(
            """
            FROM service_desk_case_sla sla
            JOIN service_desk_case c ON c.id = sla.case_id
            %s
            """,
            self._team_join(),
        )
