"""Masked display of personal data: what every page shows unless a purpose is stated."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """First 4 and last 4 kept, so the X check digit stays visible: 5001**********123X."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """3 + **** + 4 for mobiles; landlines keep the area code and the last 4."""
    if not value:
        return ""
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return value[: max(0, len(value) - 8)] + "****" + value[-4:]


def mask_name(value: str | None) -> str:
    """The second character masked: 张三 → 张*, 欧阳娜娜 → 欧*娜娜."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    return value[0] + "*" + value[2:]


def mask_address(value: str | None) -> str:
    """Keep the first 6 characters (district and street), hide the rest."""
    if not value:
        return ""
    return value[:6] + "****"
