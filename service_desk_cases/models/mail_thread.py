# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import codecs
import logging

from odoo import api, models, tools
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CASE_MODEL = "service.desk.case"
# Key of the message dict that carries the gateway's verdict from the routing
# to the processing of a message (removed before anything is posted).
IGNORE_KEY = "service_desk_ignore"
# Key of the message dict (from the routing) then of the context (to the
# case's message_new): the sender's contact looked up when routing a new case,
# as (company id, email_from, partner id or False, whether other companies
# have contacts of the address).
REQUESTER_KEY = "service_desk_requester"
# Precedence values of mail that no person wrote (RFC 3834, common practice).
AUTO_PRECEDENCES = ("auto_reply", "bulk", "junk", "list")
# Local parts of the addresses of mail systems (delivery reports).
AUTO_SENDERS = ("mailer-daemon", "postmaster")
# Replies to a finished case reopen it within this many days (setting).
REOPEN_DAYS_PARAM = "service_desk_cases.reopen_days"
REOPEN_DAYS_DEFAULT = 7


class MailThread(models.AbstractModel):
    """Mail gateway hooks for service desk cases.

    The gateway routes a message from ``mail.thread`` itself, so the case
    model cannot see the message headers on its own: these two overrides
    hand the routes that target cases to the case model and leave every
    other route untouched.
    """

    _inherit = "mail.thread"

    @api.model
    def message_parse(self, message, save_original=False):
        """A part in a charset Python does not know is read as UTF-8 (or
        Latin-1 when it is not UTF-8) instead of losing the whole mail."""
        try:
            return super().message_parse(message, save_original=save_original)
        except LookupError:
            if not _replace_unknown_charsets(message):
                raise
            return super().message_parse(message, save_original=save_original)

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        if any(route[0] == CASE_MODEL for route in routes):
            routes = self.env[CASE_MODEL].sudo()._gateway_filter_routes(message, message_dict, routes)
        return routes

    @api.model
    def _routing_reset_bounce(self, email_message, message_dict):
        """Odoo's reset of the bounce counters of the sender, with the models
        that keep one taken from the registry instead of a search of
        ``ir.model`` on each mail (its ``is_mail_blacklist`` flag is set from
        the same class test when the registry loads, and cannot be changed)."""
        email = message_dict["email_from"]
        if not email or tools.email_normalize(email, strict=False) != email:
            # Odoo compares the sender as written with the contacts'
            # normalized addresses: a sender written otherwise (with a name,
            # "Name <address>", or in capitals) matches none, no query needed
            return
        blacklist = self.pool["mail.thread.blacklist"]
        for name in sorted(self.pool):
            model = self.pool[name]
            if name != blacklist._name and not model._abstract and issubclass(model, blacklist):
                # Odoo's search as superuser (active records only), in SQL:
                # one probe of the address' index per mail
                Model = self.env[name].sudo()
                where = SQL("message_bounce > 0 AND email_normalized = %s", email)
                if Model._active_name:
                    where = SQL("%s AND %s", where, SQL.identifier(Model._active_name))
                Model.flush_model(["message_bounce", "email_normalized", Model._active_name or "id"])
                self.env.cr.execute(SQL("SELECT id FROM %s WHERE %s ORDER BY id", SQL.identifier(Model._table), where))
                Model.browse([row[0] for row in self.env.cr.fetchall()])._message_reset_bounce(email)

    @api.model
    def _mail_find_user_for_gateway(self, email_value, alias=None):
        """The user a new case by mail is created as: one query for the
        aliases of cases, when the gateway runs as superuser (as the mail
        fetcher does), instead of four (the alias check, the alias owner's
        followers, the users among them, then all users). Same answer as
        Odoo's: none for an alias' own address; else the active user of the
        address who follows the alias' owner (the group), else any active
        user of the address, in the users' order."""
        if not (self.env.su and alias and alias.sudo().alias_model_id.model == CASE_MODEL):
            return super()._mail_find_user_for_gateway(email_value, alias=alias)
        email = tools.email_normalize(email_value)
        if not email:
            return self.env["res.users"]
        self.env["mail.alias"].flush_model(["alias_full_name", "alias_parent_model_id", "alias_parent_thread_id"])
        self.env["mail.followers"].flush_model(["res_model", "res_id", "partner_id"])
        self.env["res.users"].flush_model(["active", "partner_id", "login"])
        self.env["res.partner"].flush_model(["email_normalized", "name"])
        self.env.cr.execute(
            SQL(
                """
                SELECT u.id
                  FROM res_users u
                  JOIN res_partner p ON p.id = u.partner_id
                 WHERE u.active AND p.email_normalized = %(email)s
                   AND NOT EXISTS (SELECT 1 FROM mail_alias WHERE alias_full_name = %(value)s)
                 ORDER BY EXISTS (
                        SELECT 1 FROM mail_alias a
                          JOIN ir_model m ON m.id = a.alias_parent_model_id
                          JOIN mail_followers f ON f.res_model = m.model AND f.res_id = a.alias_parent_thread_id
                         WHERE a.id = %(alias)s AND f.partner_id = u.partner_id
                       ) DESC, p.name, u.login
                 LIMIT 1
                """,
                email=email,
                value=email_value,
                alias=alias.id,
            )
        )
        row = self.env.cr.fetchone()
        return self.env["res.users"].browse(row[0] if row else ())

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        # not a value of the message (message_post would store it): to the
        # case's message_new by the context
        requester = message_dict.pop(REQUESTER_KEY, None)
        thread = self.with_context(**{REQUESTER_KEY: requester}) if requester else self
        reason = message_dict.pop(IGNORE_KEY, None)
        if reason:
            ignored = [r for r in routes if r[0] == CASE_MODEL and r[1]]
            routes = [r for r in routes if r not in ignored]
            cases = self.env[CASE_MODEL].sudo().browse([r[1] for r in ignored])
            cases._gateway_log_ignored(message_dict, reason)
            if not routes:
                return cases[:1].id
        return super(MailThread, thread)._message_route_process(message, message_dict, routes)


def _replace_unknown_charsets(message):
    """Give the parts of ``message`` whose charset is unknown a known one;
    return whether any part was changed."""
    changed = False
    for part in message.walk():
        charset = part.get_param("charset")
        if not charset or part.is_multipart():
            continue
        try:
            codecs.lookup(str(charset))
        except LookupError:
            payload = part.get_payload(decode=True) or b""
            try:
                payload.decode("utf-8")
                known = "utf-8"
            except UnicodeDecodeError:
                known = "latin-1"
            _logger.info("Mail %s: unknown charset %s read as %s", message.get("Message-Id"), charset, known)
            part.set_param("charset", known)
            changed = True
    return changed
