# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""pytest glue shared by both tiers.

pytest-odoo runs TransactionCase tests against an installed database, but it
cannot serve HTTP: HttpCase classes (portal, routes, tours) are left to
Odoo's own runner (tag ``sd_http``), which ``make test`` runs afterwards.
"""


def pytest_collection_modifyitems(config, items):
    try:
        from odoo.tests import HttpCase
    except ImportError:
        return
    deselected, kept = [], []
    for item in items:
        cls = getattr(item, "cls", None)
        if cls is not None and issubclass(cls, HttpCase):
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
