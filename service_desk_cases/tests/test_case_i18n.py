# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 11: a Russian-speaking user sees the service desk in Russian."""

from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.mail.models.mail_template import MailTemplate

from .common import ServiceDeskCommon, steady_gc
from .i18n_common import english_terms, find_terms, load_russian, visible_text

CASE_TEMPLATES = (
    "service_desk_cases.mail_template_case_new_team",
    "service_desk_cases.mail_template_case_taken",
    "service_desk_cases.mail_template_case_resolved",
    "service_desk_cases.mail_template_case_rating",
)


class RussianDeskCommon(ServiceDeskCommon):
    """ru_RU loaded, a Russian-speaking agent and portal user, and a group
    with one Russian and one English member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_russian(cls.env)
        cls.terms = english_terms(("service_desk_cases",))
        cls.user_ru_agent = cls._user("sd_ru_agent", "agent", name="Иван Петров", lang="ru_RU")
        cls.user_en_agent = cls._user("sd_en_agent", "agent", name="John Smith", lang="en_US")
        cls.user_ru_portal = cls._user(
            "sd_ru_portal", "portal", name="Мария Клиентова", email="maria@kino.example.com", lang="ru_RU"
        )
        cls.team_mixed = cls.env["service.desk.team"].create(
            {
                "name": "Кассы",
                "line_id": cls.line1.id,
                "member_ids": [(6, 0, (cls.user_ru_agent | cls.user_en_agent).ids)],
            }
        )
        cls.service_tickets = cls.env["service.desk.service"].create(
            {"name": "Билеты", "code": "TKT", "team_ids": [(6, 0, cls.team_mixed.ids)]}
        )

    def _new_case_mails(self, cases):
        return (
            self.env["mail.mail"]
            .search([("model", "=", "service.desk.case"), ("res_id", "in", cases.ids), ("subject", "like", "] ")])
            .filtered(lambda m: m.recipient_ids & self.team_mixed.member_ids.partner_id)
        )

    def _create_ru_cases(self, count):
        Case = self.env["service.desk.case"].with_user(self.user_operator)
        return Case.create(
            [
                {
                    "name": f"Не печатается билет {i}",
                    "service_id": self.service_tickets.id,
                    "team_id": self.team_mixed.id,
                    "partner_id": self.user_ru_portal.partner_id.id,
                }
                for i in range(count)
            ]
        )


class TestCaseMailLanguages(RussianDeskCommon):
    def test_group_members_read_the_new_case_in_their_language(self):
        case = self._create_ru_cases(1)
        mails = self._new_case_mails(case)
        ru_partner, en_partner = self.user_ru_agent.partner_id, self.user_en_agent.partner_id
        self.assertEqual(len(mails), 2, "one email per language of the group")
        ru_mail = mails.filtered(lambda m: ru_partner in m.recipient_ids)
        en_mail = mails.filtered(lambda m: en_partner in m.recipient_ids)
        self.assertEqual(ru_mail.recipient_ids, ru_partner)
        self.assertEqual(en_mail.recipient_ids, en_partner)
        self.assertIn("Новое обращение", ru_mail.subject)
        self.assertIn("Зарегистрировано новое обращение", ru_mail.body_html)
        self.assertIn("New case", en_mail.subject)
        self.assertIn("A new case was registered", en_mail.body_html)
        self.assertNotIn("Новое", en_mail.subject + en_mail.body_html)

    def test_one_rendering_per_language_not_per_case(self):
        calls = []
        original = MailTemplate._generate_template

        def spy(template, res_ids, *args, **kwargs):
            calls.append((template.env.lang, len(res_ids)))
            return original(template, res_ids, *args, **kwargs)

        with patch.object(MailTemplate, "_generate_template", autospec=True, side_effect=spy):
            cases = self._create_ru_cases(5)
        self.assertEqual(sorted(calls), [("en_US", 5), ("ru_RU", 5)])
        self.assertEqual(len(self._new_case_mails(cases)), 10)

    def test_bilingual_group_queries_do_not_grow_with_cases(self):
        counts = []
        for size in (2, 3, 12):
            self.env.flush_all()
            self.env.invalidate_all()
            with steady_gc():
                start = self.cr.sql_log_count
                self._create_ru_cases(size)
                self.env.flush_all()
                counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], f"queries for 3 and 12 cases differ: {counts[1:]}")


class TestCaseRussianScreens(RussianDeskCommon):
    def _assert_russian(self, text, where):
        found = find_terms(text, self.terms)
        self.assertFalse(found, f"English words of the addon in {where}: {found}")

    def test_case_views_in_russian(self):
        agent = self.user_ru_agent
        Case = self.env["service.desk.case"].with_user(agent).with_context(lang=agent.lang)
        result = Case.get_views([(False, "form"), (False, "list"), (False, "kanban"), (False, "search")])
        self.assertIn("Взять в работу", result["views"]["form"]["arch"], "the Take button is translated")
        for view_type, view in result["views"].items():
            self._assert_russian(visible_text(view["arch"], is_html=False), f"the {view_type} view")
        for model, description in result["models"].items():
            if not model.startswith("service.desk"):
                continue
            fields = description.get("fields", description)
            labels = []
            for field in fields.values():
                labels += [field.get("string") or "", field.get("help") or ""]
                labels += [label for _key, label in field.get("selection") or []]
            self._assert_russian("\n".join(labels), f"the field labels of {model}")

    def test_mail_templates_in_russian(self):
        case = self._create_ru_cases(1)
        case.user_id = self.user_ru_agent
        for xmlid in CASE_TEMPLATES:
            template = self.env.ref(xmlid).with_context(lang="ru_RU")
            for field in ("subject", "body_html"):
                rendered = template._render_field(field, case.ids)[case.id]
                text = visible_text(rendered) if field == "body_html" else rendered
                self.assertTrue(text.strip())
                self._assert_russian(text, f"{xmlid} ({field})")

    def test_customer_templates_follow_the_requester(self):
        """The requester's templates choose the requester's language."""
        case = self._create_ru_cases(1)
        case.user_id = self.user_ru_agent
        for xmlid in CASE_TEMPLATES[1:]:
            template = self.env.ref(xmlid)
            self.assertEqual(template._render_lang(case.ids), {case.id: "ru_RU"}, xmlid)
            values = template.with_context(lang="en_US")._generate_template(case.ids, ("subject", "body_html"))
            self._assert_russian(values[case.id]["subject"] + visible_text(values[case.id]["body_html"]), xmlid)


@tagged("post_install", "-at_install", "sd_http")
class TestCasePortalRussian(HttpCase, RussianDeskCommon):
    def test_portal_pages_in_russian(self):
        case = self._create_ru_cases(1)
        case.sudo()._portal_ensure_token()
        self.authenticate(self.user_ru_portal.login, self.user_ru_portal.login)
        for url in ("/my/cases", f"/my/cases/{case.id}", "/my/cases/new"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("Обращени", response.text, url)
            self.assertFalse(
                find_terms(visible_text(response.text), self.terms),
                f"English words of the addon on {url}: {find_terms(visible_text(response.text), self.terms)}",
            )
