# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from pytz import utc

from odoo import api, models, tools
from odoo.exceptions import UserError

# The SLA clock reads working intervals in blocks of four weeks, cached per
# process (``_sla_block_intervals``), aligned on a fixed Monday.
SLA_BLOCK = timedelta(days=28)
SLA_EPOCH = datetime(2000, 1, 3)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        # time zone, attendances, flexible hours: the cached intervals change
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

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

    def _sla_work_intervals(self, start, end):
        """Working intervals of this calendar covering ``[start, end]``, as
        sorted ``(start, end)`` pairs of naive UTC datetimes (leaves removed).

        Read from the per-process cache of four-week blocks: a new case costs
        no query for its calendar. Any change of a calendar, an attendance or
        a calendar-wide leave clears it (see ``write``, and the same methods
        of ``resource.calendar.attendance`` and ``resource.calendar.leaves``).
        """
        self.ensure_one()
        first, last = (start - SLA_EPOCH) // SLA_BLOCK, (end - SLA_EPOCH) // SLA_BLOCK
        intervals = []
        for block in range(first, last + 1):
            intervals += self._sla_block_intervals(self.id, block)
        return intervals

    @api.model
    @tools.ormcache("calendar_id", "block")
    def _sla_block_intervals(self, calendar_id, block):
        """Working intervals of one four-week block (see ``_sla_work_intervals``).

        Read as superuser (the same leaves for every reader) and in the
        calendar's own time zone, whoever asks.
        """
        calendar = self.sudo().with_context(employee_timezone=False).browse(calendar_id)
        start = SLA_EPOCH + block * SLA_BLOCK
        found = calendar._work_intervals_batch(
            utc.localize(start), utc.localize(start + SLA_BLOCK), compute_leaves=True
        )[False]
        return tuple(
            (begin.astimezone(utc).replace(tzinfo=None), stop.astimezone(utc).replace(tzinfo=None))
            for begin, stop, _meta in found
            if stop > begin
        )
