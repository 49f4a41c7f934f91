# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sla_policy(self):
        """SLA deadlines are counted in these hours: never leave a policy without them."""
        policies = (
            self.env["service.desk.sla.policy"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_id", "in", self.ids)])
        )
        if policies:
            raise UserError(
                self.env._(
                    "The working hours %(calendars)s are used by the SLA policies %(policies)s: "
                    "choose other working hours on these policies first.",
                    calendars=", ".join(f"'{name}'" for name in policies.calendar_id.mapped("display_name")),
                    policies=", ".join(f"'{name}'" for name in policies.mapped("display_name")),
                )
            )
