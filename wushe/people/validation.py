"""The cleaning of a person's fields, shared by the person services and the importer."""

from __future__ import annotations

from typing import Any

from wushe.core.ids import normalize_id_number, normalize_phone
from wushe.core.text import clean_person_name, clean_text


def clean_person_fields(
    *, name: object, id_number: object, phone: object, address: object
) -> dict[str, Any]:
    values: dict[str, Any] = {"name": clean_person_name(name)}
    values["id_number"] = normalize_id_number(id_number) if id_number not in (None, "") else None
    values["phone"] = normalize_phone(phone) if phone not in (None, "") else None
    values["address"] = clean_text(address, field="address", label_zh="住址", label_en="Address",
                                   max_length=200)
    return values
