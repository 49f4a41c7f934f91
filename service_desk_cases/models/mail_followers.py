# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import errors

from odoo import api, models
from odoo.tools import mute_logger

# mail.followers' unique (res_model, res_id, partner_id)
FOLLOWER_KEY = "mail_followers_mail_followers_res_partner_res_model_id_uniq"


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model_create_multi
    def create(self, vals_list):
        """Followers of cases: a follower that a concurrent transaction
        added at the same moment is already there, which is all this
        creation wanted; the rest of the request goes on.

        An agent who takes a case in one session while a reply goes out
        from another adds themselves as a follower twice at once: each
        transaction looked, found no follower (Odoo reads before it
        inserts) and inserted one; the second insert waits for the first
        transaction and then breaks the unique key. Under REPEATABLE READ
        no read can see the other's row first, and ``ON CONFLICT DO
        NOTHING`` reports it as a serialization failure, which Odoo answers
        by running the whole request again after a random pause of up to
        2 s. A savepoint around the insert keeps the request instead: on
        that key's violation it rolls back to the savepoint, and adds one
        by one, each in its own savepoint, the followers of the batch that
        are still missing. The same follower twice in one batch is a bug,
        not a race, and stays the unique key's error. As Odoo does for its
        own expected violations (sequences, presences), the failed insert
        is not logged as a bad query."""
        keys = [(vals.get("res_model"), vals.get("res_id"), vals.get("partner_id")) for vals in vals_list]
        if not any(model == "service.desk.case" for model, _res_id, _partner_id in keys) or len(set(keys)) != len(keys):
            return super().create(vals_list)
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                return super().create(vals_list)
        except errors.UniqueViolation as exc:
            if exc.diag.constraint_name != FOLLOWER_KEY:
                raise
        followers = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    followers |= super().create([vals])
            except errors.UniqueViolation as exc:
                if exc.diag.constraint_name != FOLLOWER_KEY:
                    raise
        return followers
