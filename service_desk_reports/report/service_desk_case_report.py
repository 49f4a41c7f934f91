# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.service_desk_cases.models.service_desk_data import (
    CHANNELS,
    HANDLED_STATES,
    OPEN_STATES,
    PRIORITIES,
    RATING_LIMIT_OK,
    RATING_LIMIT_SATISFIED,
    REQUESTER_TYPES,
    STATES,
)

# The number of distinct values of service_desk_case.create_date the planner
# assumes for the period groupings (see _init_period_statistics).
CREATE_DATE_DISTINCT = 2000


class ServiceDeskCaseReport(models.Model):
    """One row per case: the case's dimensions plus the durations and
    breaches stored on its SLA rows when the events happened."""

    _name = "service.desk.case.report"
    _inherit = ["service.desk.report.mixin"]
    _description = "Service Desk Case Analysis"
    _auto = False
    _rec_name = "case_id"
    _order = "create_date desc"
    _depends = {
        "service.desk.case": [
            "name",
            "number",
            "create_date",
            "date_taken",
            "date_first_response",
            "date_resolved",
            "date_closed",
            "line_id",
            "stage_id",
            "state",
            "priority",
            "channel",
            "requester_type",
            "partner_id",
            "commercial_partner_id",
            "reopen_count",
            "rating_last_value",
        ],
        "service.desk.case.sla": [
            "case_id",
            "target",
            "state",
            "elapsed_hours",
            "escalation_level",
        ],
    }

    name = fields.Char(string="Subject", readonly=True)
    number = fields.Char(readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_taken = fields.Datetime(string="Taken On", readonly=True)
    date_first_response = fields.Datetime(string="First Response On", readonly=True)
    date_resolved = fields.Datetime(string="Resolved On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    line_id = fields.Many2one("service.desk.line", string="Line", readonly=True)
    stage_id = fields.Many2one("service.desk.stage", string="Stage", readonly=True)
    state = fields.Selection(STATES, string="Status", readonly=True)
    is_open = fields.Boolean(string="Is Open", readonly=True)
    is_handled = fields.Boolean(string="Handled", readonly=True, help="Resolved or closed.")
    is_late = fields.Boolean(
        string="Not Handled in Time",
        readonly=True,
        help="At least one SLA target (take, response or resolution) was breached.",
    )
    priority = fields.Selection(PRIORITIES, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    requester_type = fields.Selection(REQUESTER_TYPES, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Requester", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    hours_to_take = fields.Float(
        string="Working Hours to Take", readonly=True, aggregator="avg", help="Empty while the case is not taken."
    )
    hours_to_response = fields.Float(
        string="Working Hours to First Response",
        readonly=True,
        aggregator="avg",
        help="Empty until the first response.",
    )
    hours_to_resolve = fields.Float(
        string="Working Hours to Resolve", readonly=True, aggregator="avg", help="Empty until the case is resolved."
    )
    breached_take = fields.Integer(string="Take Breached", readonly=True, aggregator="sum")
    breached_response = fields.Integer(string="Response Breached", readonly=True, aggregator="sum")
    breached_resolve = fields.Integer(string="Resolution Breached", readonly=True, aggregator="sum")
    late_count = fields.Integer(string="Cases Not Handled in Time", readonly=True, aggregator="sum")
    escalation_level = fields.Integer(string="Highest Escalation Level", readonly=True, aggregator="max")
    reopen_count = fields.Integer(readonly=True, aggregator="sum")
    rating = fields.Float(
        readonly=True,
        aggregator="avg",
        help="The requester's last rating (1 to 5); empty when not rated.",
    )
    rated_count = fields.Integer(string="Rated Cases", readonly=True, aggregator="sum")
    happy_rate = fields.Float(
        string="Happy (%)", readonly=True, aggregator="avg", help="Share of rated cases rated 4 or 5."
    )
    unhappy_rate = fields.Float(
        string="Unhappy (%)", readonly=True, aggregator="avg", help="Share of rated cases rated below 3."
    )

    def _sla_subquery(self):
        """The SLA rows folded into one row per case (a GROUP BY on case_id,
        so PostgreSQL drops the join when no SLA measure is read). A duration
        is empty (NULL) until its target is reached: a case never taken has
        no time to take, and the averages leave it out."""
        return SQL(
            """
            SELECT sla.case_id,
                   MAX(sla.elapsed_hours) FILTER (WHERE sla.target = 'take' AND sla.reached_date IS NOT NULL)
                       AS hours_to_take,
                   MAX(sla.elapsed_hours) FILTER (WHERE sla.target = 'response' AND sla.reached_date IS NOT NULL)
                       AS hours_to_response,
                   MAX(sla.elapsed_hours) FILTER (WHERE sla.target = 'resolve' AND sla.reached_date IS NOT NULL)
                       AS hours_to_resolve,
                   COUNT(*) FILTER (WHERE sla.target = 'take' AND sla.state = 'breached')
                       AS breached_take,
                   COUNT(*) FILTER (WHERE sla.target = 'response' AND sla.state = 'breached')
                       AS breached_response,
                   COUNT(*) FILTER (WHERE sla.target = 'resolve' AND sla.state = 'breached')
                       AS breached_resolve,
                   MAX(sla.escalation_level) AS escalation_level
              FROM service_desk_case_sla sla
          GROUP BY sla.case_id
            """
        )

    def _late_subquery(self):
        """The cases with a breached SLA row, one row per case (a join the
        planner can hash from the partial index on breached rows, and drop
        when neither ``is_late`` nor ``late_count`` is read; a correlated
        EXISTS was planned as a subplan whose cost estimate grew with the
        table and switched on PostgreSQL's JIT, 0.35 s per query)."""
        return SQL(
            """
            SELECT late.case_id
              FROM service_desk_case_sla late
             WHERE late.state = 'breached'
          GROUP BY late.case_id
            """
        )

    def _select(self):
        return SQL(
            """
            SELECT c.id AS id,
                   %(dimensions)s,
                   c.name AS name,
                   c.number AS number,
                   c.create_date AS create_date,
                   c.date_taken AS date_taken,
                   c.date_first_response AS date_first_response,
                   c.date_resolved AS date_resolved,
                   c.date_closed AS date_closed,
                   c.line_id AS line_id,
                   c.stage_id AS stage_id,
                   c.state AS state,
                   c.state IN %(open)s AS is_open,
                   c.state IN %(handled)s AS is_handled,
                   late.case_id IS NOT NULL AS is_late,
                   c.priority AS priority,
                   c.channel AS channel,
                   c.requester_type AS requester_type,
                   c.partner_id AS partner_id,
                   c.commercial_partner_id AS commercial_partner_id,
                   sla.hours_to_take AS hours_to_take,
                   sla.hours_to_response AS hours_to_response,
                   sla.hours_to_resolve AS hours_to_resolve,
                   COALESCE(sla.breached_take, 0) AS breached_take,
                   COALESCE(sla.breached_response, 0) AS breached_response,
                   COALESCE(sla.breached_resolve, 0) AS breached_resolve,
                   CASE WHEN late.case_id IS NOT NULL THEN 1 ELSE 0 END AS late_count,
                   COALESCE(sla.escalation_level, 0) AS escalation_level,
                   COALESCE(c.reopen_count, 0) AS reopen_count,
                   NULLIF(c.rating_last_value, 0) AS rating,
                   CASE WHEN c.rating_last_value > 0 THEN 1 ELSE 0 END AS rated_count,
                   CASE WHEN c.rating_last_value >= %(satisfied)s THEN 100.0
                        WHEN c.rating_last_value > 0 THEN 0.0 END AS happy_rate,
                   CASE WHEN c.rating_last_value > 0 AND c.rating_last_value < %(ok)s THEN 100.0
                        WHEN c.rating_last_value > 0 THEN 0.0 END AS unhappy_rate
            """,
            dimensions=self._case_dimensions(),
            open=OPEN_STATES,
            handled=HANDLED_STATES,
            satisfied=RATING_LIMIT_SATISFIED,
            ok=RATING_LIMIT_OK,
        )

    def _from(self):
        return SQL(
            """
            FROM service_desk_case c
            %(team)s
       LEFT JOIN (%(sla)s) sla ON sla.case_id = c.id
       LEFT JOIN (%(late)s) late ON late.case_id = c.id
            """,
            team=self._team_join(),
            sla=self._sla_subquery(),
            late=self._late_subquery(),
        )

    def init(self):
        super().init()
        self._init_period_statistics()

    def _init_period_statistics(self):
        """The analyses group the cases by period of ``create_date`` (week,
        month: ``date_trunc`` in the reader's time zone). PostgreSQL estimates
        the groups of such an expression from the distinct values of the
        column, unique timestamps: one group per case, so at 1,000,000 cases
        it sorted the whole history on disk before a GroupAggregate (external
        merge, 25 MB) where a hash of the few thousand actual groups (assignee
        x week: 4,351) fits in memory. The column's distinct count is declared
        at the order of the periods it is grouped by (days over the years a
        desk keeps); range filters (the period filters, the mail-loop guard)
        read the histogram, not this count."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT attoptions FROM pg_attribute
             WHERE attrelid = 'service_desk_case'::regclass AND attname = 'create_date'
            """
        )
        options = (cr.fetchone() or [None])[0] or []
        if f"n_distinct={CREATE_DATE_DISTINCT}" in options:
            return
        cr.execute(
            SQL(
                "ALTER TABLE service_desk_case ALTER COLUMN create_date SET (n_distinct = %s)",
                SQL(str(CREATE_DATE_DISTINCT)),
            )
        )
        # a sample of the column (30,000 rows), so the planner uses it now
        cr.execute("ANALYZE service_desk_case (create_date)")

    @api.model
    def get_dashboard_data(self):
        """The figures of the Service Desk dashboard for the current user's
        access rights: ``figures`` (per chart), ``pivots`` (the overall
        figures) and ``computed_at`` (UTC). They come from the snapshot of
        the user's access scope, at most 15 minutes old (see
        ``service.desk.dashboard.snapshot``): a load does not aggregate the
        whole case history each time."""
        return self.env["service.desk.dashboard.snapshot"]._get_data(self._compute_dashboard_data)

    @api.model
    def _compute_dashboard_data(self):
        """The dashboard figures computed now, the way the spreadsheet asks
        for them (one ``_read_group`` per chart and per pivot), for the
        current user's access rights."""
        dashboard = self.env.ref("service_desk_reports.spreadsheet_dashboard_service_desk")
        snapshot = json.loads(dashboard.spreadsheet_data)
        figures = {}
        for sheet in snapshot["sheets"]:
            for figure in sheet["figures"]:
                data = figure["data"]
                if not data["type"].startswith("odoo_"):
                    continue
                meta = data["metaData"]
                Model = self.env[meta["resModel"]]
                measure = meta["measure"]
                aggregate = "__count" if measure == "__count" else self._aggregate_spec(Model, measure)
                groups = Model._read_group(data["searchParams"]["domain"], meta["groupBy"], [aggregate])
                figures[figure["id"]] = [[*(self._group_key(key) for key in row[:-1]), row[-1]] for row in groups]
        pivots = {}
        for pivot_id, pivot in snapshot["pivots"].items():
            Model = self.env[pivot["model"]]
            aggregates = [
                "__count" if m["fieldName"] == "__count" else self._aggregate_spec(Model, m["fieldName"])
                for m in pivot["measures"]
            ]
            [values] = Model._read_group(pivot["domain"], [], aggregates)
            pivots[pivot_id] = dict(zip([m["fieldName"] for m in pivot["measures"]], values, strict=True))
        return {"figures": figures, "pivots": pivots}

    @api.model
    def _aggregate_spec(self, Model, fname):
        return f"{fname}:{Model._fields[fname].aggregator or 'sum'}"

    @api.model
    def _group_key(self, key):
        if isinstance(key, models.BaseModel):
            return key.id
        return fields.Datetime.to_string(key) if hasattr(key, "isoformat") else key
