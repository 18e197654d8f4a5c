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
