# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .service_desk_data import DONE_STATES, OPEN_STATES, STATES

__all__ = ["DONE_STATES", "OPEN_STATES", "STATES", "ServiceDeskStage"]


class ServiceDeskStage(models.Model):
    _name = "service.desk.stage"
    _description = "Service Desk Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, index=True)
    fold = fields.Boolean(help="Folded in the kanban view when empty.")
    state = fields.Selection(STATES, required=True, default="new", index=True)
    active = fields.Boolean(default=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "service.desk.case")],
        help="Sent to the requester when a case enters this stage.",
    )
    rating_template_id = fields.Many2one(
        "mail.template",
        string="Rating Email Template",
        domain=[("model", "=", "service.desk.case")],
        help="When set, the requester is asked to rate the case when it enters this stage.",
    )
    description = fields.Text(translate=True)

    @api.model
    def _get_stage_for_state(self, state):
        # with the fields a new case reads (its state, the stage's emails), in the same query
        return self.search_fetch(
            [("state", "=", state)],
            ["state", "fold", "mail_template_id", "rating_template_id"],
            order="sequence, id",
            limit=1,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A stage holding cases is archived, not deleted."""
        Case = self.env["service.desk.case"].sudo().with_context(active_test=False)
        counts = Case._read_group([("stage_id", "in", self.ids)], ["stage_id"], ["__count"])
        if counts:
            # built apart: a call of _() nested in another is not extracted
            details = ", ".join(
                self.env._("%(stage)s (cases: %(count)s)", stage=stage.display_name, count=count)
                for stage, count in counts
            )
            raise UserError(
                self.env._(
                    "Stages holding cases cannot be deleted, archive them instead: %s",
                    details,
                )
            )
