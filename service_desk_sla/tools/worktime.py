# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Working-time arithmetic over a list of working intervals.

Pure functions, no Odoo import (like ``resource/models/utils.py``): the
intervals are ``(start, end)`` pairs of naive UTC datetimes, sorted and not
overlapping, as read from ``resource.calendar._work_intervals_batch`` by
``service_desk_sla/models/sla_clock.py``.
"""

from datetime import timedelta

# Float tolerance when an amount of hours fits exactly in an interval.
EPSILON = 1e-9


def _hours(delta):
    return delta.total_seconds() / 3600.0


def plan(intervals, start, hours):
    """The moment when ``hours`` working hours have run from ``start``.

    ``hours=0`` (or negative) gives ``start`` itself during working time, or
    the start of the next working interval. Returns None when the intervals
    end before that many hours have run (the caller reads more of the
    calendar and asks again).
    """
    left = max(hours, 0.0)
    for begin, end in intervals:
        if end <= start:
            continue
        begin = max(begin, start)
        available = _hours(end - begin)
        if left <= available + EPSILON:
            return begin + timedelta(hours=left)
        left -= available
    return None


def duration(intervals, start, end):
    """Working hours between ``start`` and ``end`` (0 when either is empty or end <= start)."""
    if not start or not end or end <= start:
        return 0.0
    total = 0.0
    for begin, stop in intervals:
        if stop <= start:
            continue
        if begin >= end:
            break
        total += _hours(min(stop, end) - max(begin, start))
    return total
