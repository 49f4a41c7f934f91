# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import os
import pathlib
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tests.common import ChromeBrowser, get_db_name
from odoo.tools import config

from .common import ServiceDeskCommon

SCREENSHOTS_ENV = "SD_SCREENSHOTS_DIR"


def screenshots_dir():
    """Folder of the screens' screenshots: ``$SD_SCREENSHOTS_DIR``, else
    ``<Odoo's screenshots folder>/<database>/service_desk``."""
    folder = os.environ.get(SCREENSHOTS_ENV) or os.path.join(config["screenshots"], get_db_name(), "service_desk")
    path = pathlib.Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


class ScreenshotMixin:
    """Tours that leave a 1920x1080 screenshot of the page they end on."""

    browser_size = "1920x1080"

    def start_tour_screenshot(self, url_path, tour_name, screenshot, **kwargs):
        """Run the tour; on success, save ``<screenshot>.png`` of its last page."""
        stop = ChromeBrowser.stop
        taken = []

        def stop_after_screenshot(browser):
            if not taken and hasattr(browser, "ws"):
                taken.append(self._save_screenshot(browser, screenshot))
            return stop(browser)

        with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
            self.start_tour(url_path, tour_name, **kwargs)
        return taken[0] if taken else None

    def screenshot_page(self, url_path, ready, screenshot, login):
        """Open ``url_path`` as ``login``, wait for ``ready`` (a CSS selector,
        or a JavaScript expression when it starts with ``js:``) and save
        ``<screenshot>.png``."""
        stop = ChromeBrowser.stop
        taken = []

        def stop_after_screenshot(browser):
            if not taken and hasattr(browser, "ws"):
                taken.append(self._save_screenshot(browser, screenshot))
            return stop(browser)

        code = "console.log('test successful')"
        ready_code = ready[3:] if ready.startswith("js:") else f"!!document.querySelector({ready!r})"
        with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
            self.browser_js(url_path, code, ready=ready_code, login=login)
        return taken[0] if taken else None

    def _save_screenshot(self, browser, name):
        width, height = (int(size) for size in self.browser_size.replace(",", "x").split("x"))
        browser._websocket_request(
            "Emulation.setDeviceMetricsOverride",
            params={"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        # let fonts, avatars and the layout at that size settle
        browser._websocket_request(
            "Runtime.evaluate",
            params={"expression": "new Promise((r) => setTimeout(r, 500))", "awaitPromise": True},
        )
        data = browser._websocket_request("Page.captureScreenshot", params={"format": "png"}, timeout=30)["data"]
        path = screenshots_dir() / f"{name}.png"
        path.write_bytes(base64.b64decode(data))
        self._logger.info("Screenshot of %s in: %s", name, path)
        return path


@tagged("post_install", "-at_install", "sd_http")
class TestCaseScreens(ScreenshotMixin, HttpCase, ServiceDeskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.refunds = cls.env["res.partner"].create(
            {
                "name": "Ticket refunds",
                "parent_id": cls.customer_company.id,
                "service_desk_service_id": cls.service_events.id,
                "service_desk_user_id": cls.user_engineer.id,
            }
        )

    # ------------------------------------------------------------------
    # Operator
    # ------------------------------------------------------------------

    def test_phone_call_form_line_and_subject(self):
        """Service -> Subservice -> Line -> Group, subject as main input, in the app."""
        self.customer.phone = False
        caller = self.env["res.partner"].create({"name": "Ivan Caller", "phone": "84951234567"})
        shot = self.start_tour_screenshot(
            "/odoo/action-service_desk_cases.service_desk_phone_call_action",
            "service_desk_phone_call_tour",
            "operator_call_form_case",
            login="sd_operator",
        )
        case = self.env["service.desk.case"].search([("name", "=", "Card charged twice for one ticket")])
        self.assertEqual(len(case), 1)
        self.assertEqual(case.partner_id, caller)
        self.assertEqual(case.team_id, self.team_payments)
        self.assertEqual(case.line_id, self.line2)
        self.assertEqual(case.create_uid, self.user_operator)
        self.assertTrue(shot and shot.exists())

    def test_call_link_opens_in_the_app(self):
        self.customer.phone = False
        self.env["res.partner"].create(
            {"name": "Ivan Caller", "phone": "84951234567", "service_desk_service_id": self.service_events.id}
        )
        self.start_tour(
            "/service_desk/call?phone=%2B7%20(495)%20123-45-67",
            "service_desk_call_link_tour",
            login="sd_operator",
        )
        case = self.env["service.desk.case"].search([("name", "=", "Refund for a cancelled show")])
        self.assertEqual(case.service_id, self.service_events)
        self.assertEqual(case.channel, "phone")

    def test_call_form_contact_defaults(self):
        self.start_tour(
            "/odoo/action-service_desk_cases.service_desk_phone_call_action",
            "service_desk_call_contact_defaults_tour",
            login="sd_operator",
        )
        case = self.env["service.desk.case"].search([("name", "=", "Refund of two tickets")])
        self.assertEqual(case.partner_id, self.refunds)
        self.assertEqual(case.service_id, self.service_events)
        self.assertEqual(case.user_id, self.user_engineer)

    def test_operator_form_screenshot(self):
        shot = self.screenshot_page(
            "/odoo/action-service_desk_cases.service_desk_phone_call_action",
            ".o_form_view.o_service_desk_phone_call .o_field_widget[name=phone] input",
            "operator_call_form",
            login="sd_operator",
        )
        self.assertTrue(shot and shot.exists())

    def test_new_case_breadcrumb_and_contact_defaults(self):
        self.start_tour(
            "/odoo/action-service_desk_cases.service_desk_case_action/new",
            "service_desk_case_new_tour",
            login="sd_operator",
        )

    # ------------------------------------------------------------------
    # Agent and leader
    # ------------------------------------------------------------------

    def test_escalate_button_only_for_who_can(self):
        case = self._create_case(name="Card declined", subservice_id=self.sub_card.id, team_id=self.team_first.id)
        url = f"/odoo/action-service_desk_cases.service_desk_case_action/{case.id}"
        # agent2 (Payments L2) sees the Front Desk's case through the group option
        self.team_payments.member_see_all = True
        self.start_tour(url, "service_desk_escalate_hidden_tour", login="sd_agent2")
        self.start_tour(url, "service_desk_escalate_shown_tour", login="sd_agent")
        # on the last line there is nowhere to escalate to
        case.team_id = self.team_experts
        self.start_tour(url, "service_desk_escalate_hidden_tour", login="sd_engineer")

    def test_kanban_card(self):
        with freeze_time("2026-03-02 09:00:00"):
            self._create_case(
                name="Refund for the concert of 14 March",
                subservice_id=self.sub_card.id,
                team_id=self.team_first.id,
                user_id=self.user_agent.id,
                priority="2",
            )
            self._create_case(name="Seat map is wrong", service_id=self.service_events.id, team_id=self.team_first.id)
        shot = self.start_tour_screenshot(
            "/odoo/action-service_desk_cases.service_desk_case_action?view_type=kanban",
            "service_desk_kanban_tour",
            "agent_kanban",
            login="sd_agent",
        )
        self.assertTrue(shot and shot.exists())

    def test_search_filters_and_group_bys(self):
        mine = self._create_case(name="Card declined", subservice_id=self.sub_card.id, team_id=self.team_first.id)
        self._create_case(name="Seat map", service_id=self.service_events.id, team_id=self.team_first.id)
        mine.activity_schedule("mail.mail_activity_data_todo", user_id=self.user_agent.id)
        self.start_tour(
            "/odoo/action-service_desk_cases.service_desk_case_action",
            "service_desk_search_tour",
            login="sd_agent",
        )

    def test_leader_reassigns_within_the_group(self):
        case = self._create_case(
            name="Card declined",
            subservice_id=self.sub_card.id,
            team_id=self.team_payments.id,
            user_id=self.user_agent2.id,
        )
        self.start_tour(
            f"/odoo/action-service_desk_cases.service_desk_case_action/{case.id}",
            "service_desk_leader_reassign_tour",
            login="sd_leader",
        )
        self.assertEqual(case.user_id, self.user_engineer)

    def test_leader_todo_opens_the_case(self):
        """The escalation ladder's to-do (created with sudo, as the SLA job
        does) points at the case, and the leader opens it from the activities."""
        case = self._create_case(name="Card declined", subservice_id=self.sub_card.id, team_id=self.team_payments.id)
        activity = (
            self.env["mail.activity"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("service.desk.case"),
                    "res_id": case.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "summary": "SLA breached: resolution",
                    "user_id": self.user_leader.id,
                }
            )
        )
        self.assertEqual((activity.res_model, activity.res_id), ("service.desk.case", case.id))
        self.start_tour(
            "/odoo/action-service_desk_cases.service_desk_case_action?view_type=activity",
            "service_desk_leader_todo_tour",
            login="sd_leader",
        )

    def test_roles_land_in_the_service_desk_app(self):
        self.start_tour("/odoo", "service_desk_home_tour", login="sd_agent")

    def test_case_form_screenshot(self):
        case = self._create_case(
            name="Card charged twice for one ticket",
            subservice_id=self.sub_card.id,
            team_id=self.team_first.id,
            user_id=self.user_agent.id,
            description="<p>The caller was charged twice for ticket 4411.</p>",
        )
        shot = self.screenshot_page(
            f"/odoo/action-service_desk_cases.service_desk_case_action/{case.id}",
            ".o_form_view .o_field_widget[name=name] input",
            "agent_case_form",
            login="sd_agent",
        )
        self.assertTrue(shot and shot.exists())

    def test_portal_case_page_screenshot(self):
        case = self._create_case(
            name="My refund did not arrive",
            partner_id=self.user_portal.partner_id.id,
            service_id=self.service_events.id,
        )
        case.message_post(
            body="We are checking with the bank.", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        # the portal chatter renders in a shadow root, after the page
        chatter_loaded = (
            "js:[...document.querySelectorAll('*')].some("
            "(el) => el.shadowRoot && el.shadowRoot.querySelector('.o-mail-Message'))"
        )
        shot = self.screenshot_page(f"/my/cases/{case.id}", chatter_loaded, "portal_case_page", login="sd_portal")
        self.assertTrue(shot and shot.exists())


@tagged("post_install", "-at_install")
class TestCaseScreensLogic(ServiceDeskCommon, TransactionCase):
    def test_new_case_display_name(self):
        Case = self.env["service.desk.case"].with_user(self.user_operator)
        self.assertEqual(Case.default_get(["number"]).get("number"), "New", "the placeholder number")
        self.assertFalse(Case.new({"number": "New"}).display_name, "the client shows its own 'New'")
        self.assertEqual(Case.new({"number": "New", "name": "Lost ticket"}).display_name, "Lost ticket")
        case = Case.create({"name": "Lost ticket", "partner_id": self.customer.id})
        self.assertEqual(case.display_name, f"{case.number} Lost ticket")

    def test_case_form_contact_defaults_onchange(self):
        refunds = self.env["res.partner"].create(
            {
                "name": "Ticket refunds",
                "service_desk_subservice_id": self.sub_schedule.id,
                "service_desk_user_id": self.user_engineer.id,
            }
        )
        form = Form(self.env["service.desk.case"].with_user(self.user_operator))
        form.partner_id = refunds
        self.assertEqual(form.service_id, self.service_events)
        self.assertEqual(form.subservice_id, self.sub_schedule)
        self.assertEqual(form.user_id, self.user_engineer)

    def test_call_form_fills_single_line_and_group(self):
        Call = self.env["service.desk.phone.call"].with_user(self.user_operator)
        form = Form(Call)
        form.service_id = self.service_events
        # Front Desk (1st line) and Events L2 (2nd line): nothing chosen for the operator
        self.assertFalse(form.line_id)
        self.assertFalse(form.team_id)
        form.line_id = self.line2
        self.assertEqual(form.team_id, self.team_events, "the only group of the line")
        form.line_id = self.line1
        self.assertEqual(form.team_id, self.team_first, "the group follows the line")
        form.team_id = self.team_events
        self.assertEqual(form.line_id, self.line2, "the line follows the group")

    def test_call_form_contact_defaults_onchange(self):
        refunds = self.env["res.partner"].create(
            {
                "name": "Ticket refunds",
                "service_desk_service_id": self.service_events.id,
                "service_desk_user_id": self.user_engineer.id,
            }
        )
        form = Form(self.env["service.desk.phone.call"].with_user(self.user_operator))
        form.partner_id = refunds
        self.assertEqual(form.service_id, self.service_events)
        self.assertEqual(form.user_id, self.user_engineer)
        form.name = "Refund"
        action = form.save().action_register()
        case = self.env["service.desk.case"].browse(action["res_id"])
        self.assertEqual(case.user_id, self.user_engineer)
        self.assertEqual(action["target"], "main")

    def test_can_escalate(self):
        case = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        self.assertTrue(case.with_user(self.user_agent).can_escalate, "member of the group")
        self.assertTrue(case.with_user(self.user_leader).can_escalate, "leader of the group")
        self.assertTrue(case.with_user(self.user_manager).can_escalate, "supervisor")
        self.assertFalse(case.with_user(self.user_agent2).can_escalate, "not in the group")
        self.assertFalse(case.with_user(self.user_requester).can_escalate, "not an agent")
        case.team_id = self.team_experts
        self.assertFalse(case.with_user(self.user_engineer).can_escalate, "no later line")
        case.team_id = self.team_first
        case.stage_id = self.stage_resolved
        self.assertFalse(case.with_user(self.user_agent).can_escalate, "finished")

    def test_roles_get_the_service_desk_home_action(self):
        cases = self.env.ref("service_desk_cases.service_desk_case_action")
        requests = self.env.ref("service_desk_cases.service_desk_case_action_requests")
        self.assertEqual(self.user_agent.action_id.id, cases.id)
        self.assertEqual(self.user_requester.action_id.id, requests.id)
        employee = self._user("sd_plain", "employee")
        self.assertFalse(employee.action_id)
        employee.groups_id = [(4, self.env.ref("service_desk_cases.group_service_desk_user").id)]
        self.assertEqual(employee.action_id.id, cases.id)
        # a home action chosen by the administrator is kept
        discuss = self.env.ref("mail.action_discuss")
        self.user_leader.action_id = discuss.id
        self.user_leader.groups_id = [(4, self.env.ref("service_desk_cases.group_service_desk_manager").id)]
        self.assertEqual(self.user_leader.action_id.id, discuss.id)

    def test_filters_as_agent(self):
        mine = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        other = self._create_case(subservice_id=self.sub_card.id, team_id=self.team_first.id)
        with freeze_time("2026-03-01"):
            mine.activity_schedule("mail.mail_activity_data_todo", user_id=self.user_agent.id)
        Case = self.env["service.desk.case"].with_user(self.user_agent)
        self.assertEqual(Case.search([("activity_user_id", "=", self.user_agent.id)]), mine)
        self.assertEqual(Case.search([("my_activity_date_deadline", "<", "2026-03-05")]), mine)
        self.assertIn(other, Case.search([("line_id", "=", self.line1.id)]))
