# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.service_desk_cases.models.service_desk_data import OPEN_STATES, PRIORITIES, STATES

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
    _inherit = ["service.desk.report.mixin"]
    _description = "Service Desk Backlog"
    _auto = False
    _rec_name = "case_id"
    _order = "create_date"
    _depends = {
        "service.desk.case": [
            "create_date",
            "stage_id",
            "state",
            "priority",
        ],
    }

    create_date = fields.Datetime(string="Created On", readonly=True)
    stage_id = fields.Many2one("service.desk.stage", string="Stage", readonly=True)
    state = fields.Selection(STATES, string="Status", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    age_days = fields.Float(string="Age (Days)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        # the age buckets depend on the clock: no stored view
        return self._query()

    def _select(self):
        return SQL(
            """
            SELECT c.id AS id,
                   %(dimensions)s,
                   c.create_date AS create_date,
                   c.stage_id AS stage_id,
                   c.state AS state,
                   c.priority AS priority,
                   CASE WHEN c.create_date > %(now)s - INTERVAL '1 day' THEN '0_1d'
                        WHEN c.create_date > %(now)s - INTERVAL '3 days' THEN '1_3d'
                        WHEN c.create_date > %(now)s - INTERVAL '7 days' THEN '3_7d'
                        ELSE '7d' END AS age_bucket,
                   EXTRACT(EPOCH FROM (%(now)s - c.create_date)) / 86400.0 AS age_days
            """,
            dimensions=self._case_dimensions(),
            now=fields.Datetime.now(),
        )

    def _from(self):
        return SQL("FROM service_desk_case c %s", self._team_join())

    def _where(self):
        return SQL("WHERE c.active AND c.state IN %s", OPEN_STATES)
