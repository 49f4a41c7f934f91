# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import PRIVATE_CONTACTS_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_desk_restrict_private_contacts = fields.Boolean(
        string="Only administrators may see contacts without a company",
        help="Contacts that have no parent company, are not a company and are "
        "not the contact of a user or an employee are then listed, opened, edited and deleted "
        "in Contacts only by service desk administrators; agents still work on "
        "the cases they requested.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        res["service_desk_restrict_private_contacts"] = bool(
            self.env["ir.config_parameter"].sudo().get_param(PRIVATE_CONTACTS_PARAM)
        )
        return res

    def set_values(self):
        super().set_values()
        for settings in self:
            settings.env["res.partner"]._sd_set_private_contacts_restriction(
                settings.service_desk_restrict_private_contacts
            )

    # Mail gateway (replies to finished cases)
    service_desk_reopen_days = fields.Integer(
        string="Reopen on Reply Within (Days)",
        config_parameter="service_desk_cases.reopen_days",
        default=7,
        help="A requester's reply to a resolved or closed case reopens it within this many days after it "
        "was finished; later, the reply creates a follow-up case linked to it.",
    )

    @api.constrains("service_desk_reopen_days")
    def _check_service_desk_reopen_days(self):
        for settings in self:
            if settings.service_desk_reopen_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(field)s cannot be negative.",
                        field=self._fields["service_desk_reopen_days"].get_description(self.env)["string"],
                    )
                )
