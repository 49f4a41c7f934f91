# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ServiceDeskStage(models.Model):
    _inherit = "service.desk.stage"

    def write(self, vals):
        if "active" in vals:
            # an archived stage no longer pauses: the policies' cached pausing
            # stages are stale (``service.desk.sla.policy._clock_settings``)
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
