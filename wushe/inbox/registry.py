"""Work items (待办): what an account must act on, declared by the apps as producers.

A producer is a scoped query: given the actor, the objects that wait for the actor's action
(needs to accept, an assignment to take, a disbursement to approve …), plus how one of them
reads as an item (what, due, link). The inbox, the home page and the API read this registry,
never the apps' models; the apps register their producers from ``AppConfig.ready`` (the same
pattern as the linkage providers).

Because an item *is* the query's answer, it closes itself when the action happens anywhere
(page, API, import, periodic job): the object no longer matches. Because the query applies the
actor's scope, an item is visible only to accounts that may open its object. A producer's
``item`` text names the object by its code and kind, never by a person's name or address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

# The societies of the linkage, and the district above them: how work and menus are grouped.
SOCIETIES = ("committee", "org", "social_worker", "volunteer", "charity", "district")


@dataclass(frozen=True)
class Item:
    kind: str
    title: str  # what, with no personal data: "N2026-000123 · 助老 · 杨坪社区"
    due: dt.date | None
    link: str


@dataclass(frozen=True)
class Producer:
    code: str  # "app.model.action": "charity.disbursement.approve"
    label: Any  # a lazy translation: "Disbursements to approve"
    society: str
    query: Callable[[Any], QuerySet[Any]]  # the actor's waiting objects, scoped; .none() if none
    item: Callable[[Any], Item]
    order_by: tuple[str, ...] = ("pk",)  # most urgent first (the due field, ascending)


PRODUCERS: dict[str, Producer] = {}


def producer(code: str, *, label: Any, society: str, item: Callable[[Any], Item],
             order_by: tuple[str, ...] = ("pk",)
             ) -> Callable[[Callable[[Any], QuerySet[Any]]], Callable[[Any], QuerySet[Any]]]:
    """Register the decorated query as the producer of work items of kind ``code``."""
    if society not in SOCIETIES:
        raise ValueError(f"unknown society {society!r}")

    def deco(query: Callable[[Any], QuerySet[Any]]) -> Callable[[Any], QuerySet[Any]]:
        PRODUCERS[code] = Producer(code, label, society, query, item, order_by)
        return query

    return deco


def due_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
