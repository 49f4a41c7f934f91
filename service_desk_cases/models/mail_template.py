# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import html
from markupsafe import Markup

from odoo import api, models, tools
from odoo.tools.safe_eval import check_values

# Context key: render the QWeb fields of a template from code compiled once.
COMPILED_RENDERING_KEY = "service_desk_compiled_rendering"
# Models whose templates are always rendered so: the emails of cases (the
# stage's email, the rating request, the group's email) go out one case at a
# time from Odoo's tracking and rating code, where no context can be set.
COMPILED_RENDERING_MODELS = ("service.desk.case",)


class MailTemplate(models.Model):
    """QWeb bodies compiled once, for the service desk's batch emails.

    Odoo's renderer parses and compiles a template's QWeb source again for
    each record it renders (an ``etree`` has no compilation cache), which
    costs more than the rendering itself. With the context key
    ``service_desk_compiled_rendering``, the source is compiled once per
    process and language (kept in the registry's ``templates`` cache, which
    a change of views clears too) and each record is rendered from that
    code. A failing record is handed to Odoo's renderer, which reports the
    error as it always does. The templates of cases
    (``COMPILED_RENDERING_MODELS``) are always rendered so.
    """

    _inherit = "mail.template"

    @api.model
    @tools.ormcache(
        "template_src",
        "model",
        "tuple(self.env.context.get(k) for k in self.env['ir.qweb']._get_template_cache_keys())",
        cache="templates",
    )
    def _service_desk_compiled_qweb(self, template_src, model):
        """(functions, name of the entry function) of ``template_src``, or
        None when Odoo renders it without QWeb (only plain field values)."""
        if not self._has_unsafe_expression_template_qweb(template_src, model):
            return None
        return self.env["ir.qweb"]._compile(html.fragment_fromstring(template_src, create_parent="div"))

    @api.model
    def _render_template_qweb(self, template_src, model, res_ids, add_context=None, options=None):
        compiled = None
        if (
            (self.env.context.get(COMPILED_RENDERING_KEY) or model in COMPILED_RENDERING_MODELS)
            and template_src
            and res_ids
            and self._unrestricted_rendering
        ):
            compiled = self._service_desk_compiled_qweb(template_src, model)
        if not compiled:
            return super()._render_template_qweb(template_src, model, res_ids, add_context=add_context, options=options)
        functions, entry = compiled
        render = functions[entry]
        variables = self._render_eval_context()
        variables.update(add_context or {})
        qweb = self.env["ir.qweb"].with_context(**(options or {}))
        results = {}
        for record in self.env[model].browse(res_ids):
            values = dict(variables, object=record)
            try:
                renderer = qweb._prepare_environment(values)
                check_values(values)
                # without the <div> the source was wrapped in
                results[record.id] = Markup("".join(render(renderer, values)))[5:-6]
            except Exception:  # noqa: BLE001 - Odoo's renderer reports it
                results.update(
                    super()._render_template_qweb(
                        template_src, model, [record.id], add_context=add_context, options=options
                    )
                )
        return results
