# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    service_desk_team_ids = fields.One2many("service.desk.team", "department_id", string="Service Desk Groups")
    service_desk_rating_avg = fields.Float(
        string="Case Satisfaction",
        compute="_compute_service_desk_rating",
        help="Average rating of the cases of this department's groups and of its sub-departments' groups.",
    )
    service_desk_rating_count = fields.Integer(compute="_compute_service_desk_rating", string="Case Ratings")

    def _compute_service_desk_rating(self):
        departments = self.search([("id", "child_of", self.ids)])
        teams = self.env["service.desk.team"].sudo().search([("department_id", "in", departments.ids)])
        groups = (
            self.env["rating.rating"]
            .sudo()
            ._read_group(
                [
                    ("parent_res_model", "=", "service.desk.team"),
                    ("parent_res_id", "in", teams.ids),
                    ("consumed", "=", True),
                    ("rating", ">", 0),
                ],
                ["parent_res_id"],
                ["rating:sum", "__count"],
            )
        )
        by_team = {team_id: (total, count) for team_id, total, count in groups}
        for dept in self:
            sub_teams = teams.filtered(lambda t, d=dept: t.department_id.parent_path.startswith(d.parent_path))
            total = sum(by_team.get(t.id, (0, 0))[0] for t in sub_teams)
            count = sum(by_team.get(t.id, (0, 0))[1] for t in sub_teams)
            dept.service_desk_rating_avg = total / count if count else 0.0
            dept.service_desk_rating_count = count
