"""The actor's open work, read from the registered producers (registry.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils import timezone

from wushe.inbox.registry import PRODUCERS, Item, Producer

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

PER_KIND = 50  # items of one kind listed on the home page and by the API, most urgent first
SOON_DAYS = 2  # due within this many days: amber
BADGE_SECONDS = 30  # the menu's count badge may lag an action by this much (the lists never do)


def _querysets(actor: Actor) -> list[tuple[Producer, Any]]:
    """Each producer's queryset for the actor, skipping those that answer none without a
    query (a role without the permission)."""
    out = []
    for code in sorted(PRODUCERS):
        p = PRODUCERS[code]
        qs = p.query(actor)
        if not qs.query.is_empty():
            out.append((p, qs))
    return out


def work_counts(*, actor: Actor) -> dict[str, int]:
    """Open items by kind (kinds with none left out): one count per producer that applies."""
    counts = {p.code: qs.order_by().count() for p, qs in _querysets(actor)}
    return {code: n for code, n in counts.items() if n}


def _badge_key(actor: Actor) -> str:
    return f"wushe:work:badge:{actor.pk}"


def badge_count(*, actor: Actor) -> int:
    """The total for the menu's badge, cached briefly per account (every page shows it)."""
    key = _badge_key(actor)
    total = cache.get(key)
    if total is None:
        total = sum(work_counts(actor=actor).values())
        cache.set(key, total, BADGE_SECONDS)
    return int(total)


def colour(due: dt.date | None, today: dt.date) -> str:
    """"overdue" (red), "due" (amber: within SOON_DAYS) or "ok"; "" without a due date."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    return "due" if (due - today).days <= SOON_DAYS else "ok"


@dataclass
class Group:
    kind: str
    label: Any
    society: str
    count: int
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def first_due(self) -> dt.date:
        dues = [i["due"] for i in self.items if i["due"]]
        return min(dues) if dues else dt.date.max


def work_groups(*, actor: Actor, per_kind: int = PER_KIND, kind: str | None = None) -> list[Group]:
    """The actor's open work grouped by kind, each group's items most urgent first and the
    groups ordered by their most urgent item."""
    today = timezone.localdate()
    groups = []
    for p, qs in _querysets(actor):
        if kind and p.code != kind:
            continue
        count = qs.order_by().count()
        if not count:
            continue
        items = [p.item(obj) for obj in qs.order_by(*p.order_by)[:per_kind]]
        groups.append(Group(p.code, p.label, p.society, count, [
            _as_dict(i, today) for i in items]))
    groups.sort(key=lambda g: (g.first_due, str(g.label)))
    if kind is None:  # every kind counted already: the menu's badge need not count again
        cache.set(_badge_key(actor), sum(g.count for g in groups), BADGE_SECONDS)
    return groups


def _as_dict(item: Item, today: dt.date) -> dict[str, Any]:
    return {"kind": item.kind, "title": item.title, "due": item.due, "link": item.link,
            "colour": colour(item.due, today)}
