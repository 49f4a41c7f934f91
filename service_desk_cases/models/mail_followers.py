# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import errors

from odoo import api, models
from odoo.tools import SQL

# mail.followers' unique (res_model, res_id, partner_id)
FOLLOWER_KEY = "mail_followers_mail_followers_res_partner_res_model_id_uniq"


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model_create_multi
    def create(self, vals_list):
        """Followers of cases: the same follower added by two transactions at
        once is a serialization failure, which Odoo answers by running the
        request again (it then finds the follower), not an error.

        An agent who takes a case in one tab while replying from another adds
        themselves as a follower twice: each transaction checked, saw no
        follower and inserted one; the second insert breaks the unique key.
        Odoo's transactions are REPEATABLE READ, where PostgreSQL reports an
        ``INSERT ... ON CONFLICT DO NOTHING`` that meets a row the snapshot
        cannot see as exactly that: a serialization failure. So the insert
        runs in a savepoint (only for cases, only when there is something to
        insert) and, on that unique violation, the same rows are tried again
        that way; a row the snapshot does see keeps the original error."""
        if not any(vals.get("res_model") == "service.desk.case" for vals in vals_list):
            return super().create(vals_list)
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                return super().create(vals_list)
        except errors.UniqueViolation as exc:
            if exc.diag.constraint_name != FOLLOWER_KEY:
                raise
            keys = [(v.get("res_model"), v.get("res_id"), v.get("partner_id")) for v in vals_list]
            with cr.savepoint(flush=False) as probe:
                # raises SerializationFailure for a concurrently committed row
                cr.execute(
                    SQL(
                        "INSERT INTO mail_followers (res_model, res_id, partner_id) VALUES %s ON CONFLICT DO NOTHING",
                        SQL(", ").join(SQL("(%s, %s, %s)", *key) for key in keys),
                    )
                )
                probe.close(rollback=True)
            raise
