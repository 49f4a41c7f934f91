# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.service_desk_data import PRIORITIES
from ..tools.phone import is_phone_number, normalize_phone


class ServiceDeskPhoneCall(models.TransientModel):
    """The operator's form: register an incoming call as a case in seconds."""

    _name = "service.desk.phone.call"
    _description = "Register a Phone Call"

    phone = fields.Char(string="Caller's Phone")
    partner_id = fields.Many2one(
        "res.partner",
        string="Caller",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    partner_name = fields.Char(string="New Caller's Name", help="Creates the contact with this name and the phone.")
    service_id = fields.Many2one("service.desk.service", string="Service", domain=[("parent_id", "=", False)])
    subservice_id = fields.Many2one(
        "service.desk.service",
        string="Subservice",
        domain="[('parent_id', '!=', False), ('parent_id', '=?', service_id)]",
    )
    allowed_team_ids = fields.Many2many("service.desk.team", compute="_compute_allowed_team_ids")
    team_id = fields.Many2one("service.desk.team", string="Group", domain="[('id', 'in', allowed_team_ids)]")
    name = fields.Char(string="Subject")
    priority = fields.Selection(PRIORITIES, default="1", required=True)
    description = fields.Html()

    @api.depends("phone")
    def _compute_partner_id(self):
        for call in self:
            if call.phone and normalize_phone(call.phone):
                found = self.env["res.partner"]._sd_find_by_phone(call.phone)
                call.partner_id = found[:1]
            elif not call.partner_id:
                call.partner_id = False

    @api.depends("service_id", "subservice_id")
    def _compute_allowed_team_ids(self):
        for call in self:
            call.allowed_team_ids = (call.subservice_id or call.service_id)._get_allowed_teams()

    @api.onchange("service_id")
    def _onchange_service_id(self):
        if self.subservice_id and self.subservice_id.parent_id != self.service_id:
            self.subservice_id = False
        if self.team_id and self.team_id not in self.allowed_team_ids:
            self.team_id = False

    @api.onchange("subservice_id")
    def _onchange_subservice_id(self):
        if self.subservice_id:
            self.service_id = self.subservice_id.parent_id
        if self.team_id and self.team_id not in self.allowed_team_ids:
            self.team_id = False

    @api.constrains("phone")
    def _check_phone(self):
        for call in self:
            if call.phone and not is_phone_number(call.phone):
                raise ValidationError(
                    self.env._(
                        "Caller's Phone: '%s' is not a phone number (use digits, spaces, +, -, brackets).",
                        call.phone,
                    )
                )

    def action_register(self):
        self.ensure_one()
        if not (self.name or "").strip():
            raise ValidationError(self.env._("Subject: write what the caller needs."))
        partner = self.partner_id
        if not partner:
            if not (self.partner_name or "").strip():
                raise ValidationError(
                    self.env._(
                        "Caller: no contact has the phone '%s'; give the New Caller's Name to create one.",
                        self.phone or "",
                    )
                )
            # Operators need no contact-creation right to register a new caller;
            # the caller belongs to the company that took the call, so the
            # phone lookup of another company does not offer them.
            partner = (
                self.env["res.partner"]
                .sudo()
                .create({"name": self.partner_name.strip(), "phone": self.phone, "company_id": self.env.company.id})
            )
        case = self.env["service.desk.case"].create(
            {
                "name": self.name.strip(),
                "partner_id": partner.id,
                "channel": "phone",
                "service_id": self.service_id.id,
                "subservice_id": self.subservice_id.id,
                "team_id": self.team_id.id,
                "priority": self.priority,
                "description": self.description,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.desk.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }
