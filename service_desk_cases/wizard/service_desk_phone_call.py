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
    allowed_line_ids = fields.Many2many("service.desk.line", compute="_compute_allowed_team_ids")
    line_id = fields.Many2one(
        "service.desk.line",
        string="Line",
        domain="[('id', 'in', allowed_line_ids)]",
        help="Support line of the group: choosing it narrows the groups offered.",
    )
    team_id = fields.Many2one(
        "service.desk.team",
        string="Group",
        domain="[('id', 'in', allowed_team_ids), ('line_id', '=?', line_id)]",
    )
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids")
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        domain="[('id', 'in', allowed_user_ids)]",
        help="Empty: the group's assignment method (or the contact's engineer) decides.",
    )
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
            teams = (call.subservice_id or call.service_id)._get_allowed_teams()
            call.allowed_team_ids = teams
            call.allowed_line_ids = teams.line_id

    @api.depends("name", "phone")
    def _compute_display_name(self):
        for call in self:
            if call.name:
                call.display_name = call.name
            elif call.phone:
                call.display_name = self.env._("Call from %s", call.phone)
            else:
                call.display_name = self.env._("New Call")

    @api.depends("team_id")
    def _compute_allowed_user_ids(self):
        internal = self.env["res.users"].search([("share", "=", False)])
        for call in self:
            call.allowed_user_ids = call.team_id._get_staff() if call.team_id else internal

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        """The contact's defaults (service, engineer) show as soon as the caller is known."""
        self._apply_partner_defaults()
        self._fill_single_choices()

    @api.onchange("service_id")
    def _onchange_service_id(self):
        if self.subservice_id and self.subservice_id.parent_id != self.service_id:
            self.subservice_id = False
        self._fill_single_choices()

    @api.onchange("subservice_id")
    def _onchange_subservice_id(self):
        if self.subservice_id:
            self.service_id = self.subservice_id.parent_id
        self._fill_single_choices()

    @api.onchange("line_id")
    def _onchange_line_id(self):
        self._fill_single_choices()

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.team_id:
            self.line_id = self.team_id.line_id
        if self.user_id and self.team_id and self.user_id not in self.team_id._get_staff():
            self.user_id = False

    def _apply_partner_defaults(self):
        if self.partner_id:
            chosen = {fname: self[fname] for fname in ("service_id", "subservice_id", "user_id", "team_id")}
            self.update(self.partner_id._service_desk_case_defaults(chosen))

    def _fill_single_choices(self):
        """Keep Line and Group within what the (sub)service allows, and fill
        them in when exactly one is allowed."""
        teams = self.allowed_team_ids
        if self.line_id and self.line_id not in teams.line_id:
            self.line_id = False
        if not self.line_id and len(teams.line_id) == 1:
            self.line_id = teams.line_id
        if self.line_id:
            teams = teams.filtered(lambda t: t.line_id == self.line_id)
        if self.team_id and self.team_id not in teams:
            self.team_id = False
        if not self.team_id and len(teams) == 1 and (self.service_id or self.subservice_id or self.line_id):
            self.team_id = teams
        if self.user_id and self.team_id and self.user_id not in self.team_id._get_staff():
            self.user_id = False

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
                "user_id": self.user_id.id,
                "priority": self.priority,
                "description": self.description,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.desk.case",
            "res_id": case.id,
            "view_mode": "form",
            "views": [(False, "form")],
            # the call form is done: the case replaces it in the breadcrumbs
            "target": "main",
        }
