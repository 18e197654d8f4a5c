"""Validators of what a need says (the resident's words, the contact phone): the intake
services, the importer and the 12345 hotline's orders read their input through them."""

from __future__ import annotations

from wushe.core.errors import ValidationFailed
from wushe.core.ids import normalize_phone
from wushe.core.text import clean_text

DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 4


def clean_description(value: object) -> str:
    text = clean_text(value, field="description", label_zh="诉求内容", label_en="Description",
                      max_length=DESCRIPTION_MAX, required=True)
    if len(text) < DESCRIPTION_MIN:
        raise ValidationFailed("请把诉求说得具体一些(至少4个字)",
                               "Describe the need in a few more words (at least 4 characters)",
                               code="too_short", field="description")
    return text


def clean_phone(raw: object, field: str = "contact_phone") -> str:
    try:
        return normalize_phone(raw)
    except ValidationFailed as exc:
        exc.field = field  # the form's name for it, so the error lands next to the field
        raise
