# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL

TEMPLATES = ("mail_template_sla_warning", "mail_template_sla_escalation")
OLD = "{{ object.target }}"
NEW = "{{ dict(object._fields['target']._description_selection(object.env)).get(object.target) }}"


def migrate(cr, version):
    """The SLA subjects show the target's label, not its key: the templates
    are noupdate data, so fix their subjects, in every language, where they
    still show the key."""
    cr.execute(
        SQL(
            """
            UPDATE mail_template t
               SET subject = replace(t.subject::text, %(old)s, %(new)s)::jsonb
              FROM ir_model_data d
             WHERE d.model = 'mail.template' AND d.res_id = t.id
               AND d.module = 'service_desk_sla' AND d.name IN %(names)s
               AND strpos(t.subject::text, %(old)s) > 0
            """,
            old=OLD,
            new=NEW,
            names=TEMPLATES,
        )
    )
