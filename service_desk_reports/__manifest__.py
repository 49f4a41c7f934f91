# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Service Desk: Reports",
    "summary": "Case analysis, SLA compliance, satisfaction by department and the Service Desk dashboard",
    "version": "18.0.1.2.0",
    "category": "Services/Service Desk",
    "website": "https://github.com/service-desk/service-desk",
    "author": "Service Desk contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["service_desk_cases", "service_desk_sla", "spreadsheet_dashboard"],
    "data": [
        "security/service_desk_reports_security.xml",
        "security/ir.model.access.csv",
        "data/service_desk_dashboard_data.xml",
        "data/ir_cron_data.xml",
        "report/service_desk_case_report_views.xml",
        "report/service_desk_sla_report_views.xml",
        "report/service_desk_rating_report_views.xml",
        "report/service_desk_backlog_report_views.xml",
        "views/service_desk_reports_menus.xml",
    ],
    "demo": [],
    "assets": {
        # the pivot and graph views are loaded on demand in 18.0
        "web.assets_backend_lazy": [
            "service_desk_reports/static/src/views/*.js",
        ],
        "spreadsheet.o_spreadsheet": [
            "service_desk_reports/static/src/dashboard/*.js",
        ],
        "web.assets_tests": [
            "service_desk_reports/static/tests/tours/*.js",
        ],
    },
}
