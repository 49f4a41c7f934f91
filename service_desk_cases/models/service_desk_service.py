# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceDeskService(models.Model):
    _name = "service.desk.service"
    _description = "Service"
    _inherit = ["mail.thread"]
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    code = fields.Char(index=True, tracking=True)
    description = fields.Html(translate=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", string="Company", index=True, default=lambda self: self.env.company)
    parent_id = fields.Many2one(
        "service.desk.service",
        string="Parent Service",
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("service.desk.service", "parent_id", string="Subservices")
    is_subservice = fields.Boolean(compute="_compute_is_subservice", store=True)
    line_id = fields.Many2one(
        "service.desk.line",
        string="Default Line",
        index=True,
        help="Support line that handles this service's cases by default.",
    )
    team_ids = fields.Many2many(
        "service.desk.team",
        "service_desk_service_team_rel",
        "service_id",
        "team_id",
        string="Responsible Groups",
        check_company=True,
        help="Groups allowed to handle this service's cases. On a subservice, "
        "these restrict the group dropdown; when empty, the service's apply.",
    )
    engineer_ids = fields.One2many("service.desk.engineer", "service_id", string="Engineers")
    case_count = fields.Integer(compute="_compute_case_count", string="Cases")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "The service code must be unique per company.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for service in self:
            if service.parent_id:
                service.complete_name = f"{service.parent_id.complete_name} / {service.name}"
            else:
                service.complete_name = service.name

    @api.depends("parent_id")
    def _compute_is_subservice(self):
        for service in self:
            service.is_subservice = bool(service.parent_id)

    def _compute_case_count(self):
        Case = self.env["service.desk.case"]
        by_service = dict(Case._read_group([("service_id", "in", self.ids)], ["service_id"], ["__count"]))
        by_sub = dict(Case._read_group([("subservice_id", "in", self.ids)], ["subservice_id"], ["__count"]))
        for service in self:
            service.case_count = by_service.get(service, 0) + by_sub.get(service, 0)

    @api.constrains("parent_id")
    def _check_depth(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A service cannot be its own parent."))
        for service in self:
            if service.parent_id.parent_id:
                raise ValidationError(
                    self.env._(
                        "Service catalog has two levels: '%(name)s' cannot be a "
                        "subservice of the subservice '%(parent)s'.",
                        name=service.name,
                        parent=service.parent_id.name,
                    )
                )
            if service.parent_id and service.child_ids:
                raise ValidationError(
                    self.env._(
                        "'%(name)s' has subservices and cannot become a subservice itself.",
                        name=service.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A service with cases is archived, not deleted (it stays on its cases)."""
        Case = self.env["service.desk.case"].sudo().with_context(active_test=False)
        counts = dict.fromkeys(self, 0)
        for field in ("service_id", "subservice_id"):
            for service, count in Case._read_group([(field, "in", self.ids)], [field], ["__count"]):
                counts[service] += count
        in_use = [(service, count) for service, count in counts.items() if count]
        if in_use:
            # built apart: a call of _() nested in another is not extracted
            details = ", ".join(
                self.env._("%(service)s (cases: %(count)s)", service=service.display_name, count=count)
                for service, count in in_use
            )
            raise UserError(
                self.env._(
                    "Services with cases cannot be deleted, archive them instead "
                    "(they stay on their cases and disappear from the dropdowns): %s",
                    details,
                )
            )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("active") is False:
            # archiving a service archives its subservices with it
            children = self.child_ids.filtered("active")
            if children:
                children.write({"active": False})
        if {"parent_id", "active"} & set(vals):
            # the routing rules' cache (service.desk.routing.rule._get_routing_data)
            # holds subservices' parents and the active services of conditions
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # the routing rules' and the directory's caches
        return res

    def _get_allowed_teams(self, company=None):
        """Groups allowed to handle this (sub)service.

        Its own groups, else its parent service's; when the catalog does not
        restrict (or for no service at all: an empty recordset), every active
        group of ``company`` (default: the service's, else the current one).
        With ``active_test=False`` in the context, archived groups count too.
        """
        if len(self) > 1:
            self.ensure_one()
        # the service's and its parent's groups in one query (with those of
        # the other services being read alongside)
        (self | self.parent_id).mapped("team_ids")
        teams = self.team_ids or self.parent_id.team_ids
        if teams:
            return teams
        company = company or self.company_id or self.env.company
        return self.env["service.desk.team"].search([("company_id", "=", company.id)])

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_desk_cases.service_desk_case_action")
        action["domain"] = ["|", ("service_id", "=", self.id), ("subservice_id", "=", self.id)]
        action["context"] = {"default_service_id": (self.parent_id or self).id}
        return action
