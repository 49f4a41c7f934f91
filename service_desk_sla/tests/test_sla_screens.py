# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.service_desk_cases.tests.test_case_screens import ScreenshotMixin

from .sla_common import SlaCommon


@tagged("post_install", "-at_install", "sd_http")
class TestSlaScreens(ScreenshotMixin, HttpCase, SlaCommon):
    def test_sla_deadline_readable_at_a_glance(self):
        """Issue 14: date and time with "in 2 h 15 min" / "overdue by 40 min",
        and a breached case never reads as a future deadline."""
        now = fields.Datetime.now()
        running = self._sla_case(name="Running case", subservice_id=self.sub_card.id)
        late = self._sla_case(name="Late case", subservice_id=self.sub_card.id)
        breached = self._sla_case(name="Breached case", subservice_id=self.sub_card.id)
        for case in running | late | breached:
            self.assertTrue(case.sla_ids, "the policy applies")
            case.sla_ids.sudo().write({"deadline": now + timedelta(days=1)})
        running.sla_ids.sorted("deadline")[:1].sudo().write({"deadline": now + timedelta(hours=2, minutes=15)})
        late.sla_ids[:1].sudo().write({"deadline": now - timedelta(minutes=40)})
        breached.sla_ids[:1].sudo().write({"deadline": now - timedelta(hours=3), "state": "breached"})
        self.assertEqual(breached.sla_status, "breached")
        self.assertGreater(breached.sla_deadline, now, "the next running target is in the future")
        form = self.start_tour_screenshot(
            "/odoo/action-service_desk_cases.service_desk_case_action",
            "service_desk_sla_deadline_tour",
            "agent_case_form_sla",
            login="sd_agent",
        )
        self.assertTrue(form and form.exists())
        kanban = self.screenshot_page(
            "/odoo/action-service_desk_cases.service_desk_case_action?view_type=kanban",
            ".o_kanban_record .o_sd_deadline",
            "agent_kanban_sla",
            login="sd_agent",
        )
        self.assertTrue(kanban and kanban.exists())
