# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from .mail_template import COMPILED_RENDERING_KEY
from .mail_thread import REOPEN_DAYS_DEFAULT, REOPEN_DAYS_PARAM
from .service_desk_data import (
    CHANNELS,
    DONE_STATES,
    HANDLED_STATES,
    OPEN_STATES,
    PRIORITIES,
    PRIORITY_DEFAULT,
    RATING_LIMIT_DISSATISFIED,
    REQUESTER_TYPES,
)

_logger = logging.getLogger(__name__)

# Fields whose consistency is checked together (dependent dropdowns).
CATALOG_FIELDS = ("service_id", "subservice_id", "team_id", "user_id")
# What the group's new-case email takes from its template.
TEAM_MAIL_FIELDS = ("subject", "body_html", "email_from", "reply_to", "auto_delete", "mail_server_id")
# The fields of that email which are the email's own, not its message's.
TEAM_MAIL_OWN_FIELDS = ("body_html", "recipient_ids", "auto_delete")
# What the requester's "taken" message takes from its template (as the
# composer posts a template on one record).
TAKEN_MAIL_FIELDS = ("subject", "body_html", "email_from", "partner_to", "email_to", "email_cc", "scheduled_date")


class ServiceDeskCase(models.Model):
    _name = "service.desk.case"
    _description = "Service Desk Case"
    _inherit = [
        "mail.thread.cc",
        "mail.activity.mixin",
        "portal.mixin",
        "rating.mixin",
    ]
    _order = "priority desc, id desc"
    _primary_email = "email_from"
    _check_company_auto = True
    _mail_post_access = "read"

    @api.model
    def _default_stage(self):
        return self.env["service.desk.stage"]._get_stage_for_state("new")

    @api.model
    def _default_channel(self):
        if self.env.user.has_group("service_desk_cases.group_service_desk_user"):
            return "api" if self.env.context.get("sd_api") else "web"
        if self.env.user._is_internal():
            return "internal"
        return "portal"

    name = fields.Char(string="Subject", required=True, tracking=True)
    number = fields.Char(
        string="Number",
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self.env._("New"),
    )
    description = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one("res.partner", string="Requester", index=True, tracking=True, check_company=True)
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        precompute=True,
        index=True,
    )
    email_from = fields.Char(
        string="Email", compute="_compute_email_from", store=True, precompute=True, readonly=False, index="trigram"
    )
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    requester_type = fields.Selection(
        REQUESTER_TYPES,
        compute="_compute_requester_type",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
        help="Internal when the requester is an employee or an internal user.",
    )
    channel = fields.Selection(CHANNELS, required=True, default=lambda self: self._default_channel(), index=True)
    service_id = fields.Many2one(
        "service.desk.service",
        string="Service",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    subservice_id = fields.Many2one(
        "service.desk.service",
        string="Subservice",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '!=', False), ('parent_id', '=?', service_id)]",
    )
    line_id = fields.Many2one(
        "service.desk.line",
        string="Line",
        related="team_id.line_id",
        store=True,
        precompute=True,
        index=True,
    )
    team_id = fields.Many2one(
        "service.desk.team",
        string="Group",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('id', 'in', allowed_team_ids)]",
    )
    allowed_team_ids = fields.Many2many(
        "service.desk.team", compute="_compute_allowed_team_ids", string="Allowed Groups"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assignee",
        index=True,
        tracking=True,
        domain="[('id', 'in', allowed_user_ids)]",
    )
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids", string="Allowed Assignees")
    stage_id = fields.Many2one(
        "service.desk.stage",
        string="Stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        default=lambda self: self._default_stage(),
        group_expand="_read_group_stage_ids",
    )
    state = fields.Selection(related="stage_id.state", store=True, precompute=True, index=True, string="Status")
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    priority = fields.Selection(PRIORITIES, default=PRIORITY_DEFAULT, required=True, index=True, tracking=True)
    tag_ids = fields.Many2many("service.desk.tag", string="Tags")
    color = fields.Integer()
    date_taken = fields.Datetime(string="Taken On", readonly=True, copy=False, index="btree_not_null")
    date_first_response = fields.Datetime(string="First Response On", readonly=True, copy=False, index="btree_not_null")
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False, index="btree_not_null")
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False, index="btree_not_null")
    date_last_stage_update = fields.Datetime(
        string="Last Stage Update", readonly=True, copy=False, default=fields.Datetime.now
    )
    reopen_count = fields.Integer(readonly=True, copy=False, aggregator="sum")
    # portal.mixin's token, made with the case: the first email or portal
    # link then writes nothing on the case (two requests notifying about a
    # new case both wrote it: a serialization failure), and the portal page
    # stays read-only
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))
    can_take = fields.Boolean(
        compute="_compute_can_take", help="Whether the current user may take the case (button Take)."
    )
    can_escalate = fields.Boolean(
        compute="_compute_can_escalate",
        help="Whether the current user may hand the case on to a later support line (button Escalate).",
    )

    # computed before the INSERT (0 for a new case), as the other stored
    # computes of a new case: no UPDATE of the row right after it
    rating_last_value = fields.Float(compute="_compute_rating_last_value", store=True, precompute=True)

    _sql_constraints = [
        (
            "number_company_uniq",
            "unique (number, company_id)",
            "The case number must be unique per company.",
        ),
    ]

    def _auto_init(self):
        res = super()._auto_init()
        # Odoo's mail-loop guard (mail.thread._detect_loop_sender) counts the
        # cases created in the last two hours on every inbound mail: a range on
        # create_date bounds it by the recent volume, not by the history (the
        # trigram index on email_from reads the postings of common trigrams).
        # The reports' period filters use it too. Not with the guard's
        # address included (an index-only read): a btree entry holds at most
        # 2,704 bytes, and a sender's address has no such limit.
        tools.create_index(self._cr, "service_desk_case_create_date_idx", self._table, ["create_date"])
        # such an index, on main for an hour (1c03101): gone where it was made
        self._cr.execute("DROP INDEX IF EXISTS service_desk_case_create_date_email_idx")
        # The case list's default order over the open cases (and the kanban
        # columns): a partial index in _order, so the first page reads 80
        # index entries whatever the number of closed cases.
        tools.create_index(
            self._cr,
            "service_desk_case_open_priority_id_idx",
            self._table,
            ["priority DESC", "id DESC"],
            where="active AND state IN ('new', 'in_progress', 'waiting')",
        )
        # The kanban: its columns' counts (web_read_group by stage) and each
        # column's first cards (a stage, in _order) over the open cases only;
        # company_id last, so the counts under the company rule are read
        # from the index alone.
        tools.create_index(
            self._cr,
            "service_desk_case_open_stage_priority_idx",
            self._table,
            ["stage_id", "priority DESC", "id DESC", "company_id"],
            where="active AND state IN ('new', 'in_progress', 'waiting')",
        )
        # The portal's "my cases" (newest first): one customer's cases, not
        # the whole history scanned backwards by date for them. Not null, as
        # btree_not_null: cases without a customer are never listed by one,
        # and a query that names no customer (the mail-loop guard's range on
        # create_date) cannot use it.
        tools.create_index(
            self._cr,
            "service_desk_case_partner_date_idx",
            self._table,
            ["commercial_partner_id", "create_date DESC", "id DESC"],
            where="commercial_partner_id IS NOT NULL",
        )
        # Balanced groups count the open cases of their members on every new
        # case: the members' open cases only, not their whole history.
        tools.create_index(
            self._cr,
            "service_desk_case_open_user_id_idx",
            self._table,
            ["user_id"],
            where="active AND state IN ('new', 'in_progress', 'waiting')",
        )
        return res

    # ------------------------------------------------------------------
    # Compute methods
    # ------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_email_from(self):
        for case in self:
            if case.partner_id.email:
                case.email_from = case.partner_id.email

    @api.depends("partner_id")
    def _compute_requester_type(self):
        internal = self._get_internal_partners(self.partner_id)
        for case in self:
            if case.partner_id:
                case.requester_type = "internal" if case.partner_id in internal else "external"
            elif not case.requester_type:
                case.requester_type = "internal" if case.channel == "internal" else "external"

    @api.model
    def _get_internal_partners(self, partners):
        """Partners that are internal users or employees' work contacts,
        archived ones included (one query)."""
        if not partners:
            return partners
        self.env["res.users"].flush_model(["partner_id", "share"])
        self.env["hr.employee"].flush_model(["work_contact_id"])
        self.env.cr.execute(
            SQL(
                "SELECT partner_id FROM res_users WHERE partner_id = ANY(%(ids)s) AND share IS NOT TRUE "
                "UNION SELECT work_contact_id FROM hr_employee WHERE work_contact_id = ANY(%(ids)s)",
                ids=partners.ids,
            )
        )
        return partners.browse([row[0] for row in self.env.cr.fetchall()])

    @api.depends("service_id", "subservice_id")
    def _compute_allowed_team_ids(self):
        memo = {}
        # the groups of every (sub)service of the page and of their parents in one query
        services = self.service_id | self.subservice_id
        (services | services.parent_id).mapped("team_ids")
        for case in self:
            case.allowed_team_ids = case._get_allowed_teams(memo)

    @api.depends("team_id")
    def _compute_allowed_user_ids(self):
        # every internal user only for cases without a group: a form of a
        # case with one (most) does not search the users
        without_team = any(not case.team_id for case in self)
        internal = self.env["res.users"].search([("share", "=", False)]) if without_team else None
        for case in self:
            if case.team_id:
                case.allowed_user_ids = case.team_id._get_staff()
            else:
                case.allowed_user_ids = internal

    @api.depends("state", "user_id", "team_id")
    @api.depends_context("uid")
    def _compute_can_take(self):
        user = self.env.user
        is_agent = user.has_group("service_desk_cases.group_service_desk_user")
        for case in self:
            case.can_take = bool(
                is_agent
                and case.state in OPEN_STATES
                and case.user_id != user
                and (not case.team_id or user in case.team_id._get_staff())
            )

    @api.depends("state", "team_id", "service_id", "subservice_id")
    @api.depends_context("uid")
    def _compute_can_escalate(self):
        user = self.env.user
        is_agent = user.has_group("service_desk_cases.group_service_desk_user")
        is_supervisor = user.has_group("service_desk_cases.group_service_desk_supervisor")
        Wizard = self.env["service.desk.case.escalate"]
        for case in self:
            case.can_escalate = bool(
                is_agent
                and case.id
                and case.state in OPEN_STATES
                and (is_supervisor or not case.team_id or user in case.team_id._get_staff())
                and Wizard._get_target_teams(case)
            )

    @api.depends("state")
    def _compute_is_open(self):
        for case in self:
            case.is_open = case.state in OPEN_STATES

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on 'Open'."))
        positive = (operator == "=") == bool(value)
        return [("state", "in" if positive else "not in", list(OPEN_STATES))]

    def _compute_access_url(self):
        super()._compute_access_url()
        for case in self:
            case.access_url = f"/my/cases/{case.id}"

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([], order=stages._order)

    def _get_allowed_teams(self, memo=None):
        """Groups allowed for the case's (sub)service (all of its company when
        unrestricted). ``memo``, a dict shared by the calls of one loop, reads
        each (service, company) once."""
        self.ensure_one()
        service = self.subservice_id or self.service_id
        if memo is None:
            return service._get_allowed_teams(self.company_id)
        key = (service.id, self.company_id.id, self.env.context.get("active_test", True))
        if key not in memo:
            memo[key] = service._get_allowed_teams(self.company_id)
        return memo[key]

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("service_id", "subservice_id", "team_id")
    def _check_catalog_consistency(self):
        # the assignee has a check of its own (_check_assignee): a take or a
        # reassignment does not read the catalog again
        labels = {f: self._fields[f].get_description(self.env)["string"] for f in CATALOG_FIELDS}
        memo = {}
        for case in self:
            service, sub = case.service_id, case.subservice_id
            if service.parent_id:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s: field '%(service)s' takes a top-level service; "
                        "'%(value)s' is a subservice, put it in '%(sub)s'.",
                        case=case.display_name,
                        service=labels["service_id"],
                        value=service.display_name,
                        sub=labels["subservice_id"],
                    )
                )
            if sub and (not sub.parent_id or sub.parent_id != service):
                raise ValidationError(
                    self.env._(
                        "Case %(case)s: the %(sub)s '%(sub_value)s' does not belong to the "
                        "%(service)s '%(service_value)s'.",
                        case=case.display_name,
                        sub=labels["subservice_id"],
                        sub_value=sub.display_name,
                        service=labels["service_id"],
                        service_value=service.display_name or "-",
                    )
                )
            if not case.team_id:
                continue
            if not (sub or service) and case.team_id.company_id == case.company_id:
                # a case outside the catalog may go to any group of its
                # company (what _get_allowed_teams would search for)
                continue
            # archival is not the catalog's concern: archived groups count here
            allowed = case.with_context(active_test=False)._get_allowed_teams(memo)
            if case.team_id not in allowed:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s: the %(team)s '%(team_value)s' is not allowed for "
                        "'%(service_value)s' (allowed: %(allowed)s).",
                        case=case.display_name,
                        team=labels["team_id"],
                        team_value=case.team_id.display_name,
                        service_value=(sub or service).display_name,
                        allowed=", ".join(allowed.mapped("display_name")),
                    )
                )

    @api.constrains("team_id", "user_id")
    def _check_assignee(self):
        labels = {f: self._fields[f].get_description(self.env)["string"] for f in ("team_id", "user_id")}
        for case in self:
            if case.team_id and case.user_id and case.user_id not in case.team_id._get_staff():
                raise ValidationError(
                    self.env._(
                        "Case %(case)s: the %(user)s '%(user_value)s' is not a member of the "
                        "%(team)s '%(team_value)s'.",
                        case=case.display_name,
                        user=labels["user_id"],
                        user_value=case.user_id.display_name,
                        team=labels["team_id"],
                        team_value=case.team_id.display_name,
                    )
                )
            if case.user_id.share:
                raise ValidationError(
                    self.env._(
                        "Case %(case)s: the %(user)s must be an internal user.",
                        case=case.display_name,
                        user=labels["user_id"],
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        """Show the contact's defaults at once (the router applies them on save too)."""
        if self.partner_id:
            chosen = {fname: self[fname] for fname in ("service_id", "subservice_id", "user_id", "team_id")}
            self.update(self.partner_id._service_desk_case_defaults(chosen))

    @api.onchange("service_id")
    def _onchange_service_id(self):
        if self.subservice_id and self.subservice_id.parent_id != self.service_id:
            self.subservice_id = False
        self._clear_team_if_not_allowed()

    @api.onchange("subservice_id")
    def _onchange_subservice_id(self):
        if self.subservice_id and self.subservice_id.parent_id != self.service_id:
            self.service_id = self.subservice_id.parent_id
        self._clear_team_if_not_allowed()

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.user_id and self.team_id and self.user_id not in self.team_id._get_staff():
            self.user_id = False

    def _clear_team_if_not_allowed(self):
        if self.team_id and self.team_id not in self._get_allowed_teams():
            self.team_id = False
            self.user_id = False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_incoming_values(vals_list, create=True)
        now = fields.Datetime.now()
        default_stage = None
        for vals in vals_list:
            self._fill_service_from_subservice(vals)
            vals.setdefault("date_last_stage_update", now)
            if not vals.get("partner_id") and vals.get("channel", self._default_channel()) == "internal":
                vals["partner_id"] = self.env.user.partner_id.id
            if "stage_id" not in vals and "default_stage_id" not in self.env.context:
                if default_stage is None:
                    default_stage = self._default_stage()
                vals["stage_id"] = default_stage.id
        self.env["service.desk.router"]._route(vals_list)
        self._assign_numbers(vals_list)
        stages = self.env["service.desk.stage"].browse({v["stage_id"] for v in vals_list if v.get("stage_id")})
        for vals in vals_list:
            stage = stages.browse(vals.get("stage_id"))
            self._stamp_state_dates(vals, stage.state, now)
        ctx = {
            "mail_create_nolog": True,
            "mail_notrack": True,
            "mail_create_nosubscribe": True,
            # followers of the whole batch are added below, at once
            "sd_subscribe_in_batch": True,
        }
        cases = super(ServiceDeskCase, self.with_context(**ctx)).create(vals_list)
        cases = cases.with_env(self.env)
        # what the creation note (its author) and the group's email (members,
        # their languages, the company's address) read: one query per model
        staff = cases.team_id.member_ids | self.env.user
        (staff.partner_id | cases.company_id.partner_id).mapped("email")
        cases._subscribe_in_batch()
        # the creation notes and the group's emails: their messages in one batch
        cases._notify_team_new(
            notes={case.id: self.env._("Case created (channel: %s)", case._channel_label()) for case in cases}
        )
        return cases

    def write(self, vals):
        self._check_incoming_values([vals])
        if "subservice_id" in vals and "service_id" not in vals and vals["subservice_id"]:
            self._fill_service_from_subservice(vals)
        now = fields.Datetime.now()
        reopened = self.browse()
        if "stage_id" in vals:
            stage = self.env["service.desk.stage"].browse(vals["stage_id"])
            vals.setdefault("date_last_stage_update", now)
            if stage.state in OPEN_STATES:
                reopened = self.filtered(lambda c: c.state in HANDLED_STATES)
            self._stamp_state_dates(vals, stage.state, now)
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
        else:
            partner = False
        res = super().write(vals)
        if reopened:
            for count, cases in tools.groupby(reopened, key=lambda c: c.reopen_count):
                self.browse([c.id for c in cases]).sudo().write({"reopen_count": count + 1})
        if partner:
            self._subscribe_requesters()
        if "stage_id" in vals and stage.rating_template_id:
            # the stage's own email goes out through _track_template
            self._send_rating_request()
        return res

    @api.model
    def _fill_service_from_subservice(self, vals):
        if vals.get("subservice_id") and not vals.get("service_id"):
            sub = self.env["service.desk.service"].browse(vals["subservice_id"])
            if sub.parent_id:
                vals["service_id"] = sub.parent_id.id

    @api.model
    def _stamp_state_dates(self, vals, state, now):
        if state == "resolved":
            vals.setdefault("date_resolved", now)
        elif state == "closed":
            vals.setdefault("date_closed", now)
        elif state in OPEN_STATES and self:
            vals.update(date_resolved=False, date_closed=False)

    @api.model
    def _assign_numbers(self, vals_list):
        """Draw the case numbers of a batch: one query per company."""
        by_company = {}
        default_company = self.env.company.id
        for vals in vals_list:
            if not vals.get("number") or vals["number"] == self.env._("New"):
                by_company.setdefault(vals.get("company_id") or default_company, []).append(vals)
        for company_id, company_vals in by_company.items():
            numbers = self.env["ir.sequence"]._sd_next_batch("service.desk.case", company_id, len(company_vals))
            for vals, number in zip(company_vals, numbers, strict=True):
                vals["number"] = number

    # ------------------------------------------------------------------
    # Mail and notifications
    # ------------------------------------------------------------------

    def _channel_label(self):
        return dict(self._fields["channel"]._description_selection(self.env)).get(self.channel, "")

    def _subscribe_requesters(self):
        """Follow each case by its requester, in one batch."""
        self._subscribe_in_batch(assignees=False)

    def _subscribe_in_batch(self, assignees=True):
        """Followers of a batch of cases in one statement: the requester
        (customer subtypes) and, for new cases, the assignee (the default
        subtypes). Odoo's auto-subscription would do it one case at a time,
        with a rendered "you have been assigned" email each; new cases
        already email their group, the assignee included.

        One ``INSERT ... ON CONFLICT DO NOTHING`` adds the followers that are
        missing (an existing follower keeps its subtypes) and the subtypes of
        those added, instead of a search, an insert per table and the
        savepoint around them. A follower inserted at the same time by
        another transaction is a serialization failure, which Odoo answers
        by running the request again.
        """
        all_subtypes, _internal, external = self.env["mail.message.subtype"].default_subtypes(self._name)
        user_partner = {}
        if assignees and self.user_id:
            users = self.user_id
            field = users._fields["partner_id"]
            if all(self.env.cache.contains(user, field) for user in users):
                # the routing read the assignees with their partners: no query
                user_partner = {user.id: self.env.cache.get(user, field) for user in users}
            else:
                # one query for the batch, not the users' whole rows
                self.env.cr.execute(SQL("SELECT id, partner_id FROM res_users WHERE id = ANY(%s)", users.ids))
                user_partner = dict(self.env.cr.fetchall())
        wanted = {}
        for case in self:
            if case.partner_id:
                wanted[case.id, case.partner_id.id] = False
            if case.user_id.id in user_partner:
                wanted[case.id, user_partner[case.user_id.id]] = True
        if not wanted:
            return
        self.env["mail.followers"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH wanted AS (
                    SELECT * FROM unnest(%(res_ids)s::int[], %(partner_ids)s::int[], %(all)s::bool[])
                        AS w(res_id, partner_id, all_subtypes)
                ), added AS (
                    INSERT INTO mail_followers (res_model, res_id, partner_id)
                    SELECT %(model)s, res_id, partner_id FROM wanted
                    ON CONFLICT DO NOTHING
                    RETURNING id, res_id, partner_id
                )
                INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
                SELECT added.id, subtype.id
                  FROM added
                  JOIN wanted USING (res_id, partner_id)
                 CROSS JOIN LATERAL unnest(
                        CASE WHEN wanted.all_subtypes THEN %(all_subtypes)s::int[] ELSE %(external)s::int[] END
                       ) AS subtype(id)
                """,
                res_ids=[res_id for res_id, _partner_id in wanted],
                partner_ids=[partner_id for _res_id, partner_id in wanted],
                all=list(wanted.values()),
                model=self._name,
                all_subtypes=all_subtypes.ids,
                external=external.ids,
            )
        )
        self.invalidate_recordset(["message_follower_ids", "message_partner_ids"])

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("sd_subscribe_in_batch"):
            # create() subscribes the whole batch at once (_subscribe_in_batch)
            return True
        return super()._message_auto_subscribe(updated_values, followers_existing_policy=followers_existing_policy)

    def _notify_team_new(self, notes=None):
        """Email the members of the responsible group about new cases (queued).

        ``notes``, ``{case id: text}``: notes logged on the cases (as
        ``_message_log_batch`` logs them), created with the emails' messages
        in one batch: one INSERT and one ``create`` for all the messages.
        """
        mails = self._prepare_team_new_mails()
        values_list = self._prepare_note_values(notes) if notes else []
        # the message of each email (mail.mail then only adds its own fields)
        values_list += [
            {key: value for key, value in mail.items() if key not in TEAM_MAIL_OWN_FIELDS}
            | {"message_type": "email_outgoing"}
            for mail in mails
        ]
        if not values_list:
            return
        messages = self.sudo()._message_create(values_list)
        if mails:
            self.env["mail.mail"].sudo().create(
                [
                    {
                        "mail_message_id": message.id,
                        # as if created with its message: deleted with it
                        "is_notification": False,
                        **{key: mail[key] for key in TEAM_MAIL_OWN_FIELDS if key in mail},
                    }
                    for message, mail in zip(messages[len(values_list) - len(mails) :], mails, strict=True)
                ]
            )

    def _prepare_note_values(self, notes):
        """Values of the internal notes ``{case id: text}`` (plain text,
        escaped), those of ``_message_log_batch``."""
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        base = {
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            # no notification: no signature
            "email_add_signature": False,
            "message_id": generate_tracking_message_id("message-notify"),
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
        }
        return [dict(base, res_id=case.id, body=escape(notes.get(case.id, ""))) for case in self]

    def _prepare_team_new_mails(self):
        """Values of the emails to the members of the responsible group of
        new cases (see ``_notify_team_new``).

        Each member reads the email in their own language: the template is
        rendered once per language over all the cases that have members
        speaking it, and each case gets one email per language of its
        members.
        """
        # the xmlid's id (cached): no existence check of the record on each call
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "service_desk_cases.mail_template_case_new_team", raise_if_not_found=False
            )
        )
        cases = self.filtered(lambda c: c.team_id.member_ids)
        if not template or not cases:
            return []
        # compiled once per language, not once per case
        template = template.sudo().with_context(**{COMPILED_RENDERING_KEY: True})
        # lang -> {case id: partners}
        by_lang = defaultdict(dict)
        for case in cases:
            for lang, partners in case.team_id.member_ids.partner_id.grouped(
                lambda p: p.lang or self.env.lang or "en_US"
            ).items():
                by_lang[lang][case.id] = partners
        mails = []
        for lang, partners_by_case in by_lang.items():
            rendered = template.with_context(lang=lang)._generate_template(list(partners_by_case), TEAM_MAIL_FIELDS)
            for case_id, partners in partners_by_case.items():
                values = rendered[case_id]
                mail = {
                    "subject": values.get("subject"),
                    "body_html": values.get("body_html"),
                    "body": values.get("body_html"),
                    "reply_to": values.get("reply_to"),
                    "recipient_ids": [Command.set(partners.ids)],
                    "model": self._name,
                    "res_id": case_id,
                    # staff only: never in the requester's portal history
                    "is_internal": True,
                    "auto_delete": values.get("auto_delete"),
                    "mail_server_id": values.get("mail_server_id"),
                }
                if values.get("email_from"):
                    mail["email_from"] = values["email_from"]
                mails.append(mail)
        return mails

    def _track_template(self, changes):
        """The stage's email, to the requester, when the stage changed."""
        res = super()._track_template(changes)
        case = self[:1]
        if "stage_id" in changes and case.stage_id.mail_template_id and case.partner_id:
            res["stage_id"] = (case.stage_id.mail_template_id, {"subtype_xmlid": "mail.mt_comment"})
        return res

    def _send_rating_request(self):
        """Ask the requester to rate each resolved case: one new request per
        resolution (a rating given on an earlier resolution stays as it is)."""
        cases = self.filtered(lambda c: c.partner_id and not c.partner_id.user_ids.filtered(lambda u: not u.share))
        for template, group in tools.groupby(cases, key=lambda c: c.stage_id.rating_template_id):
            if template:
                self.browse([c.id for c in group]).sudo().rating_send_request(template, force_send=False)

    def _compute_rating_last_value(self):
        # A case created in this transaction has its ratings in the cache
        # (empty, kept current by the ORM when a rating is created): no query.
        field = self._fields["rating_ids"]
        cache = self.env.cache
        # A case being created (precomputed before its INSERT) has none.
        unrated = self.browse(
            [case.id for case in self if not case.id or (cache.contains(case, field) and not cache.get(case, field))]
        )
        unrated.rating_last_value = 0
        if self - unrated:
            super(ServiceDeskCase, self - unrated)._compute_rating_last_value()

    def _rating_get_parent_field_name(self):
        return "team_id"

    def _rating_get_operator(self):
        return self.user_id.partner_id or super()._rating_get_operator()

    def rating_apply(
        self,
        rate,
        token=None,
        rating=None,
        feedback=None,
        subtype_xmlid=None,
        notify_delay_send=False,
    ):
        """A rating applies once.

        Opening a rating link (mail scanners prefetch them) or submitting the
        feedback form again changes nothing once the rating was given, except
        adding a comment to the same value; reopening the case and alerting
        the leader follow the first application only. A consumed token (of an
        earlier resolution) is inert.
        """
        if token:
            rating = self.env["rating.rating"].sudo().search([("access_token", "=", token)], limit=1)
        if rating and rating.consumed:
            if rate == rating.rating and feedback and feedback != rating.feedback:
                # The comment typed after clicking the link: no other effect.
                return super().rating_apply(
                    rate,
                    rating=rating,
                    feedback=feedback,
                    subtype_xmlid=subtype_xmlid,
                    notify_delay_send=notify_delay_send,
                )
            return rating
        rating = super().rating_apply(
            rate,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rate <= RATING_LIMIT_DISSATISFIED:
            self._reopen_after_bad_rating(rating)
        return rating

    def _reopen_after_bad_rating(self, rating):
        stage = self.env["service.desk.stage"].sudo()._get_stage_for_state("in_progress")
        for case in self.sudo():
            reopened = bool(case.state in HANDLED_STATES and stage)
            if reopened:
                case.stage_id = stage
            if reopened and rating.feedback:
                body = self.env._(
                    "The requester rated the case as dissatisfied (%(feedback)s): the case was reopened.",
                    feedback=rating.feedback,
                )
            elif reopened:
                body = self.env._("The requester rated the case as dissatisfied: the case was reopened.")
            elif rating.feedback:
                body = self.env._(
                    "The requester rated the case as dissatisfied (%(feedback)s).",
                    feedback=rating.feedback,
                )
            else:
                body = self.env._("The requester rated the case as dissatisfied.")
            case.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=case.team_id.leader_id.partner_id.ids,
            )

    def _notify_thread_by_email(self, message, recipients_data, msg_vals=False, **kwargs):
        """Queue the emails of a post (a reply, the take's message to the
        requester) instead of sending them inside the request.

        Odoo sends up to ``mail.mail.force.send.limit`` notification emails
        right after the request's commit, before answering: SMTP and a second
        transaction (about 20 queries) in every reply. Queued like the group's
        emails, they are sent at once by the mail queue job in a cron worker,
        woken here. A caller asking for ``mail_notify_force_send`` is obeyed.
        """
        if self.env.context.get("mail_notify_force_send") is not None:
            return super()._notify_thread_by_email(message, recipients_data, msg_vals=msg_vals, **kwargs)
        res = super()._notify_thread_by_email(
            message, recipients_data, msg_vals=msg_vals, **dict(kwargs, force_send=False)
        )
        if any(recipient.get("notif") == "email" for recipient in recipients_data):
            queue = self.env["ir.model.data"]._xmlid_to_res_id(
                "mail.ir_cron_mail_scheduler_action", raise_if_not_found=False
            )
            if queue:
                self.env["ir.cron"].sudo().browse(queue)._trigger()
        return res

    def _message_post_after_hook(self, message, msg_vals):
        # A staff public reply is the first response to the requester.
        if (
            msg_vals.get("message_type") == "comment"
            and msg_vals.get("subtype_id") == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            and self.env.user._is_internal()
            and message.author_id in self.env.user.partner_id
        ):
            todo = self.filtered(lambda c: not c.date_first_response and c.partner_id != message.author_id)
            if todo:
                todo.sudo().write({"date_first_response": fields.Datetime.now()})
        return super()._message_post_after_hook(message, msg_vals)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for case in self:
            if case.partner_id:
                case._message_add_suggested_recipient(
                    recipients, partner=case.partner_id, reason=self.env._("Requester")
                )
        return recipients

    # The requester's actions on a finished case (portal)

    def _requester_reopen_deadline(self):
        self.ensure_one()
        days = int(self.env["ir.config_parameter"].sudo().get_param(REOPEN_DAYS_PARAM, REOPEN_DAYS_DEFAULT) or 0)
        finished = self.date_resolved or self.date_closed or self.date_last_stage_update
        return finished + timedelta(days=days) if finished and days > 0 else None

    def _requester_rating_of_resolution(self):
        """The rating of the current resolution: (rating, whether given).

        Each resolution sends a rating request (a pending rating); with no
        pending one, the last rating given answers the current resolution.
        """
        self.ensure_one()
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "=", self.id), ("partner_id", "=", self.partner_id.id)],
                order="id desc",
            )
        )
        pending = ratings.filtered(lambda r: not r.consumed)[:1]
        if pending or not ratings:
            return pending, False
        return ratings[:1], True

    def _requester_actions(self):
        """What the requester may do on the portal page of this case."""
        self.ensure_one()
        if self.state not in HANDLED_STATES:
            return {"close": False, "reopen": False, "rate": False, "rating": False, "reopen_deadline": False}
        deadline = self._requester_reopen_deadline()
        rating, given = self._requester_rating_of_resolution()
        return {
            "close": self.state == "resolved",
            "reopen": bool(deadline and fields.Datetime.now() <= deadline),
            "reopen_deadline": deadline,
            "rate": bool(self.partner_id) and not given,
            "rating": rating if given else False,
        }

    def _requester_close(self):
        self.ensure_one()
        stage = self.env["service.desk.stage"].sudo()._get_stage_for_state("closed")
        if self.state != "resolved" or not stage:
            raise UserError(self.env._("Only a resolved case can be closed."))
        self.stage_id = stage
        self.message_post(
            body=self.env._("The requester confirmed the resolution and closed the case."),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _requester_reopen(self):
        self.ensure_one()
        if not self._requester_actions()["reopen"]:
            raise UserError(self.env._("This case can no longer be reopened: please create a new case."))
        self._reopen_for_requester(self.env._("The requester reopened the case from the portal."))

    def _requester_rate(self, rate, feedback):
        """Rate the current resolution once, as the link in the mail does."""
        self.ensure_one()
        if not self._requester_actions()["rate"]:
            raise UserError(self.env._("This resolution was already rated."))
        rating, _given = self._requester_rating_of_resolution()
        token = rating.access_token if rating else self._rating_get_access_token(self.partner_id)
        return self.rating_apply(rate, token=token, feedback=feedback or None)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_take(self):
        """Assign the current user, start the work and tell the requester."""
        stage = self.env["service.desk.stage"]._get_stage_for_state("in_progress")
        if not stage:
            raise UserError(self.env._("No stage of state 'In Progress' is configured."))
        user = self.env.user
        not_allowed = self.filtered(lambda c: c.team_id and user not in c.team_id._get_staff())
        if not_allowed:
            raise UserError(
                self.env._(
                    "You are not a member of the group of %(cases)s: ask its leader to add you.",
                    cases=", ".join(not_allowed.mapped("display_name")),
                )
            )
        closed = self.filtered(lambda c: c.state in DONE_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Cases already finished cannot be taken: %s",
                    ", ".join(closed.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        first_take = self.filtered(lambda c: not c.date_taken)
        # before the assignment: one UPDATE of the case with it
        first_take.sudo().write({"date_taken": now})
        self.write({"user_id": user.id, "stage_id": stage.id})
        if not stage.mail_template_id:
            first_take.filtered("partner_id")._post_taken_message()
        return True

    def _post_taken_message(self):
        """Tell each requester that their case is being handled (the
        "taken" template), as posting the template from the composer does:
        same subject, body, recipients and language, without creating,
        computing and reading a composer record per case. A template with
        attachments or reports goes through the composer, which copies them.
        """
        # the xmlid's id (cached): no existence check of the record on each call
        template = self.env["mail.template"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(
                "service_desk_cases.mail_template_case_taken", raise_if_not_found=False
            )
        )
        if not template or not self:
            return
        if template.sudo().attachment_ids or template.sudo().report_template_ids:
            for case in self:
                case.message_post_with_source(template, subtype_xmlid="mail.mt_comment", message_type="auto_comment")
            return
        renderer = template.sudo().with_context(**{COMPILED_RENDERING_KEY: True})
        langs = renderer._render_lang(self.ids)
        rendered = renderer._generate_template(self.ids, TAKEN_MAIL_FIELDS, find_or_create_partners=True)
        for case in self:
            values = rendered[case.id]
            post = {
                "body": values.get("body_html") or "",
                "subject": values.get("subject") or "",
                "partner_ids": values.get("partner_ids") or [],
                "scheduled_date": values.get("scheduled_date"),
                "force_email_lang": langs.get(case.id),
                "email_add_signature": False,
                "email_layout_xmlid": template.email_layout_xmlid,
                "mail_auto_delete": template.auto_delete,
                "mail_server_id": template.mail_server_id.id,
            }
            if values.get("email_from"):
                post["email_from"] = values["email_from"]
            case.message_post(subtype_xmlid="mail.mt_comment", message_type="auto_comment", **post)

    def action_escalate(self):
        self.ensure_one()
        self.env["service.desk.case.escalate"]._check_escalation_rights(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate to the Next Line"),
            "res_model": "service.desk.case.escalate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_ids": self.ids},
        }

    def _escalate_to_next_line(self, reason, team=None):
        """Hand each case to a group of a later support line.

        The nearest later line with a group allowed for the case's
        (sub)service wins (lines without one are skipped), or ``team`` when
        given, which must be one of those groups. Staff of the case's
        current group (and supervisors) may escalate: the rights are checked
        first, then the hand-off is written with elevated rights, since the
        new group is usually not the user's. Returns the cases that could be
        escalated (the others have no later line with an allowed group).
        """
        Wizard = self.env["service.desk.case.escalate"]
        if not self.env.su:
            Wizard._check_escalation_rights(self)
        memo = {}
        by_target = defaultdict(list)
        bodies = {}
        for case in self.sudo():
            targets = Wizard._get_target_teams(case, memo)
            if team:
                if team not in targets:
                    raise UserError(
                        self.env._(
                            "Group of the Next Line: %(team)s cannot take %(case)s (allowed: %(allowed)s).",
                            team=team.sudo().display_name,
                            case=case.display_name,
                            allowed=", ".join(targets.mapped("display_name")) or "-",
                        )
                    )
                target = team.sudo()
            else:
                target = targets[:1]
            if not target:
                continue
            by_target[target].append(case.id)
            bodies[case.id] = Markup("<p>%s</p><p>%s</p>") % (
                self.env._(
                    "Escalated from %(old)s to %(new)s (%(line)s).",
                    old=case.team_id.display_name or "-",
                    new=target.display_name,
                    line=target.line_id.display_name,
                ),
                self.env._("Reason: %s", reason),
            )
        # one write per new group, one batch of notes (by the user who escalates)
        done = self.sudo().browse(list(bodies))
        for target, case_ids in by_target.items():
            done.browse(case_ids).write({"team_id": target.id, "user_id": False})
        if bodies:
            done._message_log_batch(bodies=bodies, author_id=self.env.user.partner_id.id, message_type="comment")
        return done.with_env(self.env)

    def _compute_display_name(self):
        for case in self:
            # A new case has no number yet (only the "New" placeholder)
            number = case.number if case.id else False
            case.display_name = f"{case.number} {case.name or ''}".strip() if number else case.name

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "like", "=", "=like", "=ilike") and value:
            return ["|", ("number", operator, value), ("name", operator, value)]
        return super()._search_display_name(operator, value)
