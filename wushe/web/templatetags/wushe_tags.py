from __future__ import annotations

import json
from typing import Any

from django import template

register = template.Library()


@register.filter
def compact_json(value: Any) -> str:
    """Audit data as readable JSON (Chinese kept as is), not a Python repr."""
    if value in (None, "", {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


@register.filter
def grouped(value: Any) -> str:
    """A count with its thousands grouped (250,000), as every figure a user reads."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)
