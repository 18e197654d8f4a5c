"""What the page shell shows of the apps that build on the foundation: the menu's badge (open
work), the bell's unread count, and the home page's open work. The inbox and notifications
apps register them from their ``AppConfig.ready()``, so web imports neither (an app not
installed shows nothing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

Counter = Callable[..., int]  # (*, actor) -> a count shown on every page

COUNTERS: dict[str, Counter] = {}  # "work" (the menu's badge), "unread" (the bell)
WORK: dict[str, Callable[..., list[Any]]] = {}  # "groups": (*, actor, per_kind) -> groups


def register_counter(name: str, fn: Counter) -> None:
    COUNTERS[name] = fn


def register_work(fn: Callable[..., list[Any]]) -> None:
    WORK["groups"] = fn


def count(name: str, actor: Actor) -> int:
    fn = COUNTERS.get(name)
    return fn(actor=actor) if fn else 0


def work_groups(actor: Actor, per_kind: int) -> list[Any]:
    fn = WORK.get("groups")
    return fn(actor=actor, per_kind=per_kind) if fn else []
