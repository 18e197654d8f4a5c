"""Local rules: the seed's numbers that a district may set for itself, region by region.

Each rule has a default (overridable in settings, see ``Rule.setting``) and the document it
comes from. A district admin may override a rule for any region; the value that applies to a
region is the override nearest above it (community → street → district), else the default.

Apps declare their rules at import time (``define``) and read them with ``value``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from wushe.core.errors import ValidationFailed


@dataclass(frozen=True)
class Rule:
    key: str  # "<app>.<name>", e.g. "workforce.staffing_ratio"
    default: Any
    kind: str  # "int", "decimal", "int_list", "decimal_list", "text"
    zh: str
    en: str
    source: str  # the document the default comes from
    setting: str = ""  # a Django setting that replaces the default district-wide
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def base(self) -> Any:
        return getattr(settings, self.setting, self.default) if self.setting else self.default

    def parse(self, raw: Any) -> Any:
        """A value from a form or the API, checked; raises ValidationFailed."""
        try:
            if self.kind in ("int_list", "decimal_list"):
                items = raw if isinstance(raw, list | tuple) else str(raw).replace("，", ",").split(",")
                one = int if self.kind == "int_list" else Decimal
                value: Any = [one(str(x).strip()) for x in items if str(x).strip()]
                checked = value
            elif self.kind == "int":
                value = int(str(raw).strip())
                checked = [value]
            elif self.kind == "decimal":
                value = Decimal(str(raw).strip())
                checked = [value]
            else:
                return str(raw)
        except (ValueError, InvalidOperation):
            raise ValidationFailed(f"{self.zh}的取值格式不正确", f"{self.en}: the value is not valid",
                                   field="value") from None
        for v in checked:
            if (self.minimum is not None and v < self.minimum) or \
                    (self.maximum is not None and v > self.maximum):
                raise ValidationFailed(f"{self.zh}超出允许范围", f"{self.en} is out of range",
                                       field="value")
        return value

    def to_json(self, value: Any) -> Any:
        if isinstance(value, list):
            return [str(v) if isinstance(v, Decimal) else v for v in value]
        return str(value) if isinstance(value, Decimal) else value

    def from_json(self, stored: Any) -> Any:
        return self.parse(stored) if self.kind != "text" else stored


RULES: dict[str, Rule] = {}


def define(rule: Rule) -> Rule:
    RULES[rule.key] = rule
    return rule


def value(key: str, region: Any = None) -> Any:
    """The rule's value for a region (a Region, a region path, or None for the district-wide)."""
    rule = RULES[key]
    path = getattr(region, "path", region) or ""
    if path:
        from wushe.regions.models import RegionRule

        paths = [path[:n] for n in (6, 9, 12, 15) if n <= len(path)]
        overrides = dict(RegionRule.objects.unscoped().filter(key=key, region_path__in=paths)
                         .values_list("region_path", "value"))
        for p in reversed(paths):
            if p in overrides:
                return rule.from_json(overrides[p])
    return rule.base()
