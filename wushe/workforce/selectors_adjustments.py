"""Reads of cadre adjustments: scoped by workforce.view; out of scope is the same as missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.regions.models import Region
from wushe.workforce.models import Adjustment

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "workforce.view"


@dataclass(frozen=True)
class AdjustmentFilters:
    year: int | None = None
    kind: str = ""
    state: str = ""

    def apply(self, qs: QuerySet[Adjustment]) -> QuerySet[Adjustment]:
        if self.year:
            qs = qs.filter(year=self.year)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.state:
            qs = qs.filter(state=self.state)
        return qs


def adjustment_list(*, actor: Actor,
                    filters: AdjustmentFilters | None = None) -> QuerySet[Adjustment]:
    qs = scope.visible(Adjustment.objects, actor, VIEW)
    return (filters or AdjustmentFilters()).apply(qs).select_related(
        "worker", "worker__person", "worker__community").order_by("-year", "region_path", "-id")


def adjustment_get(*, actor: Actor, adjustment_id: object) -> Adjustment:
    try:
        return adjustment_list(actor=actor).select_related(
            "appraisal", "proposed_by", "decided_by").get(pk=adjustment_id)  # type: ignore[misc]
    except (Adjustment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def adjustments_per_year(actor: Actor, region: Region, year: int) -> int:
    """Adjustments opened (by a 不称职 appraisal of that year) in the region's subtree, within
    the actor's scope."""
    return (scope.visible(Adjustment.objects, actor, VIEW)
            .filter(scope.subtree_q("region_path", region.path), year=year).count())


def adjustment_years(*, actor: Actor) -> list[int]:
    return sorted(set(scope.visible(Adjustment.objects, actor, VIEW)
                      .values_list("year", flat=True)), reverse=True)


def adjustment_year_counts(*, actor: Actor) -> list[tuple[int, int]]:
    """(year, adjustments) over the actor's scope, newest first: the figure on the list page."""
    rows = (scope.visible(Adjustment.objects, actor, VIEW).order_by()
            .values_list("year").annotate(n=Count("id")).order_by("-year"))
    return [(year, n) for year, n in rows]


@dataclass(frozen=True)
class YearKinds:
    year: int
    by_kind: list[int]  # in the order of kind_columns(); the last is "no kind yet"
    total: int


def kind_columns() -> list[tuple[str, Any]]:
    """The figure's columns: every adjustment kind, then the ones not decided yet."""
    from django.utils.translation import gettext_lazy as _

    from wushe.workforce.models import AdjustmentKind

    return [*AdjustmentKind.choices, ("", _("Not decided yet"))]


def adjustment_year_kind_counts(*, actor: Actor) -> list[YearKinds]:
    """Adjustments per year and kind over the actor's scope, newest year first (one query):
    the figure on the list page."""
    rows = (scope.visible(Adjustment.objects, actor, VIEW).order_by()
            .values_list("year", "kind").annotate(n=Count("id")))
    keys = [k for k, _label in kind_columns()]
    table: dict[int, dict[str, int]] = {}
    for year, kind, n in rows:
        table.setdefault(year, {})[kind if kind in keys else ""] = n
    return [YearKinds(year, [table[year].get(k, 0) for k in keys], sum(table[year].values()))
            for year in sorted(table, reverse=True)]
