# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from random import randint

from odoo import api, fields, models
from odoo.exceptions import UserError


class ServiceDeskTag(models.Model):
    _name = "service.desk.tag"
    _description = "Service Desk Tag"
    _order = "name"

    def _default_color(self):
        return randint(1, 11)

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: self._default_color())
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A tag with the same name already exists."),
    ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A tag on cases is archived, not deleted (the cases keep it)."""
        Case = self.env["service.desk.case"].sudo().with_context(active_test=False)
        counts = Case._read_group([("tag_ids", "in", self.ids)], ["tag_ids"], ["__count"])
        counts = [(tag, count) for tag, count in counts if tag in self]
        if counts:
            # built apart: a call of _() nested in another is not extracted
            details = ", ".join(
                self.env._("%(tag)s (cases: %(count)s)", tag=tag.display_name, count=count) for tag, count in counts
            )
            raise UserError(
                self.env._(
                    "Tags used on cases cannot be deleted, archive them instead: %s",
                    details,
                )
            )
