# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import namedtuple

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.service_desk_cases.models.service_desk_data import PRIORITIES

TARGET_FIELDS = {"take": "take_hours", "response": "response_hours", "resolve": "resolve_hours"}

# What a running SLA clock reads of its policy (see ``_clock_settings``).
ClockSettings = namedtuple("ClockSettings", ["calendar_id", "target_hours", "warning_percent", "pause_stage_ids"])


class ServiceDeskSlaPolicy(models.Model):
    _name = "service.desk.sla.policy"
    _description = "Service Desk SLA Policy"
    _inherit = ["mail.thread", "service.desk.cached.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    @api.model
    def _default_calendar(self):
        return self.env.company.resource_calendar_id

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10, index=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", string="Company", index=True, default=lambda self: self.env.company)
    service_ids = fields.Many2many(
        "service.desk.service",
        string="Services",
        check_company=True,
        help="Services (and their subservices) this policy applies to. Empty means any.",
    )
    team_ids = fields.Many2many("service.desk.team", string="Groups", check_company=True, help="Empty means any group.")
    priority = fields.Char(
        string="Priorities",
        help="Comma-separated priorities this policy applies to (0 Low, 1 Normal, 2 High, 3 Urgent). Empty means any.",
    )
    requester_type = fields.Selection(
        [("external", "External"), ("internal", "Internal")], help="Empty means any requester."
    )
    partner_category_ids = fields.Many2many("res.partner.category", string="Contact Tags", help="Empty means any tag.")
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain=[("is_company", "=", True)],
        help="Customer companies this policy applies to. Empty means any.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self._default_calendar(),
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="Working hours, time zone and public holidays the targets are counted in.",
    )
    calendar_tz = fields.Selection(related="calendar_id.tz", string="Time Zone")
    take_hours = fields.Float(string="Take Into Work", default=4.0, tracking=True, help="Target in working hours.")
    response_hours = fields.Float(string="First Response", default=8.0, tracking=True, help="Target in working hours.")
    resolve_hours = fields.Float(string="Resolution", default=40.0, tracking=True, help="Target in working hours.")
    pause_stage_ids = fields.Many2many(
        "service.desk.stage",
        string="Pausing Stages",
        help="The clock stops in these stages and resumes with the time that was left.",
    )
    warning_percent = fields.Integer(
        string="Warning At (%)",
        default=80,
        help="Share of a target after which the case is at risk and its assignee is "
        "warned once. 0 disables the warning.",
    )
    escalation_level_ids = fields.One2many(
        "service.desk.escalation.level", "policy_id", string="Escalation Levels", copy=True
    )
    case_count = fields.Integer(compute="_compute_case_count", string="Cases")

    def _compute_case_count(self):
        groups = self.env["service.desk.case"]._read_group(
            [("sla_policy_id", "in", self.ids)], ["sla_policy_id"], ["__count"]
        )
        counts = {policy.id: count for policy, count in groups}
        for policy in self:
            policy.case_count = counts.get(policy.id, 0)

    def _field_label(self, name):
        return self._fields[name].get_description(self.env)["string"]

    @api.constrains("calendar_id")
    def _check_calendar(self):
        for policy in self:
            label = self._field_label("calendar_id")
            if not policy.calendar_id:
                raise ValidationError(
                    self.env._("SLA policy '%(policy)s': set the field '%(field)s'.", policy=policy.name, field=label)
                )
            if not policy.calendar_id.attendance_ids.filtered(lambda a: a.day_period != "lunch"):
                raise ValidationError(
                    self.env._(
                        "SLA policy '%(policy)s': the %(field)s '%(calendar)s' has no working hours.",
                        policy=policy.name,
                        field=label,
                        calendar=policy.calendar_id.display_name,
                    )
                )

    @api.constrains("take_hours", "response_hours", "resolve_hours", "warning_percent")
    def _check_targets(self):
        for policy in self:
            for name in TARGET_FIELDS.values():
                if policy[name] <= 0:
                    raise ValidationError(
                        self.env._(
                            "SLA policy '%(policy)s': the field '%(field)s' must be a positive "
                            "number of working hours.",
                            policy=policy.name,
                            field=self._field_label(name),
                        )
                    )
            if not 0 <= policy.warning_percent < 100:
                raise ValidationError(
                    self.env._(
                        "SLA policy '%(policy)s': the field '%(field)s' must be between 0 and 99.",
                        policy=policy.name,
                        field=self._field_label("warning_percent"),
                    )
                )

    @api.constrains("priority")
    def _check_priority(self):
        allowed = {key for key, _label in PRIORITIES}
        for policy in self:
            if not set(policy._priority_list()) <= allowed:
                raise ValidationError(
                    self.env._(
                        "SLA policy '%(policy)s': the field '%(field)s' takes values among %(allowed)s.",
                        policy=policy.name,
                        field=self._field_label("priority"),
                        allowed=", ".join(sorted(allowed)),
                    )
                )

    @api.constrains("escalation_level_ids")
    def _check_level_delays(self):
        for policy in self:
            previous = None
            for level in policy.escalation_level_ids.sorted(lambda lv: (lv.sequence, lv.id)):
                if previous is not None and level._delay_key() < previous._delay_key():
                    raise ValidationError(
                        self.env._(
                            "SLA policy '%(policy)s': the field '%(field)s' of the escalation levels "
                            "must not decrease (%(prev)s h, then %(next)s h).",
                            policy=policy.name,
                            field=level._fields["delay_hours"].get_description(self.env)["string"],
                            prev=previous.delay_hours,
                            next=level.delay_hours,
                        )
                    )
                previous = level

    def _priority_list(self):
        self.ensure_one()
        return [p.strip() for p in (self.priority or "").split(",") if p.strip()]

    def _target_hours(self, target):
        self.ensure_one()
        return self[TARGET_FIELDS[target]]

    def _criteria(self):
        """What this policy matches, as plain values (see ``_matches``)."""
        self.ensure_one()
        return (
            self.id,
            self.company_id.id,
            frozenset(self.service_ids.ids),
            frozenset(self.team_ids.ids),
            frozenset(self._priority_list()),
            self.requester_type or False,
            frozenset(self.partner_category_ids.ids),
            frozenset(self.partner_ids.ids),
        )

    @api.model
    @tools.ormcache("company_ids")
    def _criteria_of_companies(self, company_ids):
        """Criteria of the active policies of ``company_ids`` (and shared ones), by sequence.

        Cached: every case creation selects a policy; any change of a policy
        clears the cache (see ``create``, ``write``, ``unlink``).
        """
        Policy = self.sudo().with_context(active_test=True)
        return tuple(policy._criteria() for policy in Policy.search([("company_id", "in", [*company_ids, False])]))

    @api.model
    def _criteria_match(self, criteria, case):
        """Whether ``criteria`` (of ``_criteria``) apply to ``case``; empty criteria match anything."""
        _id, company_id, service_ids, team_ids, priorities, requester_type, category_ids, partner_ids = criteria
        if company_id and company_id != case.company_id.id:
            return False
        if service_ids and not service_ids & set((case.service_id | case.subservice_id).ids):
            return False
        if team_ids and case.team_id.id not in team_ids:
            return False
        if priorities and case.priority not in priorities:
            return False
        if requester_type and case.requester_type != requester_type:
            return False
        if category_ids:
            # read only when a policy has tags (two queries per new case otherwise)
            partner = case.partner_id
            categories = partner.category_id | partner.commercial_partner_id.category_id
            if not category_ids & set(categories.ids):
                return False
        return not partner_ids or case.commercial_partner_id.id in partner_ids

    def _matches(self, case):
        """Whether this policy applies to ``case`` (empty criteria match anything)."""
        self.ensure_one()
        return self._criteria_match(self._criteria(), case)

    @api.model
    @tools.ormcache("policy_id")
    def _clock_settings(self, policy_id):
        """What starting or planning a clock reads of the policy ``policy_id``:
        its calendar id, ``{target: hours}``, the warning share and the ids of
        its (active) pausing stages.

        Cached per process like ``_criteria_of_companies``: any change of a
        policy clears it (see ``create``, ``write``, ``unlink``), and so does
        archiving or deleting a stage (``service.desk.stage``).
        """
        policy = self.sudo().browse(policy_id)
        return ClockSettings(
            policy.calendar_id.id,
            {target: policy[name] for target, name in TARGET_FIELDS.items()},
            policy.warning_percent,
            frozenset(policy.pause_stage_ids.ids),
        )

    @api.model
    def _select_for_cases(self, cases):
        """The first matching policy of each case, by sequence: ``{case id: policy}``."""
        criteria = self._criteria_of_companies(tuple(sorted(set(cases.company_id.ids))))
        Policy = self.sudo()
        return {
            case.id: next((Policy.browse(c[0]) for c in criteria if self._criteria_match(c, case)), Policy)
            for case in cases
        }

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_desk_cases.service_desk_case_action")
        action["domain"] = [("sla_policy_id", "=", self.id)]
        action["context"] = {}
        return action
