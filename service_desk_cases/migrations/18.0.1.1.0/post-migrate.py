# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Rating requests now follow the stage's rating template: give it to the
    stages of state Resolved (which asked for a rating before), as new
    databases get it on the default Resolved stage (noupdate data)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref("service_desk_cases.mail_template_case_rating", raise_if_not_found=False)
    if not template:
        return
    stages = (
        env["service.desk.stage"]
        .with_context(active_test=False)
        .search([("state", "=", "resolved"), ("rating_template_id", "=", False)])
    )
    stages.write({"rating_template_id": template.id})
