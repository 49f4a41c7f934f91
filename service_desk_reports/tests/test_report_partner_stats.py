# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.service_desk_cases.tests.common import ServiceDeskCommon


@tagged("post_install", "-at_install")
class TestReportPartnerStats(ServiceDeskCommon):
    def _rate(self, case, value):
        return self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get("service.desk.case").id,
                "res_id": case.id,
                "rating": value,
                "consumed": True,
                "partner_id": case.partner_id.id,
            }
        )

    def test_open_count_and_last_rating_follow_cases(self):
        partner = self.env["res.partner"].create({"name": "Mona Marketing", "email": "mona@example.com"})
        Partner = self.env["res.partner"]

        def open_count():
            # computed per reader, not stored: read it as a new request would
            partner.invalidate_recordset(["service_desk_open_case_count"])
            return partner.service_desk_open_case_count

        self.assertEqual(open_count(), 0)
        case1 = self._create_case(partner_id=partner.id, team_id=self.team_first.id)
        case2 = self._create_case(partner_id=partner.id, team_id=self.team_first.id)
        self.assertEqual(open_count(), 2)
        # marketers filter on it (the field is searchable)
        self.assertIn(partner, Partner.search([("service_desk_open_case_count", ">=", 2)]))
        case1.stage_id = self.stage_resolved
        self.assertEqual(open_count(), 1)
        self.assertNotIn(partner, Partner.search([("service_desk_open_case_count", ">=", 2)]))
        case2.stage_id = self.stage_closed
        self.assertEqual(open_count(), 0)
        case1.stage_id = self.stage_progress  # reopened
        self.assertEqual(open_count(), 1)

        self.assertEqual(partner.service_desk_last_rating, 0.0)
        self._rate(case2, 5)
        self.assertEqual(partner.service_desk_last_rating, 5.0)
        self.assertIn(partner, Partner.search([("service_desk_last_rating", "=", 5)]))
        self._rate(case1, 1)
        self.assertEqual(partner.service_desk_last_rating, 1.0)
        self.assertIn(partner, Partner.search([("service_desk_last_rating", "=", 1)]))

        case1.active = False  # archived cases no longer count as open
        self.assertEqual(open_count(), 0)
