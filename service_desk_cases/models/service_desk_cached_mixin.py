# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ServiceDeskCachedMixin(models.AbstractModel):
    """Records that per-process caches (``tools.ormcache``) are built from:
    creating, changing or deleting one clears the registry's caches, as
    ``ir.rule`` does, so every worker reads the new values on its next use.

    ``_sd_cache_fields``: the fields the caches read, when a write of other
    fields must not clear them (None: any write clears them)."""

    _name = "service.desk.cached.mixin"
    _description = "Service Desk: settings kept in a per-process cache"
    _sd_cache_fields = None

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if self._sd_cache_fields is None or not self._sd_cache_fields.isdisjoint(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
