# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The mail gateway of cases: new mail, replies (reopen or follow-up),
auto-replies and the desk's own addresses. The routing-level filter that
sees the headers is in ``mail_thread.py``."""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .mail_thread import (
    AUTO_PRECEDENCES,
    AUTO_SENDERS,
    IGNORE_KEY,
    REOPEN_DAYS_DEFAULT,
    REOPEN_DAYS_PARAM,
    REQUESTER_KEY,
)
from .service_desk_data import HANDLED_STATES

_logger = logging.getLogger(__name__)

# Context key of message_new: mail.thread's message_new only looks for the
# name field among the descriptions of all fields (see fields_get below).
GATEWAY_NEW_KEY = "service_desk_gateway_new"
# Context key of the case message_new returns: the requester, who follows the
# new case since its creation, is the author of the mail posted on it.
AUTHOR_FOLLOWS_KEY = "service_desk_author_follows"


class ServiceDeskCase(models.Model):
    _inherit = "service.desk.case"

    # ------------------------------------------------------------------
    # Mail gateway
    # ------------------------------------------------------------------

    origin_case_id = fields.Many2one(
        "service.desk.case",
        string="Follow-up Of",
        index="btree_not_null",
        copy=False,
        readonly=True,
        check_company=True,
        help="The closed case that the requester wrote to again after the reopening period.",
    )

    # The customer's history on the portal includes the automatic mails the
    # desk sent them (acknowledgement, resolution), not only comments.
    website_message_ids = fields.One2many(
        domain=lambda self: [
            ("model", "=", self._name),
            ("message_type", "in", ("comment", "email", "email_outgoing", "auto_comment")),
        ]
    )

    @api.model
    @api.readonly
    def fields_get(self, allfields=None, attributes=None):
        if allfields is None and attributes is None and self.env.context.get(GATEWAY_NEW_KEY):
            # mail.thread's message_new() only checks that the name field
            # exists: not the full description of every field (translated
            # labels, selections, groupability), which costs more than the
            # rest of building the case's values
            return {fname: {"type": field.type, "string": field.string} for fname, field in self._fields.items()}
        return super().fields_get(allfields=allfields, attributes=attributes)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        values.setdefault("name", (msg_dict.get("subject") or "").strip() or self.env._("No Subject"))
        values.setdefault("channel", "email")
        values.setdefault("email_from", msg_dict.get("email_from"))
        values.setdefault("company_id", self._alias_company(values))
        partner = self.env["res.partner"].sudo().browse(values.get("partner_id"))
        if not partner:
            found = self.env.context.get(REQUESTER_KEY)
            if found and found[0] == values["company_id"] and found[1] == msg_dict.get("email_from"):
                # looked up by the routing (_routing_check_route): created now when unknown
                partner = self.env["res.partner"].sudo().browse(found[2]) or self._partner_create_from_email(
                    msg_dict.get("email_from"), values["company_id"], found[3]
                )
            else:
                partner = self._partner_from_email(msg_dict.get("email_from"), values.get("company_id"))
        if partner:
            values["partner_id"] = partner.id
            # The gateway posts the mail with this author: the sender is then
            # not sent back a copy of their own mail as a follower. An author
            # the case's company may not use (a contact of another company) is
            # replaced by the contact the case uses.
            author = self.env["res.partner"].sudo().browse(msg_dict.get("author_id"))
            if not author or author.company_id.id not in (False, values["company_id"]):
                msg_dict["author_id"] = partner.id
        case = super(
            ServiceDeskCase, self.with_context(mail_create_nosubscribe=True, **{GATEWAY_NEW_KEY: True})
        ).message_new(msg_dict, custom_values=values)
        case = case.with_context(**{GATEWAY_NEW_KEY: False})
        if case.origin_case_id:
            case._gateway_notify_follow_up()
        if case.partner_id and case.partner_id.id == msg_dict.get("author_id"):
            # create() made the requester a follower: the gateway's post of
            # the mail need not check it again (_message_subscribe)
            case = case.with_context(**{AUTHOR_FOLLOWS_KEY: case.partner_id.id})
        return case

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        follower = self.env.context.get(AUTHOR_FOLLOWS_KEY)
        if (
            follower
            and len(self) == 1
            and partner_ids == [follower]
            and not subtype_ids
            and self.partner_id.id == follower
        ):
            # The gateway subscribing the author of the mail that created
            # the case, who is its requester and follows it since create():
            # with the default subtypes an existing follower stays as is.
            return True
        return super()._message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids, customer_ids=customer_ids)

    def message_update(self, msg_dict, update_vals=None):
        res = super().message_update(msg_dict, update_vals=update_vals)
        self.filtered(lambda c: c._gateway_reply_action(msg_dict) == "reopen")._gateway_reopen_on_reply()
        return res

    @api.model
    def _alias_company(self, values):
        if values.get("team_id"):
            return self.env["service.desk.team"].sudo().browse(values["team_id"]).company_id.id
        return self.env.company.id

    @api.model
    def _partner_from_email(self, email_from, company_id=None):
        """The sender's contact: found when known, created once when not.

        When several contacts share the address, the one with a user (then
        the oldest) wins, so that mail never creates a duplicate. A contact
        of another company is not used for a case of ``company_id``: the
        case gets a contact of its own company (found, or created once).
        """
        partner, known = self._gateway_find_requester(email_from, company_id)
        if partner or not tools.email_normalize_all(email_from or ""):
            return partner
        return self._partner_create_from_email(email_from, company_id, known)

    @api.model
    def _gateway_find_requester(self, email_from, company_id=None):
        """(the contact of ``email_from`` a case of ``company_id`` uses, or
        an empty recordset; whether the address has contacts at all, of
        other companies). One query, nothing created."""
        emails = tools.email_normalize_all(email_from or "")
        if not emails:
            return self.env["res.partner"], False
        email = emails[0]
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        # the contacts of the address, archived ones too, with whether they
        # have a user (archived or not), oldest first: one query per mail
        Partner.flush_model(["email_normalized", "company_id", "active"])
        self.env["res.users"].flush_model(["partner_id"])
        self.env.cr.execute(
            SQL(
                "SELECT p.id, p.company_id, p.active, EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id) "
                "FROM res_partner p WHERE p.email_normalized = %s ORDER BY p.id",
                email,
            )
        )
        partners = self.env.cr.fetchall()
        usable = [row for row in partners if not row[1] or not company_id or row[1] == company_id]
        if usable:
            with_user = [row for row in usable if row[3]]
            active = [row for row in usable if row[2]]
            return Partner.browse((with_user or active or usable)[0][0]), True
        return Partner.browse(), bool(partners)

    @api.model
    def _partner_create_from_email(self, email_from, company_id, known_elsewhere):
        """The contact of a new sender; of ``company_id`` when the address is
        already a contact of another company (``known_elsewhere``)."""
        email = tools.email_normalize_all(email_from or "")[0]
        name, _email = tools.parse_contact_from_email(email_from)
        values = {"name": name or email, "email": email}
        if known_elsewhere:
            values["company_id"] = company_id
        return self.env["res.partner"].sudo().create(values)

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        """A new case by an alias open to everyone: the author is the
        requester's contact, looked up once here (one query) and handed to
        :meth:`message_new`, which creates it for a new sender, instead of
        Odoo's search of the alias owner's followers, users and contacts
        (four queries) followed by message_new's own lookup. The author of
        such a mail only serves the alias' contact check, which an alias
        open to everyone does not make (Odoo's check of the alias still
        runs: an archived group bounces)."""
        model, thread_id, custom_values, _user_id, alias = route
        if (
            model != self._name
            or thread_id
            or not alias
            or alias.alias_contact != "everyone"
            or message_dict.get("author_id")
        ):
            return super()._routing_check_route(message, message_dict, route, raise_exception=raise_exception)
        email_from = message_dict.get("email_from")
        company_id = self._alias_company(dict(custom_values or {}))
        partner, known = self._gateway_find_requester(email_from, company_id)
        message_dict[REQUESTER_KEY] = (company_id, email_from, partner.id, known)
        if partner:
            message_dict["author_id"] = partner.id
        owner = self
        if alias.alias_parent_thread_id and alias.alias_parent_model_id.id == self.env["ir.model"]._get_id(
            "service.desk.team"
        ):
            owner = self.env["service.desk.team"].browse(alias.alias_parent_thread_id)
        elif alias.alias_parent_model_id and alias.alias_parent_thread_id:
            owner = self.env[alias.alias_parent_model_id.model].browse(alias.alias_parent_thread_id)
        error = owner._alias_get_error(message, message_dict, alias)
        if error:
            reason = error.message or self.env._("unknown error")
            self._routing_warn(
                self.env._("alias %(name)s: %(error)s", name=alias.alias_name, error=reason),
                message_dict["message_id"],
                route,
                False,
            )
            alias._alias_bounce_incoming_email(message, message_dict, set_invalid=error.is_config_error)
            return False
        return route

    @api.model
    def _detect_loop_sender_domain(self, email_from_normalized):
        """Odoo's mail-loop guard counts the cases created from the sender's
        address within the loop period. Same count, but the cases of the
        period are read first (index on the creation date) and their address
        compared then: with Odoo's plain ``ilike`` the planner also reads the
        trigram index of every address, a share of the whole history on
        each mail (125 ms at 1,000,000 cases)."""
        domain = super()._detect_loop_sender_domain(email_from_normalized)
        if not domain or not email_from_normalized:
            return domain
        # the caller's period, computed the same way (cr.now() is the
        # transaction's time)
        minutes = int(self.env["ir.config_parameter"].sudo().get_param("mail.gateway.loop.minutes", 120))
        since = self.env.cr.now() - timedelta(minutes=minutes)
        self.flush_model(["create_date", "email_from"])
        unaccent = self.env.registry.unaccent
        # OFFSET 0 keeps the period's cases a subquery of their own
        recent = SQL(
            "(SELECT id FROM (SELECT id, email_from FROM %s WHERE create_date > %s OFFSET 0) AS recent"
            " WHERE %s ILIKE %s)",
            SQL.identifier(self._table),
            since,
            unaccent(SQL.identifier("recent", "email_from")),
            unaccent(SQL("%s", f"%{email_from_normalized}%")),
        )
        return [("id", "in", recent)]

    @api.model
    def _gateway_auto_reply_reason(self, message, message_dict):
        """Why an incoming mail was sent by a machine (out-of-office,
        auto-responder, list, bulk mail, delivery report), or None."""

        def header(name):
            return str(message.get(name) or "").strip().lower()

        auto_submitted = header("Auto-Submitted").split(";")[0].strip()
        if auto_submitted and auto_submitted != "no":
            return f"Auto-Submitted: {auto_submitted}"
        for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
            value = header(name)
            if value and value not in ("no", "false", "0"):
                return f"{name}: {value}"
        precedence = header("Precedence")
        if precedence in AUTO_PRECEDENCES:
            return f"Precedence: {precedence}"
        suppress = header("X-Auto-Response-Suppress")
        if suppress and suppress != "none":
            return f"X-Auto-Response-Suppress: {suppress}"
        email = tools.email_normalize(message_dict.get("email_from") or "") or ""
        if email.split("@", 1)[0] in AUTO_SENDERS:
            return f"sender {email}"
        return None

    @api.model
    def _gateway_is_own_address(self, email):
        """Whether ``email`` is one of the desk's own addresses: an alias, the
        catchall, bounce or notification address of an alias domain, the
        ``mail.default.from`` address or a company's address. One query."""
        if not email:
            return False
        default_from = self.env["ir.config_parameter"].sudo().get_param("mail.default.from") or ""
        if "@" in default_from and tools.email_normalize(default_from) == email:
            return True
        self.env["mail.alias"].flush_model(["alias_full_name"])
        self.env["mail.alias.domain"].flush_model()
        self.env["res.company"].flush_model(["partner_id"])
        self.env["res.partner"].flush_model(["email_normalized"])
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM mail_alias WHERE alias_full_name = %(email)s
                UNION ALL
                SELECT 1 FROM mail_alias_domain d
                 WHERE %(email)s IN (
                        lower(d.bounce_alias || '@' || d.name),
                        lower(d.catchall_alias || '@' || d.name),
                        lower(CASE WHEN d.default_from LIKE %(at)s THEN d.default_from
                                   ELSE d.default_from || '@' || d.name END))
                UNION ALL
                SELECT 1 FROM res_company c JOIN res_partner p ON p.id = c.partner_id
                 WHERE p.email_normalized = %(email)s
                LIMIT 1
                """,
                email=email,
                at="%@%",
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _gateway_filter_routes(self, message, message_dict, routes):
        """Routes of an incoming mail, as the service desk accepts them.

        - A machine's mail (auto-reply, list, delivery report) or a mail from
          the desk's own addresses never creates a case; on an existing case
          it is logged once, without notifying anyone (no mail loop).
        - A customer's reply to a case resolved or closed longer ago than the
          reopening period creates a follow-up case (a reply within the period
          reopens the case: see :meth:`message_update`).
        """
        email = tools.email_normalize(message_dict.get("email_from") or "")
        reason = self._gateway_auto_reply_reason(message, message_dict)
        if not reason and self._gateway_is_own_address(email):
            reason = f"own address {email}"
        result = []
        for route in routes:
            model, thread_id = route[0], route[1]
            if model != self._name:
                result.append(route)
            elif reason and not thread_id:
                _logger.info(
                    "Service desk: no case for mail %s from %s (%s)",
                    message_dict.get("message_id"),
                    message_dict.get("email_from"),
                    reason,
                )
            elif reason:
                message_dict[IGNORE_KEY] = reason
                result.append(route)
            elif thread_id:
                result.append(self.browse(thread_id)._gateway_reply_route(message_dict, route))
            else:
                result.append(route)
        return result

    def _gateway_reply_route(self, message_dict, route):
        """The route of a reply to this case: the case itself, or (finished
        too long ago) its latest follow-up when that one still takes the
        reply, or a new follow-up case."""
        self.ensure_one()
        if self._gateway_reply_action(message_dict) != "new":
            return route
        follow_up = self.search([("origin_case_id", "=", self.id)], order="id desc", limit=1)
        if follow_up:
            return follow_up._gateway_reply_route(message_dict, (route[0], follow_up.id, *route[2:]))
        return self._gateway_follow_up_route(route)

    def _gateway_reply_action(self, msg_dict):
        """What a reply by mail does to this case: "reopen", "new" (a
        follow-up case) or None (simply added to the case)."""
        self.ensure_one()
        if self.state not in HANDLED_STATES or msg_dict.get("is_internal"):
            return None
        author = self.env["res.partner"].sudo().browse(msg_dict.get("author_id"))
        if author and author.user_ids.filtered(lambda u: not u.share):
            return None  # staff writing on a finished case
        days = int(self.env["ir.config_parameter"].sudo().get_param(REOPEN_DAYS_PARAM, REOPEN_DAYS_DEFAULT) or 0)
        finished = self.date_resolved or self.date_closed or self.date_last_stage_update
        if days > 0 and finished and finished >= fields.Datetime.now() - timedelta(days=days):
            return "reopen"
        return "new"

    def _gateway_follow_up_route(self, route):
        """A route creating a follow-up case of this one (same requester,
        catalog and group; the assignee if they still belong to the group)."""
        self.ensure_one()
        values = {
            "origin_case_id": self.id,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "service_id": self.service_id.id,
            "subservice_id": self.subservice_id.id,
            "team_id": self.team_id.id,
            "priority": self.priority,
            "channel": "email",
        }
        if self.user_id.active and self.user_id in self.team_id.member_ids | self.team_id.leader_id:
            values["user_id"] = self.user_id.id
        return (route[0], False, {k: v for k, v in values.items() if v}, route[3], route[4])

    def _gateway_staff_partners(self):
        self.ensure_one()
        return self.user_id.partner_id or (self.team_id.member_ids | self.team_id.leader_id).partner_id

    def _gateway_reopen_on_reply(self):
        """Reopen cases the requester wrote to within the reopening period."""
        self._reopen_for_requester(self.env._("The requester replied to the finished case: it was reopened."))

    def _reopen_for_requester(self, body):
        """Back to work (New, or In Progress when assigned), telling the
        assignee, or the group when nobody is assigned."""
        for case in self:
            state = "in_progress" if case.user_id else "new"
            stage = self.env["service.desk.stage"].sudo()._get_stage_for_state(state)
            if not stage:
                continue
            case.stage_id = stage
            case.message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=case._gateway_staff_partners().ids,
            )

    def _gateway_notify_follow_up(self):
        """Tell the old case and the people of the new one about a follow-up."""
        for case in self:
            origin = case.origin_case_id
            origin._message_log(
                body=Markup("%s") % self.env._("The requester wrote again: follow-up case %(case)s.", case=case.number)
            )
            # The group is mailed by the new case notification; an assignee
            # taken over from the old case is told here.
            if case.user_id:
                case.message_post(
                    body=self.env._(
                        "Follow-up of %(case)s, which the requester wrote to after it was finished.",
                        case=origin.display_name,
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                    partner_ids=case.user_id.partner_id.ids,
                )

    def _gateway_log_ignored(self, message_dict, reason):
        """Log a machine's mail on cases once per sender, notifying nobody."""
        email = tools.email_normalize(message_dict.get("email_from") or "") or message_dict.get("email_from") or ""
        Message = self.env["mail.message"].sudo()
        for case in self:
            already = Message.search_count(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", case.id),
                    ("message_type", "=", "notification"),
                    ("email_from", "ilike", email),
                ],
                limit=1,
            )
            if already:
                _logger.info("Service desk: automatic mail from %s on %s not logged again", email, case.number)
                continue
            header = self.env._(
                "Automatic mail from %(sender)s (%(reason)s): logged, nobody was notified.",
                sender=email,
                reason=reason,
            )
            message = case._message_log(
                body=Markup("<p>%s</p>%s") % (header, Markup(message_dict.get("body") or "")),
                subject=message_dict.get("subject"),
                author_id=message_dict.get("author_id"),
                email_from=message_dict.get("email_from"),
            )
            message.message_id = message_dict.get("message_id")
