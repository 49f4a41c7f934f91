# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL


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
