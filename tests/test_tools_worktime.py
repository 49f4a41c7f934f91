# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Working-time arithmetic of the SLA addon, without Odoo."""

import importlib.util
from datetime import datetime

from .helpers import REPO

# loaded by path: service_desk_sla/__init__.py imports Odoo
_spec = importlib.util.spec_from_file_location("sd_worktime", REPO / "service_desk_sla" / "tools" / "worktime.py")
worktime = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worktime)


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute)


# Tuesday 10 and Wednesday 11 March 2026: 9-13 and 14-18, lunch 13-14
INTERVALS = [
    (at(10, 9), at(10, 13)),
    (at(10, 14), at(10, 18)),
    (at(11, 9), at(11, 13)),
    (at(11, 14), at(11, 18)),
]


def test_worktime_has_no_odoo_import():
    source = (REPO / "service_desk_sla" / "tools" / "worktime.py").read_text()
    assert "import odoo" not in source
    assert "from odoo" not in source


def test_plan_within_one_interval():
    assert worktime.plan(INTERVALS, at(10, 9), 2) == at(10, 11)


def test_plan_skips_lunch_and_night():
    assert worktime.plan(INTERVALS, at(10, 12), 2) == at(10, 15)
    # 1 h left on Tuesday, then Wednesday morning
    assert worktime.plan(INTERVALS, at(10, 17), 3) == at(11, 11)


def test_plan_exact_end_of_interval_stays_in_it():
    assert worktime.plan(INTERVALS, at(10, 9), 4) == at(10, 13)
    assert worktime.plan(INTERVALS, at(10, 9), 8) == at(10, 18)


def test_plan_zero_hours_is_next_working_moment():
    assert worktime.plan(INTERVALS, at(10, 10, 30), 0) == at(10, 10, 30)
    assert worktime.plan(INTERVALS, at(10, 13, 20), 0) == at(10, 14)
    assert worktime.plan(INTERVALS, at(10, 20), 0) == at(11, 9)
    assert worktime.plan(INTERVALS, at(10, 20), -5) == at(11, 9), "negative hours count as none"


def test_plan_beyond_the_intervals_is_none():
    assert worktime.plan(INTERVALS, at(10, 9), 16.5) is None
    assert worktime.plan(INTERVALS, at(12, 9), 0) is None
    assert worktime.plan([], at(10, 9), 1) is None


def test_duration_excludes_lunch_and_night():
    assert worktime.duration(INTERVALS, at(10, 9), at(10, 11)) == 2.0
    assert worktime.duration(INTERVALS, at(10, 12), at(10, 15)) == 2.0
    assert worktime.duration(INTERVALS, at(10, 17), at(11, 10)) == 2.0
    assert worktime.duration(INTERVALS, at(10, 8), at(12, 8)) == 16.0


def test_duration_empty_or_reversed_is_zero():
    assert worktime.duration(INTERVALS, at(10, 11), at(10, 9)) == 0.0
    assert worktime.duration(INTERVALS, at(10, 11), at(10, 11)) == 0.0
    assert worktime.duration(INTERVALS, None, at(10, 11)) == 0.0
    assert worktime.duration(INTERVALS, at(10, 13, 10), at(10, 13, 50)) == 0.0


def test_plan_and_duration_agree():
    start = at(10, 10, 15)
    for hours in (0.5, 3, 5.25, 9.75):
        end = worktime.plan(INTERVALS, start, hours)
        assert abs(worktime.duration(INTERVALS, start, end) - hours) < 1e-6
