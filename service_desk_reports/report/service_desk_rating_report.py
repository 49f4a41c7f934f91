# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools
from odoo.tools import SQL

RATING_TEXTS = [("top", "Satisfied"), ("ok", "Okay"), ("ko", "Dissatisfied")]


class ServiceDeskRatingReport(models.Model):
    """One row per rating given on a case, dated when it was given, with the
    case's group and the group's department."""

    _name = "service.desk.rating.report"
    _description = "Service Desk Satisfaction"
    _auto = False
    _rec_name = "case_id"
    _order = "rating_date desc"
    _depends = {
        "rating.rating": [
            "res_model",
            "res_id",
            "rating",
            "rating_text",
            "consumed",
            "write_date",
            "partner_id",
            "feedback",
        ],
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
    rating_date = fields.Datetime(string="Rated On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Rated By", readonly=True)
    service_id = fields.Many2one("service.desk.service", string="Service", readonly=True)
    subservice_id = fields.Many2one("service.desk.service", string="Subservice", readonly=True)
    team_id = fields.Many2one("service.desk.team", string="Group", readonly=True)
    department_id = fields.Many2one("hr.department", string="Department", readonly=True)
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    rating_text = fields.Selection(RATING_TEXTS, string="Satisfaction", readonly=True)
    feedback = fields.Text(readonly=True)
    rating = fields.Float(string="Average Rating", readonly=True, aggregator="avg")
    happy_rate = fields.Float(string="Happy (%)", readonly=True, aggregator="avg")
    unhappy_rate = fields.Float(string="Unhappy (%)", readonly=True, aggregator="avg")

    def _select(self):
        return SQL(
            """
            SELECT r.id AS id,
                   c.id AS case_id,
                   r.write_date AS rating_date,
                   r.partner_id AS partner_id,
                   c.service_id AS service_id,
                   c.subservice_id AS subservice_id,
                   c.team_id AS team_id,
                   team.department_id AS department_id,
                   c.user_id AS user_id,
                   c.company_id AS company_id,
                   CASE WHEN r.rating >= 4 THEN 'top'
                        WHEN r.rating >= 3 THEN 'ok'
                        ELSE 'ko' END AS rating_text,
                   r.feedback AS feedback,
                   r.rating AS rating,
                   CASE WHEN r.rating >= 4 THEN 100.0 ELSE 0.0 END AS happy_rate,
                   CASE WHEN r.rating < 3 THEN 100.0 ELSE 0.0 END AS unhappy_rate
            """
        )

    def _from(self):
        return SQL(
            """
            FROM rating_rating r
            JOIN service_desk_case c ON c.id = r.res_id
       LEFT JOIN service_desk_team team ON team.id = c.team_id
            """
        )

    def _where(self):
        return SQL(
            """
            WHERE r.res_model = 'service.desk.case'
              AND r.consumed
              AND r.rating > 0
              AND c.active
            """
        )

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
