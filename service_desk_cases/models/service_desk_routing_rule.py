# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from .service_desk_data import CHANNELS, PRIORITIES


class ServiceDeskRoutingRule(models.Model):
    """Routes new cases: the first active rule (by sequence) that matches wins.

    Empty conditions match anything; actions fill only the fields the
    creator of the case did not set.
    """

    _name = "service.desk.routing.rule"
    _inherit = ["service.desk.cached.mixin"]  # _get_routing_data
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

    # ------------------------------------------------------------------
    # CRUD: the routing reads the active rules from a per-process cache
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    @tools.ormcache()
    def _get_routing_data(self):
        """The active rules, in order, as plain values (read once per process;
        cleared when a rule, or a service's parent or active flag, changes).

        Contacts and tags are kept with their archived ones: the matching and
        the tags added read the active ones when a rule has some.
        """
        rules = self.sudo().with_context(active_test=True).search([])
        return tuple(rule._routing_values() for rule in rules)

    def _routing_values(self):
        self.ensure_one()
        rule = self.with_context(active_test=False)
        return {
            "id": rule.id,
            "company_id": rule.company_id.id,
            "channel": rule.channel or False,
            "partner_ids": frozenset(rule.partner_ids.ids),
            "keywords": tuple(rule._keyword_list()),
            "condition_service_ids": frozenset(self.with_context(active_test=True).condition_service_ids.ids),
            "service_id": rule.service_id.id,
            "subservice_id": rule.subservice_id.id,
            "subservice_parent_id": rule.subservice_id.parent_id.id,
            "team_id": rule.team_id.id,
            "user_id": rule.user_id.id,
            "priority": rule.priority or False,
            "tag_ids": tuple(rule.tag_ids.ids),
        }

    @api.model
    def _route_values(self, vals, partner, routing_data=None):
        """Apply the first matching rule of ``routing_data`` (default: the
        cached active rules) to ``vals``; return its id or None."""
        for data in self._get_routing_data() if routing_data is None else routing_data:
            if self._data_matches(data, vals, partner):
                self._data_apply(data, vals)
                return data["id"]
        return None

    @api.model
    def _data_matches(self, data, vals, partner):
        company_id = vals.get("company_id") or self.env.company.id
        if data["company_id"] and data["company_id"] != company_id:
            return False
        if data["channel"] and vals.get("channel", data["channel"]) != data["channel"]:
            return False
        if data["partner_ids"]:
            # the rule's active contacts, as rule.partner_ids gives them (one
            # query, only for the rules with contacts); a rule whose contacts
            # are all archived matches nobody, not everybody
            rule_partners = self.env["res.partner"].sudo().search([("id", "in", list(data["partner_ids"]))])
            if not (partner and (partner | partner.commercial_partner_id) & rule_partners):
                return False
        if data["keywords"]:
            subject = (vals.get("name") or "").lower()
            if not any(re.search(re.escape(k), subject) for k in data["keywords"]):
                return False
        if data["condition_service_ids"]:
            ids = {vals.get("service_id"), vals.get("subservice_id")} - {None, False}
            if not ids & data["condition_service_ids"]:
                return False
        return True

    @api.model
    def _data_apply(self, data, vals):
        if data["subservice_id"] and not vals.get("subservice_id") and not vals.get("service_id"):
            vals["subservice_id"] = data["subservice_id"]
            vals["service_id"] = data["subservice_parent_id"]
        elif data["service_id"] and not vals.get("service_id"):
            vals["service_id"] = data["service_id"]
        if data["team_id"] and not vals.get("team_id"):
            vals["team_id"] = data["team_id"]
        if data["user_id"] and not vals.get("user_id"):
            vals["user_id"] = data["user_id"]
        if data["priority"] and not vals.get("priority"):
            vals["priority"] = data["priority"]
        if data["tag_ids"]:
            # archived or deleted tags are not added (as rule.tag_ids)
            tags = self.env["service.desk.tag"].sudo().search([("id", "in", data["tag_ids"])])
            if tags:
                vals.setdefault("tag_ids", [])
                vals["tag_ids"] = list(vals["tag_ids"]) + [(4, tag.id) for tag in tags]

    def _keyword_list(self):
        return [k.strip().lower() for k in (self.keywords or "").split(",") if k.strip()]

    def _matches(self, vals, partner):
        self.ensure_one()
        return self._data_matches(self._routing_values(), vals, partner)

    def _apply(self, vals):
        """Fill the case values the creator left empty."""
        self.ensure_one()
        self._data_apply(self._routing_values(), vals)
