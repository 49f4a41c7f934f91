# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Working-time arithmetic on one ``resource.calendar``, for a whole batch.

The intervals come from ``resource.calendar._work_intervals_batch`` (the same
source as ``plan_hours`` and ``get_work_duration_data``: attendances in the
calendar's time zone, lunch breaks excluded, minus ``resource.calendar.leaves``)
through a per-process cache (``resource.calendar._sla_work_intervals``), and
are taken once per window, then reused for every case of the batch. The
arithmetic itself is in ``service_desk_sla/tools/worktime.py``.
"""

from datetime import timedelta

from ..tools import worktime

WINDOW = timedelta(days=62)
MAX_WINDOWS = 12  # about two years of calendar: beyond that, no working time


class SlaClock:
    """Plan and measure working hours on one calendar (naive UTC datetimes)."""

    def __init__(self, calendar):
        self.calendar = calendar
        self.start = None
        self.end = None
        self.intervals = []
        self.fetch_count = 0

    def prepare(self, start, end):
        """Read the working intervals covering ``[start, end]`` (once per batch)."""
        if self.start is not None and self.start <= start and end <= self.end:
            return
        start = min(start, self.start) if self.start is not None else start
        end = max(end, self.end) if self.end is not None else end
        # from the per-process cache (resource.calendar._sla_work_intervals);
        # a policy left without working hours: no working time, never a crash
        self.intervals = self.calendar._sla_work_intervals(start, end) if self.calendar else []
        self.start, self.end = start, end
        self.fetch_count += 1

    def plan(self, start, hours):
        """The moment when ``hours`` working hours have run from ``start``.

        ``hours=0`` gives the start of the next working period (or ``start``
        itself during working time). None when the calendar has no working
        time in the next two years.
        """
        self.prepare(start, start + WINDOW)
        for _attempt in range(MAX_WINDOWS):
            moment = worktime.plan(self.intervals, start, hours)
            if moment is not None:
                return moment
            self.prepare(start, self.end + WINDOW)
        return None

    def duration(self, start, end):
        """Working hours between two moments."""
        if not start or not end or end <= start:
            return 0.0
        self.prepare(start, end)
        return worktime.duration(self.intervals, start, end)


class SlaClocks(dict):
    """One :class:`SlaClock` per calendar id, created on demand."""

    def get_clock(self, calendar):
        clock = self.get(calendar.id)
        if clock is None:
            clock = self[calendar.id] = SlaClock(calendar)
        return clock
