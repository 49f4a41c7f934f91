# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class ServiceDeskEngineer(models.Model):
    _name = "service.desk.engineer"
    _inherit = ["service.desk.cached.mixin"]  # _get_directory
    _description = "Service Engineer"
    _order = "sequence, id"
    _rec_name = "user_id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users",
        string="Engineer",
        required=True,
        index=True,
        domain=[("share", "=", False)],
        ondelete="cascade",
    )
    service_id = fields.Many2one(
        "service.desk.service",
        string="Service or Subservice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    team_id = fields.Many2one(
        "service.desk.team",
        string="Group",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('member_ids', 'in', [user_id])]",
    )
    line_id = fields.Many2one(related="team_id.line_id", store=True, index=True, string="Line")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    _sql_constraints = [
        (
            "engineer_uniq",
            "unique (user_id, service_id, team_id)",
            "This engineer already serves this service in this group.",
        ),
    ]

    @api.constrains("user_id", "team_id", "service_id")
    def _check_member(self):
        for eng in self:
            if eng.user_id not in eng.team_id._get_staff():
                raise ValidationError(
                    self.env._(
                        "Engineer %(user)s is not a member of the group %(team)s.",
                        user=eng.user_id.display_name,
                        team=eng.team_id.display_name,
                    )
                )
            allowed = eng.service_id.with_context(active_test=False)._get_allowed_teams(eng.company_id)
            if eng.team_id not in allowed:
                raise ValidationError(
                    self.env._(
                        "The group %(team)s is not allowed for %(service)s.",
                        team=eng.team_id.display_name,
                        service=eng.service_id.display_name,
                    )
                )

    @api.model
    @tools.ormcache()
    def _get_directory(self):
        """The active directory as ``{service id: ((group id, user id), ...)}``,
        in the directory's order: read once per process, cleared when an
        entry, a service (deleted) or a user (deleted) changes."""
        directory = {}
        engineers = self.sudo().with_context(active_test=True).search_fetch([], ["service_id", "team_id", "user_id"])
        for eng in engineers:
            directory.setdefault(eng.service_id.id, []).append((eng.team_id.id, eng.user_id.id))
        return {service_id: tuple(entries) for service_id, entries in directory.items()}
