# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ServiceDeskLine(models.Model):
    _name = "service.desk.line"
    _description = "Support Line"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, index=True)
    active = fields.Boolean(default=True)
    team_ids = fields.One2many("service.desk.team", "line_id", string="Groups")

    @api.model
    def _get_first_line(self):
        return self.search([], order="sequence, id", limit=1)

    def _get_next_line(self):
        """The line after this one by sequence (empty on the last line)."""
        self.ensure_one()
        return self.search(
            [
                "|",
                ("sequence", ">", self.sequence),
                "&",
                ("sequence", "=", self.sequence),
                ("id", ">", self.id),
            ],
            order="sequence, id",
            limit=1,
        )
