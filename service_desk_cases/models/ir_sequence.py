# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import namedtuple

from odoo import api, models, tools
from odoo.tools import SQL

# What drawing numbers reads of a sequence (see ``_sd_sequence_settings``).
SequenceSettings = namedtuple("SequenceSettings", ["id", "plain", "prefix", "suffix", "padding"])
# Changing one of these changes the settings of a cached sequence.
SETTINGS_FIELDS = {
    "code",
    "company_id",
    "active",
    "implementation",
    "use_date_range",
    "prefix",
    "suffix",
    "padding",
}


class IrSequence(models.Model):
    # creating or deleting a sequence clears the caches too: a new sequence
    # of a code may come first (a company's own)
    _name = "ir.sequence"
    _inherit = ["ir.sequence", "service.desk.cached.mixin"]
    _sd_cache_fields = SETTINGS_FIELDS

    @api.model
    @tools.ormcache("code", "company_id")
    def _sd_sequence_settings(self, code, company_id):
        """The sequence ``code`` of one company (its own first, else a shared
        one), as ``SequenceSettings``, or None.

        Cached per process: every new case draws its number here. Creating,
        deleting a sequence, or changing one of ``SETTINGS_FIELDS`` clears it.
        ``plain``: a standard sequence without date ranges nor date
        placeholders, whose numbers are drawn and formatted without reading
        the sequence again.
        """
        # the company's own sequence first (a NULL company sorts last)
        seq = self.sudo().search_fetch(
            [("code", "=", code), ("company_id", "in", [company_id, False])],
            ["implementation", "use_date_range", "prefix", "suffix", "padding"],
            order="company_id",
            limit=1,
        )
        if not seq:
            return None
        prefix, suffix = seq.prefix or "", seq.suffix or ""
        plain = seq.implementation == "standard" and not seq.use_date_range and "%" not in prefix + suffix
        return SequenceSettings(seq.id, plain, prefix, suffix, seq.padding)

    @api.model
    def _sd_next_batch(self, code, company_id, count):
        """``count`` numbers of the sequence ``code`` for one company at once.

        Standard sequences draw all the numbers in one query; the others fall
        back to ``next_by_id`` (which locks the row anyway).
        """
        settings = self._sd_sequence_settings(code, company_id)
        if not settings:
            return [self.env["ir.sequence"].next_by_code(code) or "/" for _i in range(count)]
        seq = self.sudo().browse(settings.id).with_company(company_id)
        if not settings.plain and (seq.implementation != "standard" or seq.use_date_range):
            return [seq.next_by_id() for _i in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{settings.id:03d}",
                count,
            )
        )
        numbers = [row[0] for row in self.env.cr.fetchall()]
        if settings.plain:
            return [f"{settings.prefix}{number:0{settings.padding}d}{settings.suffix}" for number in numbers]
        # placeholders of dates in the prefix or suffix: Odoo interpolates them
        return [seq.get_next_char(number) for number in numbers]
