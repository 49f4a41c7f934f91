# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# Home action of each role, most specific group first
HOME_ACTIONS = (
    ("service_desk_cases.group_service_desk_user", "service_desk_cases.service_desk_case_action"),
    ("service_desk_cases.group_service_desk_requester", "service_desk_cases.service_desk_case_action_requests"),
)


class ResUsers(models.Model):
    _inherit = "res.users"

    service_desk_team_ids = fields.Many2many(
        "service.desk.team",
        "service_desk_team_member_rel",
        "user_id",
        "team_id",
        string="Service Desk Groups",
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._set_service_desk_home_action()
        return users

    def write(self, vals):
        res = super().write(vals)
        if any(key == "groups_id" or key.startswith(("in_group_", "sel_groups_")) for key in vals):
            self._set_service_desk_home_action()
        return res

    def _set_service_desk_home_action(self):
        """Users of a Service Desk role without a home action land in the
        Service Desk app after login (instead of Discuss)."""
        users = self.sudo().filtered(lambda u: not u.action_id and not u.share)
        for group_xmlid, action_xmlid in HOME_ACTIONS:
            if not users:
                return
            action = self.env.ref(action_xmlid, raise_if_not_found=False)
            if not action:
                continue
            members = users.filtered(lambda u, g=group_xmlid: u.has_group(g))
            if members:
                members.write({"action_id": action.id})
                users -= members
