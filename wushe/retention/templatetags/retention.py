"""``{% privacy_notice %}``: who processes a resident's data, why, how long (the retention
rule's current value), and how to ask for a copy or deletion; shown next to a consent."""

from __future__ import annotations

from typing import Any

from django import template

from wushe.regions import rules
from wushe.retention import rules as retention_rules

register = template.Library()


@register.inclusion_tag("retention/_privacy_notice.html")
def privacy_notice() -> dict[str, Any]:
    return {"years": rules.value(retention_rules.CLOSED_NEED_YEARS.key)}
