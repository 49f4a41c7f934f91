# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The benchmark writes cases with COPY (bench/generate.py): its column lists
must follow the tables. Run here because this addon's database has all three
addons installed, so every stored field of the case exists."""

import importlib.util
import unittest
from pathlib import Path

from odoo.tests import TransactionCase, tagged

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
# table -> name of its column list in bench/generate.py
TABLES = {
    "service_desk_case": "CASE_COLUMNS",
    "mail_message": "MESSAGE_COLUMNS",
    "rating_rating": "RATING_COLUMNS",
}


@tagged("post_install", "-at_install")
class TestReportBenchColumns(TransactionCase):
    @classmethod
    def setUpClass(cls):
        if not GENERATOR.is_file():
            raise unittest.SkipTest(f"{GENERATOR} is not shipped with this copy of the addon")
        super().setUpClass()
        spec = importlib.util.spec_from_file_location("service_desk_bench_generate", GENERATOR)
        cls.generate = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.generate)

    def _columns(self, table):
        """{column: (NOT NULL, has a DB default)} of a table."""
        self.env.cr.execute(
            """
            SELECT column_name, is_nullable = 'NO', column_default IS NOT NULL
              FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s
            """,
            [table],
        )
        return {name: (not_null, has_default) for name, not_null, has_default in self.env.cr.fetchall()}

    def _drift(self, table):
        """(columns the generator must write but does not, columns it writes
        that the table does not have)."""
        columns = self._columns(table)
        generated = getattr(self.generate, TABLES[table])
        required = {name for name, (not_null, has_default) in columns.items() if not_null and not has_default}
        return sorted(required - set(generated)), sorted(set(generated) - set(columns))

    def test_generator_writes_every_required_column(self):
        for table, list_name in TABLES.items():
            missing, unknown = self._drift(table)
            self.assertFalse(
                missing,
                f"{table} has NOT NULL columns without a default that bench/generate.py {list_name} does not write",
            )
            self.assertFalse(unknown, f"bench/generate.py {list_name} writes columns that {table} no longer has")
        stats = set(self.generate.PARTNER_STAT_COLUMNS)
        self.assertFalse(
            sorted(stats - set(self._columns("res_partner"))),
            "bench/generate.py PARTNER_STAT_COLUMNS writes columns that res_partner no longer has",
        )
        generated = set(self.generate.CASE_COLUMNS)
        self.assertEqual(len(generated), len(self.generate.CASE_COLUMNS), "CASE_COLUMNS lists a column twice")
        # the ORM's view of the same contract: a required stored field gets a
        # NOT NULL column, which COPY must fill (Python defaults do not apply)
        Case = self.env["service.desk.case"]
        required = {name for name, f in Case._fields.items() if f.store and f.required and f.column_type}
        self.assertFalse(sorted(required - generated), "required fields of the case missing from CASE_COLUMNS")

    def test_drift_is_detected(self):
        """A required column added to the case, or a generated column dropped
        from it, is reported (the DDL is rolled back with the test)."""
        self.assertEqual(self._drift("service_desk_case"), ([], []))
        self.env.cr.execute(
            "ALTER TABLE service_desk_case ADD COLUMN sd_bench_probe integer NOT NULL DEFAULT 0;"
            "ALTER TABLE service_desk_case ALTER COLUMN sd_bench_probe DROP DEFAULT;"
            "ALTER TABLE service_desk_case RENAME COLUMN color TO sd_bench_color"
        )
        self.assertEqual(self._drift("service_desk_case"), (["sd_bench_probe"], ["color"]))
