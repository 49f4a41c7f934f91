# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Service Desk: Cases",
    "summary": "Service catalog, support lines, responsible groups and cases from phone, email, portal and API",
    "version": "18.0.1.1.0",
    "category": "Services/Service Desk",
    "website": "https://github.com/service-desk/service-desk",
    "author": "Service Desk contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "portal", "rating", "hr"],
    "data": [
        "security/service_desk_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/service_desk_data.xml",
        "views/service_desk_case_views.xml",
        "views/service_desk_service_views.xml",
        "views/service_desk_team_views.xml",
        "views/service_desk_config_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/service_desk_phone_call_views.xml",
        "wizard/service_desk_case_escalate_views.xml",
        "views/service_desk_portal_templates.xml",
        "views/service_desk_menus.xml",
    ],
    "demo": ["demo/service_desk_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "service_desk_cases/static/src/fields/*",
        ],
        "web.assets_frontend": [
            "service_desk_cases/static/src/js/portal_case_form.js",
        ],
        "web.assets_tests": [
            "service_desk_cases/static/src/tours/*.js",
        ],
    },
}
