# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Service Desk: Cases",
    "summary": "Service catalog, support lines, responsible groups and cases "
    "from phone, email, portal and API",
    "version": "18.0.1.0.0",
    "category": "Services/Service Desk",
    "website": "https://github.com/service-desk/service-desk",
    "author": "Service Desk contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "portal", "rating", "hr"],
    "data": [],
    "demo": [],
}
