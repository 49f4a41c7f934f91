# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    service_desk_team_ids = fields.Many2many(
        "service.desk.team",
        "service_desk_team_member_rel",
        "user_id",
        "team_id",
        string="Service Desk Groups",
    )
