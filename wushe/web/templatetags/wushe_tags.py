from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def compact_json(value: Any) -> str:
    """Audit data as readable JSON (Chinese kept as is), not a Python repr."""
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@register.filter
def grouped(value: Any) -> str:
    """A count with its thousands grouped (250,000), as every figure a user reads. Never for
    an identifier (an id, a year, a code, a phone): those are shown as they are."""
    number = _number(value)
    if number is None:
        return "" if value is None else str(value)
    return f"{int(number):,}"


@register.filter
def money(value: Any) -> str:
    """Yuan with two decimals and the thousands grouped (12,099,700.00); "—" when unknown."""
    number = _number(value)
    if number is None:
        return "—" if value in (None, "") else str(value)
    return f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


@register.filter
def wan_yuan(value: Any) -> str:
    """A headline amount of money as the seed text writes it: 万元 in Chinese from 10,000 yuan
    on (5,200,000 → "520.00万元", 1,527,000,000 → "152,700.00万元"), yuan below; grouped yuan
    in English ("5,200,000.00 yuan")."""
    number = _number(value)
    if number is None:
        return "—" if value in (None, "") else str(value)
    if not (translation.get_language() or "zh").startswith("zh"):
        return f"{money(number)} yuan"
    if abs(number) >= 10_000:
        return f"{money(number / 10_000)}万元"
    return f"{money(number)}元"
