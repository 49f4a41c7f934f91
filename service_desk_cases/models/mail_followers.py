# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import errorcodes, errors

from odoo import api, models

# mail.followers' unique (res_model, res_id, partner_id)
FOLLOWER_KEY = "mail_followers_mail_followers_res_partner_res_model_id_uniq"


class FollowerRace(errors.SerializationFailure):
    """The same follower inserted by a concurrent transaction: reported as
    the serialization failure it is, which Odoo's request retry handles."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model_create_multi
    def create(self, vals_list):
        """Followers of cases: the same follower added by two transactions at
        once is a serialization failure, which Odoo answers by running the
        request again (it then finds the follower), not an error.

        An agent who takes a case in one tab while replying from another adds
        themselves as a follower twice: each transaction looked, found no
        follower and inserted one; the second insert breaks the unique key.
        Odoo's transactions are REPEATABLE READ and Odoo inserts only the
        followers it did not find: a follower it could not see was committed
        by a concurrent transaction after this one started, which is what a
        serialization failure means. No savepoint, no extra query: the
        transaction is lost either way, and the retry starts a new one."""
        try:
            return super().create(vals_list)
        except errors.UniqueViolation as exc:
            keys = [(vals.get("res_model"), vals.get("res_id"), vals.get("partner_id")) for vals in vals_list]
            if (
                exc.diag.constraint_name != FOLLOWER_KEY
                or not any(model == "service.desk.case" for model, _res_id, _partner_id in keys)
                # the same follower twice in one batch is a bug, not a race
                or len(set(keys)) != len(keys)
            ):
                raise
            raise FollowerRace(f"a concurrent transaction added the same follower: {exc.diag.message_detail}") from exc
