# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 11: the SLA emails reach each recipient in their language."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.service_desk_cases.tests.i18n_common import english_terms, find_terms, load_russian, visible_text

from .sla_common import SlaCommon, msk

SLA_TEMPLATES = ("service_desk_sla.mail_template_sla_warning", "service_desk_sla.mail_template_sla_escalation")


@tagged("post_install", "-at_install")
class TestSlaMailLanguages(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_russian(cls.env)
        cls.terms = english_terms(("service_desk_cases", "service_desk_sla"))
        cls.user_ru = cls._user("sd_ru_agent", "agent", name="Иван Петров", lang="ru_RU")
        cls.user_en = cls._user("sd_en_agent", "agent", name="John Smith", lang="en_US")
        cls.team_mixed = cls.env["service.desk.team"].create(
            {
                "name": "Кассы",
                "line_id": cls.line1.id,
                "member_ids": [Command.set((cls.user_ru | cls.user_en).ids)],
            }
        )
        cls.policy.write(
            {
                "warning_percent": 50,
                "response_hours": 100,
                "resolve_hours": 200,
                "escalation_level_ids": [
                    Command.clear(),
                    Command.create(
                        {"sequence": 1, "delay_hours": 0, "user_ids": [Command.set((cls.user_ru | cls.user_en).ids)]}
                    ),
                ],
            }
        )

    def _run_cron(self, moment):
        with freeze_time(moment):
            self.Sla._cron_escalate(batch_size=200)
        self.env.flush_all()

    def _cases(self, count=1):
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            return self.env["service.desk.case"].create(
                [{"name": f"Не печатается билет {i}", "team_id": self.team_mixed.id} for i in range(count)]
            )

    def _mails(self, cases, text):
        return self._escalation_mails(cases).filtered(lambda m: text in m.body_html)

    def _by_recipient(self, mails):
        self.assertEqual(len(mails), 2, "one email per language")
        ru = mails.filtered(lambda m: self.user_ru.partner_id in m.recipient_ids)
        en = mails.filtered(lambda m: self.user_en.partner_id in m.recipient_ids)
        self.assertEqual(ru.recipient_ids, self.user_ru.partner_id)
        self.assertEqual(en.recipient_ids, self.user_en.partner_id)
        return ru, en

    def test_warning_and_escalation_in_each_recipients_language(self):
        case = self._cases()
        # the take target (2 working hours) is at risk at half of it
        self._run_cron(msk(2026, 3, 10, 10, 1))
        warnings = self._escalation_mails(case)
        ru, en = self._by_recipient(warnings)
        self.assertIn("под угрозой", ru.body_html)
        self.assertIn("Взятие в работу", ru.body_html)
        self.assertIn("Взятие в работу", ru.subject, "the target's label, in Russian, not its key")
        self.assertIn("is at risk", en.body_html)
        self.assertIn("(Take Into Work)", en.subject)
        # breached: level 1 to both
        self._run_cron(msk(2026, 3, 10, 11, 1))
        ru, en = self._by_recipient(self._escalation_mails(case) - warnings)
        self.assertIn("нарушена", ru.body_html)
        self.assertIn("Взятие в работу", ru.subject)
        self.assertIn("is breached", en.body_html)
        self.assertNotIn("нарушена", en.body_html)

    def test_one_rendering_per_level_and_language(self):
        cases = self._cases(4)
        Template = type(self.env["mail.template"])
        calls = []
        original = Template._generate_template

        def spy(template, res_ids, *args, **kwargs):
            calls.append((template.env.lang, len(res_ids)))
            return original(template, res_ids, *args, **kwargs)

        with patch.object(Template, "_generate_template", autospec=True, side_effect=spy):
            self._run_cron(msk(2026, 3, 10, 11, 1))
        self.assertEqual(sorted(calls), [("en_US", 4), ("ru_RU", 4)])
        self.assertEqual(len(self._escalation_mails(cases)), 8)

    def test_sla_templates_in_russian(self):
        case = self._cases()
        case.user_id = self.user_ru
        row = self._row(case, "take")
        for xmlid in SLA_TEMPLATES:
            template = self.env.ref(xmlid).with_context(lang="ru_RU", sla_level_number=1)
            subject = template._render_field("subject", row.ids)[row.id]
            body = visible_text(template._render_field("body_html", row.ids)[row.id])
            self.assertIn("Взятие в работу", body)
            found = find_terms(subject + "\n" + body, self.terms)
            self.assertFalse(found, f"English words of the addons in {xmlid}: {found}")

    def test_sla_views_in_russian(self):
        """The case form with its SLA, the SLA targets and the policy form, as a Russian agent."""
        agent = self.user_ru
        for model in ("service.desk.case", "service.desk.case.sla", "service.desk.sla.policy"):
            Model = self.env[model].with_user(agent).with_context(lang=agent.lang)
            result = Model.get_views([(False, "form"), (False, "list"), (False, "search")])
            for view_type, view in result["views"].items():
                found = find_terms(visible_text(view["arch"], is_html=False), self.terms)
                self.assertFalse(found, f"English words of the addons in the {view_type} view of {model}: {found}")
            fields = result["models"][model]
            fields = fields.get("fields", fields)
            # the fields of these addons (a mixin's fields are translated by its own module)
            ours = {name for name, field in Model._fields.items() if (field._module or "").startswith("service_desk_")}
            labels = "\n".join(
                label
                for name, field in fields.items()
                if name in ours
                for label in [field.get("string") or "", *(label for _key, label in field.get("selection") or [])]
            )
            found = find_terms(labels, self.terms)
            self.assertFalse(found, f"English words of the addons in the field labels of {model}: {found}")
