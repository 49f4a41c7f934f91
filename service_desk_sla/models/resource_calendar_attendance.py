# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResourceCalendarAttendance(models.Model):
    # working hours change: the SLA clock's cached intervals are stale
    # (``resource.calendar._sla_block_intervals``)
    _name = "resource.calendar.attendance"
    _inherit = ["resource.calendar.attendance", "service.desk.cached.mixin"]
