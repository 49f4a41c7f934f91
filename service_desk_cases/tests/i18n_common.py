# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Finding the addons' English words in what a Russian-speaking user sees."""

import re
from pathlib import Path

import polib
from lxml import etree, html

from odoo.modules.module import get_module_path

# Single English words of the addons that are unmistakably ours when seen in a
# Russian screen (longer msgids, of two words or more, are always looked for).
DISTINCTIVE_WORDS = {
    "Assignee",
    "Escalate",
    "Escalated",
    "Escalation",
    "Requester",
    "Subservice",
    "Take",
    "Breached",
    "Overdue",
    "Unassigned",
    "Resolved",
    "Cases",
}
# Attributes whose value is shown to the user.
VISIBLE_ATTRIBUTES = ("string", "placeholder", "help", "title", "confirm", "aria-label", "alt", "data-tooltip")
# Markup or placeholders: such msgids are not plain words to look for.
NOT_PLAIN = re.compile(r"[%<>{}\n]|\$\(|\bt-")
INLINE_EXPRESSION = re.compile(r"\{\{.*?\}\}")


def english_terms(addons, lang="ru"):
    """The English source terms of ``addons`` worth looking for in a ``lang`` screen.

    Terms whose translation is the source itself ("SLA", "API") are left out;
    untranslated terms stay (they are what the check finds).
    """
    terms = set()
    for addon in addons:
        folder = Path(get_module_path(addon)) / "i18n"
        translated = {entry.msgid: entry.msgstr for entry in polib.pofile(str(folder / f"{lang}.po"))}
        for entry in polib.pofile(str(folder / f"{addon}.pot")):
            if entry.occurrences and all(source.endswith("_demo") for source, _line in entry.occurrences):
                # demo records' names: tests make records of their own, in English
                continue
            msgid = entry.msgid.strip()
            if not msgid or translated.get(entry.msgid) == entry.msgid:
                continue
            if "{{" in msgid and "<" not in msgid:
                # an inline template (a subject): its text between the expressions
                terms.update(
                    fragment
                    for fragment in (part.strip(" ()[]:,.-") for part in INLINE_EXPRESSION.split(msgid))
                    if len(re.findall(r"[A-Za-z]{2,}", fragment)) >= 2
                )
                continue
            if NOT_PLAIN.search(msgid):
                continue
            words = re.findall(r"[A-Za-z]{2,}", msgid)
            if len(words) >= 2 or msgid in DISTINCTIVE_WORDS:
                terms.add(msgid)
    return terms


def find_terms(text, terms):
    """The ``terms`` found as whole words in ``text`` (case-sensitive), sorted."""
    return sorted(term for term in terms if re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text))


def visible_text(markup, is_html=True):
    """The text nodes and shown attributes of ``markup`` (not scripts, styles, expressions)."""
    if not markup or not str(markup).strip():
        return ""
    if is_html:
        root = html.fromstring(str(markup))
    else:
        root = etree.fromstring(str(markup).encode())
    chunks = []
    for node in root.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() not in ("script", "style"):
            chunks.append(node.text or "")
            chunks.extend(node.get(attribute) or "" for attribute in VISIBLE_ATTRIBUTES)
        chunks.append(node.tail or "")
    return "\n".join(chunk.strip() for chunk in chunks if chunk and chunk.strip())


def installed_service_desk_addons(env):
    """This addon and the ones installed on top of it (named without
    naming them: the cases addon never refers to its dependents)."""
    modules = (
        env["ir.module.module"]
        .sudo()
        .search([("name", "=like", "service\\_desk\\_%"), ("state", "in", ("installed", "to install", "to upgrade"))])
    )
    return tuple(modules.mapped("name"))


def load_russian(env, modules=None):
    """Activate ru_RU and load the terms of ``modules`` from their ru.po files."""
    if modules is None:
        modules = installed_service_desk_addons(env) + ("web", "mail", "portal", "rating", "resource")
    env["res.lang"]._activate_lang("ru_RU")
    env["ir.module.module"]._load_module_terms(list(modules), ["ru_RU"], overwrite=True)
