# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Service Desk: SLA",
    "summary": "SLA policies on business-hour calendars, pausable timers and a multi-level escalation ladder",
    "version": "18.0.1.1.0",
    "category": "Services/Service Desk",
    "website": "https://github.com/service-desk/service-desk",
    "author": "Service Desk contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["service_desk_cases", "resource"],
    "data": [
        "security/service_desk_sla_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/service_desk_sla_policy_views.xml",
        "views/service_desk_case_sla_views.xml",
        "views/service_desk_case_views.xml",
        "views/service_desk_sla_menus.xml",
    ],
    "demo": ["demo/service_desk_sla_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "service_desk_sla/static/src/fields/*",
        ],
        "web.assets_tests": [
            "service_desk_sla/static/src/tours/*.js",
        ],
    },
}
