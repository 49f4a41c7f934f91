# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Service Desk load-test probe",
    "summary": "Counts each request's read queries in Odoo's request log (make loadtest only)",
    "version": "18.0.1.0.0",
    "category": "Hidden",
    "license": "LGPL-3",
    "author": "Service Desk contributors",
    "website": "https://github.com/service-desk/service-desk",
    "depends": ["base"],
    # a server-wide module of the load test's server, never installed
    "installable": False,
    "post_load": "post_load",
}
