# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pure helpers of the cases addon (no Odoo import: tested in the repo's Odoo-free tier)."""

from . import phone
