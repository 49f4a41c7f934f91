# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    # A public holiday or any leave of a whole calendar (no resource) changes
    # the SLA clock's cached intervals (``resource.calendar._sla_block_intervals``);
    # the time off of one employee does not, and keeps the cache.

    def _sla_clear_intervals(self):
        if any(not leave.resource_id for leave in self):
            self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._sla_clear_intervals()
        return leaves

    def write(self, vals):
        self._sla_clear_intervals()
        res = super().write(vals)
        self._sla_clear_intervals()
        return res

    def unlink(self):
        self._sla_clear_intervals()
        return super().unlink()
