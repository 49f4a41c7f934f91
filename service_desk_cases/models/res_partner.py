# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.phone import normalize_phone
from .service_desk_stage import OPEN_STATES

__all__ = ["ResPartner", "normalize_phone"]

PRIVATE_CONTACTS_PARAM = "service_desk_cases.restrict_private_contacts"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Every inbound mail finds its sender by the normalized address (the
    # requester, the user the case is created as, the bounce counter, Odoo's
    # own find_or_create): a btree index instead of a scan of every contact,
    # which marketing shares with the desk.
    email_normalized = fields.Char(index=True)
    service_desk_case_ids = fields.One2many("service.desk.case", "partner_id", string="Cases")
    service_desk_case_count = fields.Integer(compute="_compute_service_desk_case_count", string="Case Count")
    service_desk_open_case_count = fields.Integer(
        string="Open Cases",
        compute="_compute_service_desk_open_case_count",
        search="_search_service_desk_open_case_count",
        help="Open service desk cases of this contact that you can see (searchable, so mailing lists "
        "can filter on it).",
    )
    # the contact's ratings of cases: what their last rating is computed
    # from, so that a new case does not recompute it (a rating does)
    service_desk_rating_ids = fields.One2many(
        "rating.rating",
        "partner_id",
        string="Case Ratings",
        domain=[("res_model", "=", "service.desk.case")],
        # staff only, as rating.mixin's rating_ids (what each reads stays
        # under the ratings' own record rules)
        groups="base.group_user",
    )
    service_desk_last_rating = fields.Float(
        string="Last Case Rating",
        compute="_compute_service_desk_stats",
        store=True,
        aggregator="avg",
        help="The latest satisfaction rating given on this contact's cases (1 to 5, 0 for none).",
    )
    service_desk_service_id = fields.Many2one(
        "service.desk.service",
        string="Default Service",
        domain=[("parent_id", "=", False)],
        help="New cases of this contact get this service.",
    )
    service_desk_subservice_id = fields.Many2one(
        "service.desk.service",
        string="Default Subservice",
        domain="[('parent_id', '!=', False), ('parent_id', '=?', service_desk_service_id)]",
    )
    service_desk_user_id = fields.Many2one(
        "res.users",
        string="Default Engineer",
        domain=[("share", "=", False)],
        help="New cases of this contact are assigned to this engineer.",
    )
    phone_sanitized_digits = fields.Char(
        compute="_compute_phone_sanitized_digits", store=True, index=True, string="Phone Digits"
    )

    @api.depends("phone", "mobile")
    def _compute_phone_sanitized_digits(self):
        for partner in self:
            partner.phone_sanitized_digits = normalize_phone(partner.phone or partner.mobile) or False

    def _compute_service_desk_case_count(self):
        groups = self.env["service.desk.case"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.service_desk_case_count = counts.get(partner.id, 0)

    @api.depends_context("uid")
    def _compute_service_desk_open_case_count(self):
        counts = self._sd_open_case_counts([("partner_id", "in", self.ids)])
        for partner in self:
            partner.service_desk_open_case_count = counts.get(partner.id, 0)

    def _sd_open_case_counts(self, domain):
        """Open cases by requester id, among the cases the user can see."""
        groups = self.env["service.desk.case"]._read_group(
            expression.AND([domain, [("state", "in", OPEN_STATES)]]), ["partner_id"], ["__count"]
        )
        return {partner.id: count for partner, count in groups}

    def _search_service_desk_open_case_count(self, operator, value):
        ops = {
            "=": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
        }
        if operator not in ops or isinstance(value, bool) or not isinstance(value, int | float):
            raise UserError(self.env._("Open Cases: search with a number and =, !=, <, <=, > or >=."))
        compare = ops[operator]
        counts = self._sd_open_case_counts([("partner_id", "!=", False)])
        matching = [pid for pid, count in counts.items() if compare(count, value)]
        if compare(0, value):  # contacts without open cases match too
            return ["|", ("id", "in", matching), ("id", "not in", list(counts))]
        return [("id", "in", matching)]

    @api.depends("service_desk_rating_ids.rating", "service_desk_rating_ids.consumed")
    def _compute_service_desk_stats(self):
        # the latest rating of each contact: one probe of an index
        # (rating_rating_service_desk_partner_last_idx) per contact, whatever
        # the number of their ratings
        self.env["rating.rating"].flush_model(["res_model", "partner_id", "consumed", "rating", "write_date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, last.rating
                  FROM unnest(%s::int[]) AS p(id)
                 CROSS JOIN LATERAL (
                        SELECT r.rating FROM rating_rating r
                         WHERE r.res_model = 'service.desk.case' AND r.consumed AND r.partner_id = p.id
                         ORDER BY r.write_date DESC, r.id DESC
                         LIMIT 1
                       ) AS last
                """,
                [pid for pid in self.ids if pid],
            )
        )
        last = dict(self.env.cr.fetchall())
        for partner in self:
            partner.service_desk_last_rating = last.get(partner.id, 0.0)

    def _service_desk_case_defaults(self, chosen):
        """What a new case of this contact starts with (the "Ticket refunds"
        contact): its (sub)service unless one is chosen, and its engineer
        unless an assignee or a group is chosen. ``chosen`` maps the case's
        fields to what is set already; returns ids. The router applies it on
        create, the case and call forms as soon as the contact is picked."""
        self.ensure_one()
        partner = self.sudo()
        if chosen.get("service_id") or chosen.get("subservice_id"):
            return {}
        values = {}
        if partner.service_desk_subservice_id:
            values["subservice_id"] = partner.service_desk_subservice_id.id
            values["service_id"] = partner.service_desk_subservice_id.parent_id.id
        elif partner.service_desk_service_id:
            values["service_id"] = partner.service_desk_service_id.id
        if partner.service_desk_user_id and not chosen.get("user_id") and not chosen.get("team_id"):
            values["user_id"] = partner.service_desk_user_id.id
        return values

    @api.constrains("service_desk_service_id", "service_desk_subservice_id")
    def _check_service_desk_defaults(self):
        for partner in self:
            sub = partner.service_desk_subservice_id
            if sub and partner.service_desk_service_id and sub.parent_id != partner.service_desk_service_id:
                raise ValidationError(
                    self.env._(
                        "Contact %(name)s: Default Subservice '%(sub)s' is not part of Default Service '%(service)s'.",
                        name=partner.display_name,
                        sub=sub.display_name,
                        service=partner.service_desk_service_id.display_name,
                    )
                )

    @api.model
    def _sd_find_by_phone(self, number):
        """Contacts with this phone number, for the operator's call form.

        Operators register callers whatever the contact visibility setting
        says, so the lookup reads past it, but only among the contacts of the
        user's companies (and shared ones).
        """
        digits = normalize_phone(number)
        if len(digits) < 5:
            return self.browse()
        found = self.sudo().search(
            [("phone_sanitized_digits", "=", digits), ("company_id", "in", [False, *self.env.companies.ids])],
            order="is_company, id",
            limit=2,
        )
        return self.browse(found.ids)

    def action_view_service_desk_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_desk_cases.service_desk_case_action")
        action["domain"] = [
            (
                "partner_id",
                "child_of",
                self.commercial_partner_id.id if self.is_company else self.id,
            )
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Contacts without a company (setting "Only administrators may see
    # contacts without a company")
    # ------------------------------------------------------------------
    #
    # Not a record rule: mail, Discuss, followers and the composer read the
    # requester of a case as the agent, and must keep working. The contacts
    # are hidden where contacts are listed and opened (every search: lists,
    # dropdowns, counts, exports, mentions; the contact form) and cannot be
    # changed or deleted there; work on their cases goes on as usual.

    @api.model
    def _sd_set_private_contacts_restriction(self, enabled):
        """Turn the restriction on or off."""
        self.env["ir.config_parameter"].sudo().set_param(PRIVATE_CONTACTS_PARAM, "1" if enabled else "")

    @api.model
    def _sd_private_contacts_restricted(self):
        """Whether the current user is kept away from contacts without a company."""
        if self.env.su or not self.env["ir.config_parameter"].sudo().get_param(PRIVATE_CONTACTS_PARAM):
            return False
        user = self.env.user
        return user._is_internal() and not (
            user.has_group("service_desk_cases.group_service_desk_manager") or user.has_group("base.group_system")
        )

    @api.model
    def _sd_visible_contacts_domain(self):
        """Contacts that are not private: companies, their contacts, users' and
        employees' contacts, oneself."""
        Employee = self.env["hr.employee"].sudo().with_context(active_test=False)
        employees = Employee._search([("work_contact_id", "!=", False)])
        return [
            "|",
            "|",
            "|",
            "|",
            "|",
            ("is_company", "=", True),
            ("parent_id", "!=", False),
            ("partner_share", "=", False),
            ("user_ids", "!=", False),
            ("id", "=", self.env.user.partner_id.id),
            ("id", "in", employees.subselect(SQL.identifier(employees.table, "work_contact_id"))),
        ]

    def _sd_private_contacts(self):
        """The records of ``self`` the current user may not list, open or change."""
        if not self._sd_private_contacts_restricted():
            return self.browse()
        me = self.env.user.partner_id
        return self.browse(
            p.id
            for p in self.sudo()
            if not (
                p.is_company
                or p.parent_id
                or not p.partner_share
                or p.user_ids
                or p.with_context(active_test=False).employee_ids
                or p == me
            )
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Every listing goes through here; reading records by id too (that
        # is how fetch() applies access rules: ids, active_test=False), and
        # those reads must keep working for mail, Discuss and the cases.
        if self._sd_private_contacts_restricted() and not (
            self._sd_is_id_lookup(domain) and self.env.context.get("active_test") is False
        ):
            domain = expression.AND([domain or [], self._sd_visible_contacts_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _sd_is_id_lookup(self, domain):
        domain = list(domain or [])
        return (
            len(domain) == 1
            and isinstance(domain[0], list | tuple)
            and len(domain[0]) == 3
            and domain[0][0] == "id"
            and domain[0][1] in ("in", "=")
        )

    @api.readonly
    def web_read(self, specification):
        # Opening the contact's own form; reads nested in another model's
        # form (a case's requester, the composer's recipients) stay allowed.
        if specification and self._sd_is_contacts_call() and self._sd_private_contacts():
            raise AccessError(
                self.env._("Only administrators may open contacts without a company: %s", self._sd_names())
            )
        return super().web_read(specification)

    def web_save(self, vals, specification, next_id=None):
        if self or not self._sd_private_contacts_restricted():
            return super().web_save(vals, specification, next_id=next_id)
        # a contact created in Contacts must stay openable by its creator
        try:
            with self.env.cr.savepoint():
                return super().web_save(vals, specification, next_id=next_id)
        except AccessError as error:
            raise AccessError(
                self.env._(
                    "Only administrators may create contacts without a company: set its Company, "
                    "or ask an administrator."
                )
            ) from error

    @api.model
    def _sd_is_contacts_call(self):
        """Whether the web client called res.partner itself (not through another model's form)."""
        params = getattr(request, "params", None) if request else None
        return not params or params.get("model") == self._name

    def write(self, vals):
        private = self._sd_private_contacts()
        if private:
            raise AccessError(
                self.env._("Only administrators may change contacts without a company: %s", private._sd_names())
            )
        return super().write(vals)

    def signup_prepare(self, signup_type="signup"):
        """Write only the contacts whose signup type changes (issue 12).

        Each email to a customer without a user, when customers may sign
        up, prepares their signup link and wrote the same type on their row
        again: two requests notifying one customer at once (a reply and a
        take on their cases) both updated that row, a serialization failure
        that Odoo retries after a random pause. The link's token depends on
        the type, not on the write."""
        todo = self.filtered(lambda partner: partner.sudo().signup_type != signup_type)
        return super(ResPartner, todo).signup_prepare(signup_type=signup_type)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_private_or_requester(self):
        private = self._sd_private_contacts()
        if private:
            raise AccessError(
                self.env._("Only administrators may delete contacts without a company: %s", private._sd_names())
            )
        if self.env.su or self.env.user.has_group("service_desk_cases.group_service_desk_manager"):
            return
        Case = self.env["service.desk.case"].sudo().with_context(active_test=False)
        counts = dict(Case._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        if counts:
            # built apart: a call of _() nested in another is not extracted
            details = ", ".join(
                self.env._("%(name)s (cases: %(count)s)", name=p.sudo().display_name, count=c)
                for p, c in counts.items()
            )
            raise UserError(
                self.env._(
                    "Contacts who requested cases cannot be deleted, archive them instead: %s",
                    details,
                )
            )

    def _sd_names(self):
        return ", ".join(self.sudo().mapped("display_name"))
