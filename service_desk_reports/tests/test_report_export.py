# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import json
import re
import zipfile
from xml.etree import ElementTree

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import ServiceDeskReportCommon

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read_xlsx(content):
    """The first sheet of a workbook as a list of rows (lists of values),
    read from its XML: numbers as floats, strings as text, blanks as None."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        names = book.namelist()
        strings = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t")) for si in root.findall("x:si", NS)]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{NS['x']}}}row"):
        values = {}
        for cell in row.findall("x:c", NS):
            column = re.match(r"[A-Z]+", cell.get("r")).group()
            index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(column))) - 1
            value = cell.find("x:v", NS)
            if value is None:
                values[index] = None
            elif cell.get("t") == "s":
                values[index] = strings[int(value.text)]
            elif cell.get("t") in ("str", "inlineStr"):
                values[index] = value.text
            else:
                values[index] = float(value.text)
        rows.append([values.get(i) for i in range(max(values, default=-1) + 1)])
    return rows


@tagged("post_install", "-at_install", "sd_http")
class TestReportExport(HttpCase, ServiceDeskReportCommon):
    """The analysis exported to XLSX by the leader carries the figures of
    the analysis (``_read_group``), a never-taken case included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a case Eva has not taken yet: its SLA clocks run, no time to take
        cls.untaken = cls._create_case(
            team_id=cls.team_experts.id, user_id=cls.user_engineer.id, subservice_id=cls.sub_card.id
        )
        cls.cases |= cls.untaken
        # as every user created from the default user template (new_test_user skips it)
        cls.user_leader.groups_id += cls.env.ref("base.group_allow_export")
        cls.env.flush_all()

    def _export(self, url, payload):
        self.authenticate("sd_leader", "sd_leader")
        csrf_token = http.Request.csrf_token(self)
        response = self.url_open(url, data={"data": json.dumps(payload), "csrf_token": csrf_token})
        self.assertEqual(response.status_code, 200, response.text[:500])
        return read_xlsx(response.content)

    def _figures(self, domain=()):
        Report = self.env["service.desk.case.report"].with_user(self.user_leader)
        return {
            user.display_name: (count, take, late)
            for user, count, take, late in Report._read_group(
                [("case_id", "in", self.cases.ids), *domain],
                ["user_id"],
                ["__count", "hours_to_take:avg", "late_count:sum"],
            )
        }

    def test_list_export_has_the_analysis_figures(self):
        figures = self._figures()
        self.assertAlmostEqual(figures["Eva Engineer"][1], 6.0, msg="c5's 6 h: the untaken case left out")
        fields = [
            {"name": "number", "label": "Number", "type": "char"},
            {"name": "user_id", "label": "Assignee", "type": "many2one"},
            {"name": "hours_to_take", "label": "Working Hours to Take", "type": "float"},
            {"name": "late_count", "label": "Cases Not Handled in Time", "type": "integer"},
        ]
        payload = {
            "model": "service.desk.case.report",
            "fields": fields,
            "ids": False,
            "domain": [["case_id", "in", self.cases.ids]],
            "groupby": ["user_id"],
            "context": {},
            "import_compat": False,
        }
        rows = self._export("/web/export/xlsx", payload)
        self.assertEqual(rows[0], ["Number", "Assignee", "Working Hours to Take", "Cases Not Handled in Time"])
        groups = {}
        for row in rows[1:]:
            match = re.match(r"\s*(.+) \((\d+)\)$", row[0] or "")
            if match:
                groups[match.group(1)] = (int(match.group(2)), row[2], row[3])
        self.assertEqual(set(groups), set(figures))
        for name, (count, take, late) in figures.items():
            self.assertEqual(groups[name][0], count, name)
            self.assertAlmostEqual(groups[name][1] or 0.0, take or 0.0, msg=name)
            # Odoo writes the integer totals of a group as text
            self.assertEqual(float(groups[name][2]), late, name)
        # flat export: one line per case; the untaken case's time is empty, not 0
        payload["groupby"] = []
        rows = self._export("/web/export/xlsx", payload)
        by_number = {row[0]: row for row in rows[1:]}
        self.assertEqual(len(by_number), len(self.cases))
        untaken = by_number[self.untaken.number]
        self.assertIn(untaken[2] if len(untaken) > 2 else None, (None, ""))
        self.assertEqual(by_number[self.c2.number][2], 3.0)

    def test_pivot_export_has_the_analysis_figures(self):
        """The pivot's "Download xlsx" (the table the pivot shows, written by
        /web/pivot/export_xlsx) for the favourite per assignee."""
        figures = self._figures()
        names = sorted(figures)
        payload = {
            "title": "Case Analysis",
            "model": "service.desk.case.report",
            "measure_count": 3,
            "origin_count": 1,
            "col_group_headers": [[{"title": "Total", "width": 3, "height": 1}]],
            "measure_headers": [
                {"title": title, "width": 1, "height": 1, "is_bold": False}
                for title in ("Count", "Working Hours to Take", "Cases Not Handled in Time")
            ],
            "origin_headers": [],
            "rows": [
                {
                    "title": name,
                    "indent": 1,
                    "values": [{"value": "" if value is False else value, "is_bold": False} for value in figures[name]],
                }
                for name in names
            ],
        }
        rows = self._export("/web/pivot/export_xlsx", payload)
        exported = {row[0].strip(): row[1:] for row in rows[2:]}
        for name in names:
            count, take, late = figures[name]
            self.assertEqual(exported[name][0], count)
            self.assertAlmostEqual(exported[name][1] or 0.0, take or 0.0)
            self.assertEqual(exported[name][2], late)
