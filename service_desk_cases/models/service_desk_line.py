# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A line with groups or cases is archived, not deleted."""
        Team = self.env["service.desk.team"].sudo().with_context(active_test=False)
        Case = self.env["service.desk.case"].sudo().with_context(active_test=False)
        teams = dict(Team._read_group([("line_id", "in", self.ids)], ["line_id"], ["__count"]))
        cases = dict(Case._read_group([("line_id", "in", self.ids)], ["line_id"], ["__count"]))
        in_use = [line for line in self if line in teams or line in cases]
        if in_use:
            # built apart: a call of _() nested in another is not extracted
            details = "; ".join(
                self.env._(
                    "%(line)s (groups: %(teams)s, cases: %(cases)s)",
                    line=line.display_name,
                    teams=teams.get(line, 0),
                    cases=cases.get(line, 0),
                )
                for line in in_use
            )
            raise UserError(
                self.env._(
                    "Support lines in use cannot be deleted, archive them instead: %s",
                    details,
                )
            )
