# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import service_desk_sla_policy
from . import service_desk_escalation_level
from . import service_desk_case_sla
from . import service_desk_sla_escalation
from . import resource_calendar
from . import resource_calendar_attendance
from . import resource_calendar_leaves
from . import service_desk_stage
from . import service_desk_case
