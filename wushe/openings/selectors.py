"""Reads of the opening balances, scoped to the district admins' regions (``rules.manage``):
outside scope a balance answers exactly like a missing one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.openings.models import OpeningBalance, OpeningState

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "rules.manage"


def visible(actor: Actor) -> QuerySet[OpeningBalance]:
    return scope.visible(OpeningBalance.objects, actor, VIEW).select_related(
        "region", "proposed_by", "decided_by", "policy")


def opening_list(*, actor: Actor, state: str = "") -> QuerySet[OpeningBalance]:
    qs = visible(actor)
    if state in OpeningState.values:
        qs = qs.filter(state=state)
    return qs


def opening_get(*, actor: Actor, balance_id: int) -> OpeningBalance:
    return scope.get_or_404(visible(actor), actor, VIEW, pk=balance_id)  # type: ignore[no-any-return]


def awaiting_approval(*, actor: Actor) -> QuerySet[OpeningBalance]:
    """Drafts a second admin may decide: in scope, never the actor's own."""
    return visible(actor).filter(state=OpeningState.DRAFT).exclude(proposed_by=signed_in(actor))


def kpi_choices() -> list[tuple[str, str]]:
    """(key, Chinese label) of the figures that take an opening balance, by label."""
    from wushe.openings import figures
    from wushe.reports.kpis import KPIS

    return sorted(((k.key, k.zh) for k in KPIS.values() if figures.accepts(k)),
                  key=lambda kv: kv[1])
