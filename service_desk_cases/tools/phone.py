# Copyright 2026 Service Desk contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Phone numbers as the desk compares them (pure Python, no Odoo import)."""

import re

# What a person may type in a phone number besides digits.
PHONE_CHARS = re.compile(r"^[\d\s()+\-./]*$")
# Fewer digits than this is not a phone number.
PHONE_MIN_DIGITS = 5


def normalize_phone(number):
    """Digits of a phone number in a comparable national form.

    Russian-style numbers are reduced to their ten significant digits, so
    ``+7 (495) 123-45-67`` and ``8 495 123 45 67`` compare equal; other
    numbers keep all their digits. Returns "" for no number.
    """
    digits = re.sub(r"\D", "", number or "")
    if len(digits) == 11 and digits[0] in "78":
        return digits[1:]
    return digits


def is_phone_number(number):
    """Whether ``number`` is written with phone characters only and has enough digits."""
    return bool(number) and bool(PHONE_CHARS.match(number)) and len(normalize_phone(number)) >= PHONE_MIN_DIGITS
