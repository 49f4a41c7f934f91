# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.phone import normalize_phone
from .service_desk_stage import OPEN_STATES

__all__ = ["ResPartner", "normalize_phone"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_desk_case_ids = fields.One2many("service.desk.case", "partner_id", string="Cases")
    service_desk_case_count = fields.Integer(compute="_compute_service_desk_case_count", string="Case Count")
    service_desk_open_case_count = fields.Integer(
        string="Open Cases",
        compute="_compute_service_desk_stats",
        store=True,
        help="Open service desk cases of this contact (stored, so mailing lists can filter on it).",
    )
    service_desk_last_rating = fields.Float(
        string="Last Case Rating",
        compute="_compute_service_desk_stats",
        store=True,
        aggregator="avg",
        help="The latest satisfaction rating given on this contact's cases (1 to 5, 0 for none).",
    )
    service_desk_service_id = fields.Many2one(
        "service.desk.service",
        string="Default Service",
        domain=[("parent_id", "=", False)],
        help="New cases of this contact get this service.",
    )
    service_desk_subservice_id = fields.Many2one(
        "service.desk.service",
        string="Default Subservice",
        domain="[('parent_id', '!=', False), ('parent_id', '=?', service_desk_service_id)]",
    )
    service_desk_user_id = fields.Many2one(
        "res.users",
        string="Default Engineer",
        domain=[("share", "=", False)],
        help="New cases of this contact are assigned to this engineer.",
    )
    phone_sanitized_digits = fields.Char(
        compute="_compute_phone_sanitized_digits", store=True, index=True, string="Phone Digits"
    )

    @api.depends("phone", "mobile")
    def _compute_phone_sanitized_digits(self):
        for partner in self:
            partner.phone_sanitized_digits = normalize_phone(partner.phone or partner.mobile) or False

    def _compute_service_desk_case_count(self):
        groups = self.env["service.desk.case"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.service_desk_case_count = counts.get(partner.id, 0)

    @api.depends(
        "service_desk_case_ids.state",
        "service_desk_case_ids.rating_last_value",
        "service_desk_case_ids.active",
    )
    def _compute_service_desk_stats(self):
        Case = self.env["service.desk.case"].sudo()
        open_counts = {
            partner.id: count
            for partner, count in Case._read_group(
                [("partner_id", "in", self.ids), ("state", "in", OPEN_STATES)],
                ["partner_id"],
                ["__count"],
            )
        }
        last = {}
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search_read(
                [
                    ("res_model", "=", "service.desk.case"),
                    ("partner_id", "in", self.ids),
                    ("consumed", "=", True),
                ],
                ["partner_id", "rating"],
                order="write_date desc, id desc",
            )
        )
        for rating in ratings:
            last.setdefault(rating["partner_id"][0], rating["rating"])
        for partner in self:
            partner.service_desk_open_case_count = open_counts.get(partner.id, 0)
            partner.service_desk_last_rating = last.get(partner.id, 0.0)

    @api.constrains("service_desk_service_id", "service_desk_subservice_id")
    def _check_service_desk_defaults(self):
        for partner in self:
            sub = partner.service_desk_subservice_id
            if sub and partner.service_desk_service_id and sub.parent_id != partner.service_desk_service_id:
                raise ValidationError(
                    self.env._(
                        "Contact %(name)s: Default Subservice '%(sub)s' is not part of Default Service '%(service)s'.",
                        name=partner.display_name,
                        sub=sub.display_name,
                        service=partner.service_desk_service_id.display_name,
                    )
                )

    @api.model
    def _sd_find_by_phone(self, number):
        digits = normalize_phone(number)
        if len(digits) < 5:
            return self.browse()
        return self.search([("phone_sanitized_digits", "=", digits)], order="is_company, id", limit=2)

    def action_view_service_desk_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_desk_cases.service_desk_case_action")
        action["domain"] = [
            (
                "partner_id",
                "child_of",
                self.commercial_partner_id.id if self.is_company else self.id,
            )
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.model
    def _sd_set_private_contacts_restriction(self, enabled):
        """Turn the cinema's contact rule on or off (the rule records carry it)."""
        rules = self.env.ref("service_desk_cases.res_partner_rule_private_contacts").sudo()
        rules |= self.env.ref("service_desk_cases.res_partner_rule_private_contacts_manager").sudo()
        rules.with_context(active_test=False).write({"active": enabled})
        self.env["ir.config_parameter"].sudo().set_param(
            "service_desk_cases.restrict_private_contacts", "1" if enabled else ""
        )
