# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _sd_next_batch(self, code, company_id, count):
        """``count`` numbers of the sequence ``code`` for one company at once.

        Standard sequences draw all the numbers in one query; the others fall
        back to ``next_by_id`` (which locks the row anyway).
        """
        # the company's own sequence first (a NULL company sorts last)
        # with what the numbers need, in the same query
        seq = self.sudo().search_fetch(
            [("code", "=", code), ("company_id", "in", [company_id, False])],
            ["implementation", "use_date_range", "prefix", "suffix", "padding", "number_increment"],
            order="company_id",
            limit=1,
        )
        if not seq:
            return [self.env["ir.sequence"].next_by_code(code) or "/" for _i in range(count)]
        seq = seq.with_company(company_id)
        if seq.implementation != "standard" or seq.use_date_range:
            return [seq.next_by_id() for _i in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{seq.id:03d}",
                count,
            )
        )
        numbers = [row[0] for row in self.env.cr.fetchall()]
        return [seq.get_next_char(n) for n in numbers]
