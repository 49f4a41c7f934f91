# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.rating.models.rating_data import RATING_TEXT
from odoo.addons.service_desk_cases.models.service_desk_data import RATING_LIMIT_OK, RATING_LIMIT_SATISFIED

# a consumed rating is always one of these (Odoo's "No Rating yet" aside)
RATING_TEXTS = [(value, label) for value, label in RATING_TEXT if value != "none"]


class ServiceDeskRatingReport(models.Model):
    """One row per rating given on a case, dated when it was given, with the
    case's group and the group's department."""

    _name = "service.desk.rating.report"
    _inherit = ["service.desk.report.mixin"]
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
    }

    rating_date = fields.Datetime(string="Rated On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Rated By", readonly=True)
    rating_text = fields.Selection(RATING_TEXTS, string="Satisfaction", readonly=True)
    feedback = fields.Text(readonly=True)
    rating = fields.Float(string="Average Rating", readonly=True, aggregator="avg")
    happy_rate = fields.Float(string="Happy (%)", readonly=True, aggregator="avg")
    unhappy_rate = fields.Float(string="Unhappy (%)", readonly=True, aggregator="avg")

    def _select(self):
        return SQL(
            """
            SELECT r.id AS id,
                   %(dimensions)s,
                   r.write_date AS rating_date,
                   r.partner_id AS partner_id,
                   CASE WHEN r.rating >= %(satisfied)s THEN 'top'
                        WHEN r.rating >= %(ok)s THEN 'ok'
                        ELSE 'ko' END AS rating_text,
                   r.feedback AS feedback,
                   r.rating AS rating,
                   CASE WHEN r.rating >= %(satisfied)s THEN 100.0 ELSE 0.0 END AS happy_rate,
                   CASE WHEN r.rating < %(ok)s THEN 100.0 ELSE 0.0 END AS unhappy_rate
            """,
            dimensions=self._case_dimensions(),
            satisfied=RATING_LIMIT_SATISFIED,
            ok=RATING_LIMIT_OK,
        )

    def _from(self):
        return SQL(
            """
            FROM rating_rating r
            JOIN service_desk_case c ON c.id = r.res_id
            %s
            """,
            self._team_join(),
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
