"""Tracking codes of needs (and numbers of ideas): made at random, read back as a resident types
them. Pure functions: the intake services, the importer, the public pages and Open311 use them."""

from __future__ import annotations

import secrets

from wushe.core.errors import ValidationFailed
from wushe.core.ids import identifier_text

# 32 symbols without 0/O, 1/I: read out over the phone and typed on a phone without mistakes.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS = 3  # XXXX-XXXX-XXXX: 60 random bits, not guessable


def new_code(prefix: str = "") -> str:
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(CODE_GROUPS)]
    return prefix + "-".join(groups)


def normalize_code(raw: object) -> str:
    """What a resident types (lower case, full-width, spaces, no dashes) → the stored form."""
    text = identifier_text(raw, what_zh="查询码", what_en="tracking code", field="tracking_code")
    text = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(text) != 4 * CODE_GROUPS or any(ch not in ALPHABET for ch in text):
        raise ValidationFailed("查询码应为12位字母和数字", "A tracking code has 12 letters and digits",
                               code="tracking_code_format", field="tracking_code")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))
