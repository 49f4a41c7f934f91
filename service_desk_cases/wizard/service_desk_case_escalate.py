# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.service_desk_data import OPEN_STATES


class ServiceDeskCaseEscalate(models.TransientModel):
    _name = "service.desk.case.escalate"
    _description = "Escalate Cases to the Next Line"

    case_ids = fields.Many2many("service.desk.case", string="Cases", required=True)
    allowed_team_ids = fields.Many2many(
        "service.desk.team",
        compute="_compute_allowed_team_ids",
        string="Allowed Groups",
        help="Groups of the later support lines allowed for the (sub)service of every selected case.",
    )
    team_id = fields.Many2one(
        "service.desk.team",
        string="Group of the Next Line",
        domain="[('id', 'in', allowed_team_ids)]",
        help="Leave empty to pick the first allowed group of the next line that has one.",
    )
    reason = fields.Text(required=True)

    @api.depends("case_ids")
    def _compute_allowed_team_ids(self):
        for wizard in self:
            teams = None
            for case in wizard.case_ids:
                targets = self._get_target_teams(case)
                teams = targets if teams is None else teams & targets
            wizard.allowed_team_ids = teams or False

    # ------------------------------------------------------------------
    # Business methods, also used by service.desk.case
    # ------------------------------------------------------------------

    @api.model
    def _get_target_teams(self, case, memo=None):
        """Groups that may take ``case`` over: active groups of the case's
        company on a line after the case's line, allowed for its
        (sub)service, in the order of the lines (nearest first). ``memo``
        (a dict) keeps the later lines of each line across a batch."""
        Team = self.env["service.desk.team"].sudo()
        case = case.sudo()
        line = case.team_id.line_id or self.env["service.desk.line"].sudo()._get_first_line()
        if not line:
            return Team
        memo = {} if memo is None else memo
        if line.id not in memo:
            memo[line.id] = (
                self.env["service.desk.line"]
                .sudo()
                .search(
                    ["|", ("sequence", ">", line.sequence), "&", ("sequence", "=", line.sequence), ("id", ">", line.id)]
                )
            )
        later = memo[line.id]
        service = (case.subservice_id or case.service_id).sudo()
        allowed = service._get_allowed_teams(company=case.company_id)
        allowed = allowed.filtered(lambda t: t.active and t.company_id == case.company_id and t.line_id in later)
        return allowed.sorted(lambda t: (t.line_id.sequence, t.line_id.id, t.sequence, t.id))

    @api.model
    def _check_escalation_rights(self, cases):
        """Only staff of a case's current group (or supervisors) hand it on,
        and only while the case is open.

        Raises AccessError on cases the user cannot see or change.
        """
        cases.check_access("write")
        finished = cases.sudo().filtered(lambda c: c.state not in OPEN_STATES)
        if finished:
            raise UserError(
                self.env._(
                    "Only open cases can be escalated: %s is finished.",
                    ", ".join(finished.mapped("display_name")),
                )
            )
        if self.env.su or self.env.user.has_group("service_desk_cases.group_service_desk_supervisor"):
            return
        user = self.env.user
        for case in cases.sudo():
            team = case.team_id
            if team and user not in team._get_staff():
                raise AccessError(
                    self.env._(
                        "You cannot escalate %(case)s: only members and the leader of its group %(team)s can.",
                        case=case.display_name,
                        team=team.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Reason: say why the case goes to the next line."))
        # The cases as chosen, including those the user may not see: they
        # must raise, not be skipped silently.
        cases = self.env["service.desk.case"].browse(self.sudo().case_ids.ids)
        if not cases:
            raise UserError(self.env._("Cases: choose the cases to escalate."))
        self._check_escalation_rights(cases)
        team = self.team_id
        done = cases._escalate_to_next_line(reason, team=team or None)
        missing = cases - done
        if missing:
            raise UserError(
                self.env._(
                    "No group of a later support line can take %s: it is on the last line, "
                    "or no later line has a group allowed for its service.",
                    ", ".join(missing.sudo().mapped("display_name")),
                )
            )
        visible = cases.search([("id", "in", cases.ids)])
        if visible == cases:
            next_action = {"type": "ir.actions.client", "tag": "soft_reload"}
        else:
            next_action = self.env["ir.actions.act_window"]._for_xml_id("service_desk_cases.service_desk_case_action")
        names = ", ".join(cases.sudo().mapped("display_name"))
        teams = ", ".join(cases.sudo().team_id.mapped("display_name"))
        if visible == cases:
            message = self.env._("%(cases)s escalated to %(teams)s.", cases=names, teams=teams)
        else:
            message = self.env._(
                "%(cases)s escalated to %(teams)s. You no longer see it: the next line has it now.",
                cases=names,
                teams=teams,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Escalated"),
                "message": message,
                "type": "success",
                "sticky": False,
                "next": next_action,
            },
        }
