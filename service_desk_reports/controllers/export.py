# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The group averages of an XLSX/CSV export of the analysis models.

Odoo's grouped export averages a column as the sum of its non-empty cells
divided by the number of rows of the group, empty cells included. The
analysis leaves a duration empty until its event happened (a case never
taken has no time to take), and its pivot, graph and dashboard average the
rows that have a value (SQL ``AVG``): the export of these models averages
the same rows, so that the workbook shows the analysis' figures. Other
models keep Odoo's behaviour.
"""

from odoo.addons.web.controllers.export import GroupsTreeNode

REPORT_MODELS = {
    "service.desk.case.report",
    "service.desk.sla.report",
    "service.desk.rating.report",
    "service.desk.backlog.report",
}

_get_avg_aggregate = GroupsTreeNode._get_avg_aggregate


def _filled_values(node, index):
    if node.data:
        return [row[index] for row in node.data if row[index] != ""]
    return [value for child in node.children.values() for value in _filled_values(child, index)]


def _get_avg_aggregate_filled(self, field_name, data):
    if self._model._name not in REPORT_MODELS:
        return _get_avg_aggregate(self, field_name, data)
    values = _filled_values(self, self._export_field_names.index(field_name))
    return sum(values) / len(values) if values else ""


GroupsTreeNode._get_avg_aggregate = _get_avg_aggregate_filled
