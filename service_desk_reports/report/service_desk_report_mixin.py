# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.service_desk_dashboard_snapshot import DASHBOARD_CONTEXT_KEY


class ServiceDeskReportMixin(models.AbstractModel):
    """What the four analysis models share: the case's dimensions (service,
    subservice, group and its department, assignee, company), the join that
    brings the group's department, the ``_depends`` on those columns, the
    view creation, and the agents' record-rule domain on these dimensions.

    A report reads the case as ``c`` and its group as ``team`` and builds its
    SQL from ``_select``/``_from``/``_where``; ``init()`` turns ``_query()``
    into the view, unless the report is a ``_table_query`` (the backlog,
    whose SQL depends on the clock).
    """

    _name = "service.desk.report.mixin"
    _description = "Service Desk Report Dimensions"
    _depends = {
        "service.desk.case": [
            "service_id",
            "subservice_id",
            "team_id",
            "user_id",
            "company_id",
            "active",
        ],
        "service.desk.team": ["department_id"],
    }

    case_id = fields.Many2one("service.desk.case", string="Case", readonly=True)
    service_id = fields.Many2one("service.desk.service", string="Service", readonly=True)
    subservice_id = fields.Many2one("service.desk.service", string="Subservice", readonly=True)
    team_id = fields.Many2one("service.desk.team", string="Group", readonly=True)
    department_id = fields.Many2one("hr.department", string="Department", readonly=True)
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The dashboard's data sources (context ``service_desk_dashboard``)
        read their figures from a snapshot of the user's scope at most 15
        minutes old, kept current by the cron, instead of aggregating the
        history on each load; the analysis views read live."""
        if not self.env.context.get(DASHBOARD_CONTEXT_KEY):
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        signature = {
            "domain": domain,
            "fields": fields,
            "groupby": groupby,
            "offset": offset,
            "limit": limit,
            "orderby": orderby,
            "lazy": lazy,
            # labels and date groups depend on them
            "lang": self.env.lang,
            "tz": self.env.context.get("tz"),
        }
        live = super(ServiceDeskReportMixin, self.with_context(**{DASHBOARD_CONTEXT_KEY: False}))
        return self.env["service.desk.dashboard.snapshot"]._get_read_group(
            self._name, signature, lambda: live.read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        )

    def export_data(self, fields_to_export):
        """An average's value (a duration, a rating) is empty (NULL) until its
        event happened, but the ORM reads it as 0.0: the exported cell stays
        empty, as in the list, and the export's group averages leave it out
        (see ``controllers/export.py``)."""
        result = super().export_data(fields_to_export)
        averaged = [
            (index, name)
            for index, name in enumerate(fields_to_export)
            if (field := self._fields.get(name)) and field.type == "float" and field.aggregator == "avg"
        ]
        rows = result["datas"]
        # one line per record unless one-to-many lines were exported
        if not averaged or len(rows) != len(self):
            return result
        query = self._search([("id", "in", self.ids)])
        empty = {
            row_id: nulls
            for row_id, *nulls in self.env.execute_query(
                query.select(
                    SQL.identifier(self._table, "id"),
                    *(SQL("%s IS NULL", self._field_to_sql(self._table, name, query)) for _i, name in averaged),
                )
            )
        }
        for record, row in zip(self, rows, strict=True):
            for (index, _name), is_null in zip(averaged, empty.get(record.id, ()), strict=False):
                if is_null:
                    row[index] = ""
        return result

    # ------------------------------------------------------------
    # Actions: from the figures to the cases
    # ------------------------------------------------------------

    def action_open_case(self):
        """A row of the analysis opens its case (the lists' row action)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.desk.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_open_cases(self, name=None):
        """The cases behind these rows, as a case list (then their forms).
        The rows were read with the user's rights, and the case list applies
        the case rules again."""
        return self._cases_action(self.case_id.ids, name)

    @api.model
    def get_cases_action(self, domain, name=None, measure=None):
        """The cases behind a figure: a chart's bar, a pivot's cell or a KPI
        whose rows are ``domain`` (on this analysis model), as a case list.
        The figure of an average (``measure``) comes from the rows that have
        a value (not NULL): its cases are those. Called by the dashboard and
        by the analysis pivot and graph views."""
        query = self._search(domain)
        field = self._fields.get(measure) if measure else None
        if field and field.aggregator == "avg":
            query.add_where(SQL("%s IS NOT NULL", self._field_to_sql(self._table, measure, query)))
        rows = self.env.execute_query(query.select(self._field_to_sql(self._table, "case_id", query)))
        return self._cases_action(list(dict.fromkeys(case_id for (case_id,) in rows)), name)

    @api.model
    def _cases_action(self, case_ids, name=None):
        return {
            "type": "ir.actions.act_window",
            "name": name or self.env._("Cases"),
            "res_model": "service.desk.case",
            "domain": [("id", "in", case_ids)],
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "view_mode": "list,kanban,form",
            "context": {},
            "target": "current",
        }

    @api.model
    def _agent_domain(self, user):
        """The rows an agent may read: the cases of his groups, the cases he
        is assigned to, and the cases of the groups he leads; everything when
        one of his groups lets its members see all cases. The agents' rule
        of every report calls this through ``res.users``."""
        if user.service_desk_team_ids.filtered("member_see_all"):
            return [(1, "=", 1)]
        # archived groups too: their members keep seeing their cases (as the case rule)
        teams = user.with_context(active_test=False).service_desk_team_ids
        return [
            "|",
            "|",
            ("user_id", "=", user.id),
            ("team_id", "in", teams.ids),
            ("team_id.leader_id", "=", user.id),
        ]

    def _case_dimensions(self):
        """The shared columns, read from the case ``c`` and its group ``team``."""
        return SQL(
            """
                   c.id AS case_id,
                   c.service_id AS service_id,
                   c.subservice_id AS subservice_id,
                   c.team_id AS team_id,
                   team.department_id AS department_id,
                   c.user_id AS user_id,
                   c.company_id AS company_id
            """
        )

    def _team_join(self):
        return SQL("LEFT JOIN service_desk_team team ON team.id = c.team_id")

    def _select(self):
        raise NotImplementedError

    def _from(self):
        raise NotImplementedError

    def _where(self):
        return SQL("WHERE c.active")

    def _query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def init(self):
        if self._abstract or self._table_query:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
