"""Local rules: the seed's numbers that a district may set for itself, region by region.

Each rule has a default (overridable in settings, see ``Rule.setting``) and the document it
comes from. A district admin may override a rule for any region; the value that applies to a
region is the override nearest above it (community → street → district), else the default.

Apps declare their rules at import time (``define``) and read them with ``value``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings

from wushe.core.errors import ValidationFailed

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@dataclass(frozen=True)
class Rule:
    key: str  # "<app>.<name>", e.g. "workforce.staffing_ratio"
    default: Any
    kind: str  # "int", "decimal", "int_list", "decimal_list", "text"
    zh: str
    en: str
    source: str  # the passage of the document the default comes from (shown to users)
    setting: str = ""  # a Django setting that replaces the default district-wide
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    doc: str = ""  # the citation key of its document in the policy library (wushe/policies)
    unit: str = ""  # how a value reads: a key of UNITS
    choices: tuple[tuple[str, str, str], ...] = ()  # text lists: (code, zh, en) per item

    def label(self) -> str:
        return self.en if _english() else self.zh

    def shown(self, value: Any) -> str:
        """The value as people read it: labels joined with 、, units, percentages."""
        en = _english()
        if self.choices:
            names = {c: (e if en else z) for c, z, e in self.choices}
            items = [names.get(x.strip(), x.strip()) for x in str(value).split(",") if x.strip()]
            return ("、" if not en else ", ").join(items) or ("any" if en else "不限")
        if self.kind == "text":
            items = [x.strip() for x in str(value).replace("，", ",").split(",") if x.strip()]
            return ("、" if not en else ", ").join(items) or ("any" if en else "不限")
        values = value if isinstance(value, list | tuple) else [value]
        zh_fmt, en_fmt = UNITS.get(self.unit, ("{n}", "{n}"))
        parts = [_number(v, self.unit) for v in values]
        if self.unit == "flag":
            return ("yes" if en else "是") if str(values[0]) == "1" else ("no" if en else "否")
        if self.unit == "working_days" and len(values) == 1 and str(values[0]) == "0":
            return "the same day" if en else "当日"
        joined = ("、" if not en else ", ").join(parts)
        return (en_fmt if en else zh_fmt).format(n=joined)

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
            elif self.choices:
                codes = {n: c for c, z, e in self.choices for n in (c, z, e)}
                items = [x.strip() for x in str(raw).replace("，", ",").replace("、", ",")
                         .split(",") if x.strip()]
                if any(x not in codes for x in items):
                    raise ValueError(raw)
                return ",".join(codes[x] for x in items)
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


# How a rule's value reads, by unit: (zh, en) around the number(s).
UNITS: dict[str, tuple[str, str]] = {
    "working_days": ("{n} 个工作日", "{n} working days"),
    "days": ("{n} 天", "{n} days"),
    "months": ("{n} 个月", "{n} months"),
    "years": ("{n} 年", "{n} years"),
    "hours": ("{n} 小时", "{n} hours"),
    "percent": ("{n}", "{n}"),
    "rate": ("{n}", "{n}"),
    "yuan": ("{n} 元", "{n} yuan"),
    "people": ("{n} 人", "{n} people"),
    "points": ("{n} 分", "{n} points"),
    "times": ("{n} 次", "{n} times"),
    "grade": ("{n}", "{n}"),
}


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "zh").startswith("en")


def _number(v: Any, unit: str) -> str:
    d = Decimal(str(v))
    if unit == "rate":
        d = d * 100
    text = f"{d.normalize():,f}" if d == d.to_integral_value() else f"{d.normalize():,f}"
    if unit in ("rate", "percent"):
        return f"{text}%"
    if unit == "grade":
        return f"{text}A" if d else ("不限" if not _english() else "any")
    return text


RULES: dict[str, Rule] = {}


def define(rule: Rule) -> Rule:
    RULES[rule.key] = rule
    return rule


# Who finds the documents rules cite (``Rule.doc``): the policies app registers its scoped
# selector from ``AppConfig.ready()`` (``wushe/policies/apps.py``), so regions imports no
# capability app. A lookup takes ``actor=`` and ``keys=`` and returns {key: document}.
DOCUMENT_LOOKUPS: dict[str, Callable[..., dict[str, Any]]] = {}


def register_document_lookup(name: str, lookup: Callable[..., dict[str, Any]]) -> None:
    DOCUMENT_LOOKUPS[name] = lookup


def documents(*, actor: Actor, keys: set[str]) -> dict[str, Any]:
    """The documents the given keys name, those the actor may read, from every lookup."""
    found: dict[str, Any] = {}
    for lookup in DOCUMENT_LOOKUPS.values():
        found.update(lookup(actor=actor, keys=keys))
    return found


def value(key: str, region: Any = None) -> Any:
    """The rule's value for a region (a Region, a region path, or None for the district-wide)."""
    rule = RULES[key]
    path = getattr(region, "path", region) or ""
    if path:
        from wushe.regions.models import RegionRule

        paths = [path[:n] for n in (6, 9, 12, 15) if n <= len(path)]
        overrides = dict(RegionRule.objects.unscoped(reason="rules: local rules read by region path").filter(key=key, region_path__in=paths)
                         .values_list("region_path", "value"))
        for p in reversed(paths):
            if p in overrides:
                return rule.from_json(overrides[p])
    return rule.base()
