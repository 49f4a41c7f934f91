# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Phone normalisation of the cases addon, without Odoo."""

import importlib.util

import pytest

from .helpers import REPO

PHONE_PY = REPO / "service_desk_cases" / "tools" / "phone.py"

# loaded by path: service_desk_cases/__init__.py imports Odoo
_spec = importlib.util.spec_from_file_location("sd_phone", PHONE_PY)
phone = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(phone)


def test_phone_has_no_odoo_import():
    source = PHONE_PY.read_text()
    assert "import odoo" not in source and "from odoo" not in source


@pytest.mark.parametrize(
    "number",
    ["+7 (495) 123-45-67", "84951234567", "8 495 123 45 67", "7-495-123-45-67", "4951234567"],
)
def test_russian_forms_compare_equal(number):
    assert phone.normalize_phone(number) == "4951234567"


def test_other_numbers_keep_all_digits():
    assert phone.normalize_phone("+33 1 23 45 67 89") == "33123456789"
    # eleven digits not starting with 7 or 8 are not a Russian number
    assert phone.normalize_phone("+1 212 555 01234") == "121255501234"
    assert phone.normalize_phone("91234567890") == "91234567890"


@pytest.mark.parametrize("empty", [None, "", "abc", "   "])
def test_no_digits_is_empty(empty):
    assert phone.normalize_phone(empty) == ""


@pytest.mark.parametrize("number", ["+7 (495) 123-45-67", "12345", "+33.1.23.45.67.89", "030/1234567"])
def test_is_phone_number_accepts(number):
    assert phone.is_phone_number(number)


@pytest.mark.parametrize("number", [None, "", "1234", "call me", "495 123 45 67 ext", "+7 495; DROP TABLE"])
def test_is_phone_number_refuses(number):
    assert not phone.is_phone_number(number)
