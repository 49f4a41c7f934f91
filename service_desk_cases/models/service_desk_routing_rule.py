# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .service_desk_data import CHANNELS, PRIORITIES


class ServiceDeskRoutingRule(models.Model):
    """Routes new cases: the first active rule (by sequence) that matches wins.

    Empty conditions match anything; actions fill only the fields the
    creator of the case did not set.
    """

    _name = "service.desk.routing.rule"
    _description = "Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    # conditions
    partner_ids = fields.Many2many(
        "res.partner",
        "service_desk_routing_rule_partner_rel",
        string="Contacts",
        help="Requesters (or contacts of these companies) the rule applies to.",
    )
    channel = fields.Selection(CHANNELS, help="Empty: any channel.")
    keywords = fields.Char(help="Comma-separated words; the rule matches when the subject contains any of them.")
    condition_service_ids = fields.Many2many(
        "service.desk.service",
        "service_desk_routing_rule_cond_service_rel",
        string="When Service Is",
        help="Matches cases of these services or subservices (a service covers its subservices).",
    )
    # actions
    service_id = fields.Many2one("service.desk.service", string="Set Service", domain=[("parent_id", "=", False)])
    subservice_id = fields.Many2one(
        "service.desk.service",
        string="Set Subservice",
        domain="[('parent_id', '!=', False), ('parent_id', '=?', service_id)]",
    )
    team_id = fields.Many2one("service.desk.team", string="Set Group", check_company=True)
    user_id = fields.Many2one("res.users", string="Set Assignee", domain=[("share", "=", False)])
    priority = fields.Selection(PRIORITIES, string="Set Priority")
    tag_ids = fields.Many2many("service.desk.tag", string="Add Tags")

    @api.constrains("service_id", "subservice_id", "team_id", "user_id", "keywords")
    def _check_actions(self):
        for rule in self:
            if rule.subservice_id and rule.service_id and rule.subservice_id.parent_id != rule.service_id:
                raise ValidationError(
                    self.env._(
                        "Rule '%(rule)s': Set Subservice '%(sub)s' does not belong to Set Service '%(service)s'.",
                        rule=rule.name,
                        sub=rule.subservice_id.display_name,
                        service=rule.service_id.display_name,
                    )
                )
            if rule.user_id and rule.team_id and rule.user_id not in rule.team_id._get_staff():
                raise ValidationError(
                    self.env._(
                        "Rule '%(rule)s': Set Assignee '%(user)s' is not a member of Set Group '%(team)s'.",
                        rule=rule.name,
                        user=rule.user_id.display_name,
                        team=rule.team_id.display_name,
                    )
                )
            if rule.keywords and not rule._keyword_list():
                raise ValidationError(self.env._("Rule '%s': Keywords has no word in it.", rule.name))

    def _keyword_list(self):
        return [k.strip().lower() for k in (self.keywords or "").split(",") if k.strip()]

    def _matches(self, vals, partner):
        self.ensure_one()
        company_id = vals.get("company_id") or self.env.company.id
        if self.company_id and self.company_id.id != company_id:
            return False
        if self.channel and vals.get("channel", self.channel) != self.channel:
            return False
        if self.partner_ids and not (partner and (partner | partner.commercial_partner_id) & self.partner_ids):
            return False
        if self.keywords:
            subject = (vals.get("name") or "").lower()
            if not any(re.search(re.escape(k), subject) for k in self._keyword_list()):
                return False
        if self.condition_service_ids:
            ids = {vals.get("service_id"), vals.get("subservice_id")} - {None, False}
            if not ids & set(self.condition_service_ids.ids):
                return False
        return True

    def _apply(self, vals):
        """Fill the case values the creator left empty."""
        self.ensure_one()
        if self.subservice_id and not vals.get("subservice_id") and not vals.get("service_id"):
            vals["subservice_id"] = self.subservice_id.id
            vals["service_id"] = self.subservice_id.parent_id.id
        elif self.service_id and not vals.get("service_id"):
            vals["service_id"] = self.service_id.id
        if self.team_id and not vals.get("team_id"):
            vals["team_id"] = self.team_id.id
        if self.user_id and not vals.get("user_id"):
            vals["user_id"] = self.user_id.id
        if self.priority and not vals.get("priority"):
            vals["priority"] = self.priority
        if self.tag_ids:
            vals.setdefault("tag_ids", [])
            vals["tag_ids"] = list(vals["tag_ids"]) + [(4, tag.id) for tag in self.tag_ids]
