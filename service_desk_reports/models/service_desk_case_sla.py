# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models, tools


class ServiceDeskCaseSla(models.Model):
    _inherit = "service.desk.case.sla"

    def _auto_init(self):
        res = super()._auto_init()
        # The report views aggregate the SLA rows per case and per target
        # (an elapsed time counts once the target is reached).
        columns = ["case_id", "target", "state", "elapsed_hours", "escalation_level", "reached_date"]
        self._cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["service_desk_case_sla_case_target_report_idx"],
        )
        row = self._cr.fetchone()
        if row and "reached_date" not in row[0]:
            self._cr.execute("DROP INDEX service_desk_case_sla_case_target_report_idx")
        tools.create_index(self._cr, "service_desk_case_sla_case_target_report_idx", self._table, columns)
        # "Not handled in time": a semi-join on the breached rows only.
        tools.create_index(
            self._cr,
            "service_desk_case_sla_breached_case_idx",
            self._table,
            ["case_id"],
            where="state = 'breached'",
        )
        return res
