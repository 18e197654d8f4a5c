"""The dry-run report: what the retention job would anonymise now, per record kind, within
the actor's scope."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.regions import rules
from wushe.retention import links
from wushe.retention.registry import KINDS

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

PERM = "rules.manage"


def retention_report(*, actor: Actor | None = None, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """One line per kind: its period (district-wide), its source and how many rows are past it.
    ``actor`` None is the command line (the whole district)."""
    if actor is not None and not scope.has_perm(actor, PERM):
        raise NotFound()
    now = now or timezone.now()
    lines = []
    for kind in KINDS.values():
        qs = kind.due(now)
        if actor is not None:
            q = scope.filter_q(actor, PERM, kind.path_field)
            if q is not None:
                qs = qs.filter(q)
        rule = rules.RULES[kind.rule]
        lines.append({"kind": kind.key, "zh": kind.zh, "en": kind.en, "years": rule.base(),
                      "rule": rule.key, "source": rule.source, "count": qs.count()})
    persons = links.persons_due()
    if actor is not None and persons:
        from wushe.people.models import Person

        persons = set(scope.visible(Person.objects, actor, PERM).filter(pk__in=persons)
                      .values_list("pk", flat=True))
    lines.append({"kind": links.PERSON_KIND, "zh": "记录均已匿名化的人员",
                  "en": "Persons none of whose records is kept", "years": None, "rule": "",
                  "source": "", "count": len(persons)})
    return lines
