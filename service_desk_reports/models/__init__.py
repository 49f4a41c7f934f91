# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import service_desk_case
from . import service_desk_case_sla
from . import service_desk_dashboard_snapshot
