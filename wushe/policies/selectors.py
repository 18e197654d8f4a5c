"""Reads of the policy library, scoped: a document adopted by a region is read by everyone who
works inside that region (its subtree) and by those above it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.policies.models import PolicyDocument

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "regions.view"
LIST_FIELDS = ("id", "key", "title", "issuer", "number", "issued_on", "effective_on",
               "repealed_on", "file_name", "file_size", "region_path")


def visible(actor: Actor) -> QuerySet[PolicyDocument]:
    qs = PolicyDocument.objects.mark_scoped()
    q = scope.binding_q(actor, VIEW)
    return qs if q is None else qs.filter(q)


@dataclass(frozen=True)
class PolicyFilters:
    q: str = ""
    issuer: str = ""
    year: int | None = None

    def apply(self, qs: QuerySet[PolicyDocument]) -> QuerySet[PolicyDocument]:
        if self.q:
            qs = qs.filter(Q(title__icontains=self.q) | Q(number__icontains=self.q))
        if self.issuer:
            qs = qs.filter(issuer=self.issuer)
        if self.year:
            qs = qs.filter(issued_on__year=self.year)
        return qs


def policy_list(*, actor: Actor, filters: PolicyFilters | None = None) -> QuerySet[PolicyDocument]:
    return (filters or PolicyFilters()).apply(visible(actor)).only(*LIST_FIELDS)


def policy_get(*, actor: Actor, policy_id: int) -> PolicyDocument:
    try:
        return visible(actor).get(pk=policy_id)
    except (PolicyDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def issuers(*, actor: Actor) -> list[str]:
    return list(visible(actor).order_by("issuer").values_list("issuer", flat=True).distinct())


def years(*, actor: Actor) -> list[int]:
    return sorted({d.year for d in visible(actor).values_list("issued_on", flat=True)},
                  reverse=True)


def by_keys(*, actor: Actor, keys: set[str]) -> dict[str, PolicyDocument]:
    """The documents local rules cite, by key (those the actor may read)."""
    if not keys:
        return {}
    return {d.key: d for d in visible(actor).filter(key__in=keys).only(*LIST_FIELDS)}
