# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression

CASE_MODEL = "service.desk.case"


class RatingRating(models.Model):
    """Ratings of cases follow the cases' own access.

    Reading a case rating needs read access to its case (the cases' record
    rules: group, company, requester); nobody but the superuser (the rating
    link, the mixin under sudo) creates, changes or deletes one. The access
    token, which lets anyone rate in the customer's name, is readable only
    by the superuser and by the customer side (portal), never by staff.
    """

    _inherit = "rating.rating"

    # Read under sudo (the rating link, the rating mixin) or by the customer
    # side only: no staff group may read it.
    access_token = fields.Char(groups="base.group_portal")

    def _auto_init(self):
        res = super()._auto_init()
        # A contact's last rating of a case (res.partner.service_desk_last_rating,
        # recomputed when one of their ratings is given): one index entry per
        # contact instead of all the ratings of the desk's history.
        tools.create_index(
            self._cr,
            "rating_rating_service_desk_partner_last_idx",
            self._table,
            ["partner_id", "write_date DESC", "id DESC"],
            where=f"res_model = '{CASE_MODEL}' AND consumed",
        )
        return res

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            Case = self.env[CASE_MODEL]
            if Case.has_access("read"):
                visible = ["|", ("res_model", "!=", CASE_MODEL), ("res_id", "in", Case._search([]))]
            else:  # e.g. an employee outside the service desk: other models' ratings only
                visible = [("res_model", "!=", CASE_MODEL)]
            domain = expression.AND([domain or [], visible])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not any(self._ids):
            return result
        case_ratings = self.sudo().exists().filtered(lambda r: r.res_model == CASE_MODEL)
        if not case_ratings:
            return result
        if operation == "read":
            cases = self.env[CASE_MODEL].browse(set(case_ratings.mapped("res_id")))
            visible = set(cases._filtered_access("read")._ids)
            forbidden = case_ratings.filtered(lambda r: r.res_id not in visible)
        else:
            forbidden = case_ratings
        if not forbidden:
            return result
        forbidden = self.browse(forbidden._ids)
        if result:
            forbidden |= result[0]
        return forbidden, functools.partial(self._case_rating_access_error, operation, forbidden)

    def _case_rating_access_error(self, operation, ratings):
        if operation == "read":
            return AccessError(
                self.env._(
                    "You cannot read the ratings %(ratings)s: you have no access to their cases.",
                    ratings=", ".join(str(rid) for rid in ratings._ids),
                )
            )
        return AccessError(
            self.env._(
                "Ratings of service desk cases are given by the customers only: they cannot be "
                "created, changed or deleted by hand (operation: %(operation)s).",
                operation=operation,
            )
        )

    def unlink(self):
        # rating.rating deletes the ratings' messages first: check before that.
        self.check_access("unlink")
        return super().unlink()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            model_ids = {v.get("res_model_id") for v in vals_list}
            if self.env["ir.model"]._get_id(CASE_MODEL) in model_ids:
                raise self._case_rating_access_error("create", self.browse())
        return super().create(vals_list)
