"""The registry of record kinds under retention.

Each kind says which of its rows are past their period (``due``), which rows of one person an
erasure may take (``of_person``) and how a row is anonymised (``anonymise``: names and
identifiers replaced, links to the person cut, free text cleared, encrypted fields and their
blind indexes too). A kind that holds a person for a legal period (``holds``) makes an erasure
stop short of the person's own row, with its reason.

Rows stay (every count and sum of the KPI module reads the same rows); only what identifies a
person goes. Writes go through the model attributes, so encrypted columns work whatever their
field class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from wushe.regions import rules

ANON_NAME = "已匿名"


@dataclass(frozen=True)
class RecordKind:
    key: str  # "<app>.<what>", e.g. "needs.closed"
    zh: str
    en: str
    rule: str  # the local rule of its period
    model: Callable[[], type[models.Model]]
    # Rows whose purpose has ended, and the field holding the day it ended.
    ended: Callable[[], QuerySet[Any]]
    ended_field: str
    anonymise: Callable[[Any], None]
    # The rows of one person (a Person) an erasure may take: ended rows, whatever their period.
    of_person: Callable[[Any], QuerySet[Any]]
    person_of: Callable[[Any], int | None]  # the person's id, read before the link is cut
    path_field: str = "region_path"
    # Rows that keep the person for a legal period (e.g. donation receipts): an erasure then
    # leaves the person's own row. None for kinds that never hold.
    holds: Callable[[Any, dt.datetime], QuerySet[Any]] | None = None
    reason_zh: str = ""
    reason_en: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh

    def done_ids(self) -> QuerySet[Any]:
        from wushe.retention.models import Anonymisation

        return Anonymisation.objects.filter(kind=self.key).values("object_id")

    def due(self, now: dt.datetime | None = None) -> QuerySet[Any]:
        """Rows past their period (the region's own period, see ``period_q``), not yet done."""
        now = now or timezone.now()
        return (self.ended().filter(period_q(self.rule, self.ended_field, self.path_field, now))
                .exclude(pk__in=self.done_ids()))


KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    KINDS[kind.key] = kind
    return kind


def cutoff(years: int, now: dt.datetime) -> dt.datetime:
    """``now`` less whole years (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def period_q(rule_key: str, ended_field: str, path_field: str, now: dt.datetime) -> Q:
    """Rows whose period has passed, each under the period of its own region: the override
    nearest above it (community → street → district), else the district-wide value."""
    from wushe.regions.models import RegionRule

    overrides = dict(RegionRule.objects.unscoped(reason="rules: local rules read by region path").filter(key=rule_key)
                     .values_list("region_path", "value"))
    rule = rules.RULES[rule_key]

    def passed(years: Any) -> Q:
        limit: Any = cutoff(int(years), now)
        return Q(**{f"{ended_field}__lt": limit})

    q = passed(rule.base())
    for path in overrides:
        q &= ~Q(**{f"{path_field}__startswith": path})
    for path, stored in overrides.items():
        deeper = [p for p in overrides if p != path and p.startswith(path)]
        part = Q(**{f"{path_field}__startswith": path}) & passed(rule.from_json(stored))
        for p in deeper:
            part &= ~Q(**{f"{path_field}__startswith": p})
        q |= part
    return q


def unscoped(qs: Any) -> Any:
    """The queryset without its region guard (the retention job runs for the whole district)."""
    return qs.unscoped(reason="retention: scrubs the whole district") if hasattr(qs, "unscoped") else qs


def scrub(obj: models.Model, *names: str, placeholder: dict[str, str] | None = None) -> None:
    """Clear ``names`` on ``obj`` (placeholder text where the column needs a value) and every
    blind index ``<name>_bidx`` that goes with them; saves only those columns."""
    placeholder = placeholder or {}
    fields = {f.name: f for f in obj._meta.concrete_fields}
    changed: list[str] = []
    for name in names:
        f = fields[name]
        if name in placeholder:
            setattr(obj, name, placeholder[name])
        else:
            setattr(obj, name, None if f.null else "")
        changed.append(name)
        bidx = f"{name}_bidx"
        if bidx in fields and bidx not in names:
            setattr(obj, bidx, None if fields[bidx].null else "")
            changed.append(bidx)
    obj.save(update_fields=changed)
