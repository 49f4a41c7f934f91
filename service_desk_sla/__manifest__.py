# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Service Desk: SLA",
    "summary": "SLA policies on business-hour calendars, pausable timers and "
    "a multi-level escalation ladder",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "website": "https://github.com/service-desk/service-desk",
    "author": "Service Desk contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["service_desk_cases", "resource"],
    "data": [],
    "demo": [],
}
