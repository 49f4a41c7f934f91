# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_report_case_analysis
from . import test_report_access
from . import test_report_dashboard
from . import test_report_partner_stats
from . import test_report_bench_columns
from . import test_report_query_counts
from . import test_report_screens
from . import test_report_drilldown
from . import test_report_export
