# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import ast

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.mail.tools.alias_error import AliasError

from .service_desk_data import OPEN_STATES


class ServiceDeskTeam(models.Model):
    _name = "service.desk.team"
    _description = "Responsible Group"
    _inherit = ["mail.alias.mixin", "mail.thread", "rating.parent.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True
    _rating_satisfaction_days = 90

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    line_id = fields.Many2one(
        "service.desk.line",
        string="Support Line",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env["service.desk.line"]._get_first_line(),
    )
    member_ids = fields.Many2many(
        "res.users",
        "service_desk_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
        check_company=True,
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Leader",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        check_company=True,
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Department",
        index=True,
        tracking=True,
        check_company=True,
        help="Place of the group in the org chart: its manager and the parent "
        "department's manager are the escalation recipients, and satisfaction "
        "rolls up to it.",
    )
    assignment_method = fields.Selection(
        [
            ("manual", "Manual"),
            ("round_robin", "Round robin"),
            ("balanced", "Balanced by open cases"),
        ],
        default="manual",
        required=True,
        tracking=True,
        help="How one engineer is chosen when several may take a case.",
    )
    member_see_all = fields.Boolean(
        string="Members See All Cases",
        help="Agents of this group can see every case of their companies, not "
        "only their groups' cases and the cases assigned to them.",
    )
    last_assigned_user_id = fields.Many2one(
        "res.users",
        compute="_compute_last_assigned_user_id",
        help="The engineer of the group's newest assigned case.",
    )
    service_ids = fields.Many2many(
        "service.desk.service",
        "service_desk_service_team_rel",
        "team_id",
        "service_id",
        string="Services",
    )
    open_case_count = fields.Integer(compute="_compute_case_counts", string="Open Cases")
    unassigned_case_count = fields.Integer(compute="_compute_case_counts", string="Unassigned")

    @api.depends_context("uid")
    def _compute_case_counts(self):
        Case = self.env["service.desk.case"]
        groups = Case._read_group(
            [("team_id", "in", self.ids), ("state", "in", OPEN_STATES)],
            ["team_id", "user_id"],
            ["__count"],
        )
        total, unassigned = {}, {}
        for team, user, count in groups:
            total[team.id] = total.get(team.id, 0) + count
            if not user:
                unassigned[team.id] = unassigned.get(team.id, 0) + count
        for team in self:
            team.open_case_count = total.get(team.id, 0)
            team.unassigned_case_count = unassigned.get(team.id, 0)

    def _compute_last_assigned_user_id(self):
        """Read from the cases, never written on the group: a group row that
        every assignment updated made two concurrent assignments a
        serialization failure. One query for all the groups, each through
        the newest cases first."""
        ids = [team_id for team_id in self._origin.ids if team_id]
        last = {}
        if ids:
            self.env["service.desk.case"].flush_model(["team_id", "user_id"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT team.id, newest.user_id
                      FROM unnest(%s::int[]) AS team(id)
                     CROSS JOIN LATERAL (
                            SELECT user_id FROM service_desk_case
                             WHERE team_id = team.id AND user_id IS NOT NULL
                             ORDER BY id DESC LIMIT 1
                           ) AS newest
                    """,
                    ids,
                )
            )
            last = dict(self.env.cr.fetchall())
        for team in self:
            team.last_assigned_user_id = last.get(team._origin.id, False)

    @api.constrains("leader_id", "member_ids")
    def _check_leader_internal(self):
        for team in self:
            if team.leader_id.share or any(team.member_ids.mapped("share")):
                raise ValidationError(self.env._("Group '%s': leader and members must be internal users.", team.name))

    def init(self):
        # the groups made before their turns had a sequence (module update)
        self.env.cr.execute(SQL("SELECT id FROM %s", SQL.identifier(self._table)))
        self.browse(row[0] for row in self.env.cr.fetchall())._create_round_robin_sequences()

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._create_round_robin_sequences()
        self.env.registry.clear_cache()  # record rules read the membership
        return teams

    def write(self, vals):
        res = super().write(vals)
        if {"member_ids", "member_see_all", "active", "company_id"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        ids = self.ids
        res = super().unlink()
        for team_id in ids:
            self.env.cr.execute(SQL("DROP SEQUENCE IF EXISTS %s", SQL.identifier(self._round_robin_sequence(team_id))))
        return res

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("service.desk.case").id
        if self.id:
            values["alias_defaults"] = defaults = ast.literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults["channel"] = "email"
        return values

    def _get_staff(self):
        """The users who may work on the cases of these groups: members and leaders."""
        return self.member_ids | self.leader_id

    @api.model
    def _round_robin_sequence(self, team_id):
        return f"service_desk_team_rr_{team_id}"

    def _create_round_robin_sequences(self):
        """Each group's turns: a PostgreSQL sequence of its own (DDL, so it
        follows the transaction that makes or drops the group)."""
        for team_id in self.ids:
            self.env.cr.execute(
                SQL("CREATE SEQUENCE IF NOT EXISTS %s", SQL.identifier(self._round_robin_sequence(team_id)))
            )

    @api.model
    def _round_robin_tickets(self, picks):
        """One turn per ``(team, candidates)`` pair that a round-robin group
        decides among several active candidates, else None: the next values
        of the groups' sequences, drawn in one query for a whole batch.

        ``nextval`` never waits for nor conflicts with a concurrent
        transaction, unlike a "last assigned" column that every assignment
        would update (the second of two concurrent ones was a serialization
        failure, retried by Odoo after a random pause). A turn drawn by a
        transaction that rolls back is skipped, as sequences do. A group
        without its sequence (not yet made by the module's update) falls
        back to the engineer after the last assigned one.
        """
        todo = [
            i
            for i, (team, candidates) in enumerate(picks)
            if team.assignment_method == "round_robin" and len(candidates.filtered("active")) > 1
        ]
        tickets = [None] * len(picks)
        if not todo:
            return tickets
        self.env.cr.execute(
            SQL(
                """
                SELECT CASE WHEN to_regclass(seq.name) IS NOT NULL THEN nextval(seq.name::regclass) END
                  FROM unnest(%s::text[]) WITH ORDINALITY AS seq(name, pos)
                 ORDER BY seq.pos
                """,
                [self._round_robin_sequence(picks[i][0].id) for i in todo],
            )
        )
        for i, (ticket,) in zip(todo, self.env.cr.fetchall(), strict=True):
            tickets[i] = ticket
        return tickets

    def _pick_assignee(self, candidates, loads=None, ticket=None):
        """Choose one user among ``candidates`` with the team's method.

        ``loads`` maps user ids to open case counts (read once per batch by
        the caller). ``ticket`` is the round-robin turn drawn for this pick
        (``_round_robin_tickets``, once per batch by the caller); without
        it, the turn is drawn here. Returns an empty recordset under the
        manual method when several engineers qualify.
        """
        self.ensure_one()
        candidates = candidates.filtered("active")
        if len(candidates) <= 1:
            return candidates
        if self.assignment_method == "round_robin":
            ordered = candidates.sorted("id")
            if ticket is None:
                ticket = self._round_robin_tickets([(self, candidates)])[0]
            if ticket is None:
                last = self.last_assigned_user_id
                return ordered.filtered(lambda u: u.id > last.id)[:1] or ordered[:1]
            return ordered[(ticket - 1) % len(ordered)]
        if self.assignment_method == "balanced":
            if loads is None:
                loads = self.env["service.desk.router"]._open_case_loads(candidates)
            return min(candidates.sorted("id"), key=lambda u: loads.get(u.id, 0))
        return self.env["res.users"]

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_desk_cases.service_desk_case_action")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action

    # ------------------------------------------------------------------
    # Data safety: archive instead of delete
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A group with cases, engineers, routing rules or services is archived, not deleted."""
        env = self.env
        uses = {team.id: [] for team in self}
        for model, field, label in (
            ("service.desk.case", "team_id", env._("cases")),
            ("service.desk.engineer", "team_id", env._("engineer directory entries")),
            ("service.desk.routing.rule", "team_id", env._("routing rules")),
            ("service.desk.service", "team_ids", env._("services")),
        ):
            Model = env[model].sudo().with_context(active_test=False)
            for team, count in Model._read_group([(field, "in", self.ids)], [field], ["__count"]):
                if team.id in uses:
                    uses[team.id].append(env._("%(label)s: %(count)s", label=label, count=count))
        in_use = {team_id: used for team_id, used in uses.items() if used}
        if in_use:
            # built apart: a call of _() nested in another is not extracted
            details = "; ".join(
                env._("%(group)s (%(uses)s)", group=self.browse(team_id).display_name, uses=", ".join(used))
                for team_id, used in in_use.items()
            )
            raise UserError(
                env._(
                    "Groups in use cannot be deleted, archive them instead (their cases stay visible "
                    "to their members): %s",
                    details,
                )
            )

    def _alias_get_error(self, message, message_dict, alias):
        """Mail to an archived group's alias bounces with an explanation: no hidden case."""
        if self and not all(self.with_context(active_test=False).mapped("active")):
            return AliasError(
                "config_archived_group",
                self.env._("the group %s is archived", self.display_name),
                is_config_error=False,
            )
        return super()._alias_get_error(message, message_dict, alias)
