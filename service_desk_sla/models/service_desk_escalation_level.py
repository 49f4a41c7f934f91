# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ServiceDeskEscalationLevel(models.Model):
    _name = "service.desk.escalation.level"
    _description = "Service Desk Escalation Level"
    _order = "policy_id, sequence, id"

    @api.model
    def _default_template(self):
        return self.env.ref("service_desk_sla.mail_template_sla_escalation", raise_if_not_found=False)

    name = fields.Char(translate=True)
    policy_id = fields.Many2one(
        "service.desk.sla.policy", string="Policy", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    delay_hours = fields.Float(
        string="Delay After Breach (h)",
        help="Hours after the deadline when this level goes out (0: at the breach).",
    )
    delay_type = fields.Selection(
        [("calendar", "Calendar hours"), ("working", "Working hours")],
        default="calendar",
        required=True,
    )
    notify_team_leader = fields.Boolean(string="Group Leader")
    notify_department_manager = fields.Boolean(string="Department Manager", help="Manager of the group's department.")
    notify_parent_department_manager = fields.Boolean(
        string="Parent Department Manager", help="Manager of the parent of the group's department."
    )
    user_ids = fields.Many2many("res.users", string="Other Recipients", domain=[("share", "=", False)])
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        default=lambda self: self._default_template(),
        domain=[("model", "=", "service.desk.case.sla")],
    )
    schedule_activity = fields.Boolean(help="Schedule a to-do activity on the case for the recipients.")
    raise_priority = fields.Boolean(help="Raise the priority of the case by one step.")
    escalate_next_line = fields.Boolean(
        string="Hand to the Next Line", help="Hand the case to a group of the next support line."
    )

    @api.constrains("delay_hours")
    def _check_delay(self):
        for level in self:
            if level.delay_hours < 0:
                raise ValidationError(
                    self.env._(
                        "Escalation level '%(level)s': the field '%(field)s' cannot be negative.",
                        level=level.display_name,
                        field=self._fields["delay_hours"].get_description(self.env)["string"],
                    )
                )

    @api.constrains("delay_hours", "sequence")
    def _check_policy_delays(self):
        self.policy_id._check_level_delays()

    def _compute_display_name(self):
        for level in self:
            level.display_name = level.name or self.env._("Level +%sh", level.delay_hours)

    def _delay_key(self):
        return self.delay_hours

    # ------------------------------------------------------------------
    # Business methods: when the level is due, who receives it
    # ------------------------------------------------------------------

    def _due_at(self, row, clocks):
        """When this level goes out for the breached SLA ``row``.

        ``clocks`` is the batch's :class:`~.sla_clock.SlaClocks` (working
        delays are planned on the row's calendar; calendar delays, or a
        calendar without working time, count wall-clock hours).
        """
        self.ensure_one()
        if self.delay_type == "working" and self.delay_hours:
            moment = clocks.get_clock(row.policy_id.calendar_id).plan(row.deadline, self.delay_hours)
            if moment:
                return moment
        return row.deadline + timedelta(hours=self.delay_hours)

    @api.model
    def _employee_partner(self, employee):
        return employee.user_id.partner_id or employee.work_contact_id

    def _recipients(self, case):
        """Partners this level notifies for ``case``, and the labels of the missing ones."""
        self.ensure_one()
        team = case.team_id
        department = team.department_id
        partners = self.env["res.partner"]
        missing = []
        if self.notify_team_leader:
            if team.leader_id:
                partners |= team.leader_id.partner_id
            else:
                missing.append(self.env._("group leader"))
        if self.notify_department_manager:
            manager = self._employee_partner(department.manager_id)
            if manager:
                partners |= manager
            else:
                missing.append(self.env._("department manager"))
        if self.notify_parent_department_manager:
            manager = self._employee_partner(department.parent_id.manager_id)
            if manager:
                partners |= manager
            else:
                missing.append(self.env._("parent department manager"))
        partners |= self.user_ids.partner_id
        return partners, missing
