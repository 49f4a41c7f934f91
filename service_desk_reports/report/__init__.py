# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import service_desk_report_mixin
from . import service_desk_case_report
from . import service_desk_sla_report
from . import service_desk_rating_report
from . import service_desk_backlog_report
