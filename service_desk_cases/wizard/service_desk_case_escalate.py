# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class ServiceDeskCaseEscalate(models.TransientModel):
    _name = "service.desk.case.escalate"
    _description = "Escalate Cases to the Next Line"

    case_ids = fields.Many2many("service.desk.case", string="Cases", required=True)
    team_id = fields.Many2one(
        "service.desk.team",
        string="Group of the Next Line",
        help="Leave empty to pick the first allowed group of the next line.",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Reason: say why the case goes to the next line."))
        done = self.case_ids._escalate_to_next_line(self.reason.strip(), team=self.team_id or None)
        missing = self.case_ids - done
        if missing:
            raise UserError(
                self.env._(
                    "No group of a next support line can take %s: it is on the last line, "
                    "or the next line has no group allowed for its service.",
                    ", ".join(missing.mapped("display_name")),
                )
            )
        return {"type": "ir.actions.act_window_close"}
