# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import codecs
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

CASE_MODEL = "service.desk.case"
# Key of the message dict that carries the gateway's verdict from the routing
# to the processing of a message (removed before anything is posted).
IGNORE_KEY = "service_desk_ignore"
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
    def _message_route_process(self, message, message_dict, routes):
        reason = message_dict.pop(IGNORE_KEY, None)
        if reason:
            ignored = [r for r in routes if r[0] == CASE_MODEL and r[1]]
            routes = [r for r in routes if r not in ignored]
            cases = self.env[CASE_MODEL].sudo().browse([r[1] for r in ignored])
            cases._gateway_log_ignored(message_dict, reason)
            if not routes:
                return cases[:1].id
        return super()._message_route_process(message, message_dict, routes)


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
