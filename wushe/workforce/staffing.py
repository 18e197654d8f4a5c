"""The staffing standard for community workers (社区工作者配备标准).

For a community: required = max(floor, ceil(population × ratio / 10,000)), with the ratio
(18 per 10,000 permanent residents) and the floor (2 per community) local rules resolved for
that community. The arithmetic is exact (Fraction of the Decimal ratio), so 1,111 residents
need 2 and 1,112 need 3, with no float rounding at the edge.

A street's required figure is the SUM of its communities' required figures, not the formula
applied to the street's population. The standard binds each community ("每村(社区)不少于2名"
and per 10,000 of its residents); workers are hired by and counted in communities; so the
street needs what its communities need. The street formula would be smaller (one ceiling
instead of many, one floor instead of one per community) and would let a surplus in one
community hide a shortfall in another. For the same reason a street's shortfall is the sum
of its communities' shortfalls, not its net gap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, QuerySet

from wushe.accounts import scope
from wushe.regions.models import Region, RegionLevel, RegionRule
from wushe.regions.rules import RULES
from wushe.workforce.models import CommunityWorker, WorkerStatus

PER = 10_000
RATIO = "workforce.staffing_ratio"
FLOOR = "workforce.staffing_floor"


def required_workers(population: int, ratio: Decimal, floor: int) -> int:
    """max(floor, ceil(population × ratio / 10,000)), exactly."""
    if population < 0:
        raise ValueError("population cannot be negative")
    by_population = math.ceil(Fraction(population) * Fraction(ratio) / PER)
    return max(int(floor), by_population)


def rule_resolver(keys: Iterable[str]) -> Callable[[str, str], Any]:
    """``value(key, path)`` like regions.rules.value, but with every override of ``keys`` read
    in one query, so a table of hundreds of communities costs one query, not hundreds."""
    wanted = list(keys)
    overrides: dict[tuple[str, str], Any] = {
        (k, p): v for k, p, v in RegionRule.objects.unscoped(reason="rules: local rules read by region path").filter(key__in=wanted)
        .values_list("key", "region_path", "value")}
    parsed: dict[tuple[str, str], Any] = {}

    def value(key: str, path: str) -> Any:
        for n in (15, 12, 9, 6):
            if n <= len(path) and (key, path[:n]) in overrides:
                if (key, path[:n]) not in parsed:
                    parsed[(key, path[:n])] = RULES[key].from_json(overrides[(key, path[:n])])
                return parsed[(key, path[:n])]
        return RULES[key].base()

    return value


@dataclass
class CommunityRow:
    code: str
    name: str
    path: str
    street_path: str
    population: int
    ratio: Decimal
    floor: int
    required: int
    actual: int
    street_name: str = ""

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.actual)

    @property
    def short(self) -> bool:
        return self.actual < self.required


@dataclass
class StreetRow:
    code: str
    name: str
    path: str
    communities: int = 0
    population: int = 0
    required: int = 0
    actual: int = 0
    shortfall: int = 0  # the sum of its communities' shortfalls
    short_communities: int = 0


@dataclass
class StaffingReport:
    rows: list[CommunityRow]
    streets: list[StreetRow]
    totals: StreetRow = field(default_factory=lambda: StreetRow("", "", ""))

    @property
    def shortfall_rows(self) -> list[CommunityRow]:
        return [r for r in self.rows if r.short]


def build_report(communities: QuerySet[Region], workers: QuerySet[CommunityWorker]) -> StaffingReport:
    """Rows for ``communities`` with the active workers among ``workers``: four queries."""
    counts = dict(workers.filter(status=WorkerStatus.ACTIVE).values_list("community_id")
                  .annotate(n=Count("pk")).values_list("community_id", "n"))
    resolve = rule_resolver([RATIO, FLOOR])
    rows = []
    for c in communities.only("pk", "code", "name", "path", "population").order_by("path"):
        ratio = Decimal(resolve(RATIO, c.path))
        floor = int(resolve(FLOOR, c.path))
        rows.append(CommunityRow(c.code, c.name, c.path, c.path[:9], c.population, ratio, floor,
                                 required_workers(c.population, ratio, floor),
                                 counts.get(c.pk, 0)))
    # Street names are not scoped data (as in a breadcrumb).
    street_of = {path: (code, name) for path, code, name in Region.objects.unscoped(reason="reference: the region tree").filter(
        path__in={r.street_path for r in rows}, level=RegionLevel.STREET)
        .values_list("path", "code", "name")}
    streets: dict[str, StreetRow] = {}
    totals = StreetRow("", "", "")
    for r in rows:
        code, name = street_of.get(r.street_path, ("", ""))
        r.street_name = name
        s = streets.setdefault(r.street_path, StreetRow(code, name, r.street_path))
        for target in (s, totals):
            target.communities += 1
            target.population += r.population
            target.required += r.required
            target.actual += r.actual
            target.shortfall += r.shortfall
            target.short_communities += int(r.short)
    return StaffingReport(rows, list(streets.values()), totals)


def communities_in(path: str) -> QuerySet[Region]:
    """Every community and village under ``path`` (unscoped: for figures and the demo)."""
    return Region.objects.unscoped(reason="reference: the region tree").filter(scope.subtree_q("path", path),
                                            level=RegionLevel.COMMUNITY)


def figures(path: str) -> StaffingReport:
    return build_report(communities_in(path), CommunityWorker.objects.unscoped(reason="kpi: filtered by the region path")
                        .filter(scope.subtree_q("region_path", path)))
