"""Reads of the reports app: the regions an actor may report on, and the figures of one.

Scope is applied here, through accounts.scope only: an actor with ``reports.view`` sees the
district/street/community regions of its own subtree; a region outside it is NotFound, the
same as a missing one. The cockpit reads rollups; the annual report and the exports compute
live from the KPI module (kpis.compute) so they are exact at the time of writing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.core.ids import identifier_text, region_code_text
from wushe.regions.models import Region, RegionLevel
from wushe.reports import kpis
from wushe.reports.kpis import Period
from wushe.reports.models import RollupRun

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "reports.view"
EXPORT = "reports.export"
LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)
FIRST_YEAR = 2013  # the district began buying social-work services in 2013 (seed text)


def report_regions(*, actor: Actor, perm: str = VIEW) -> QuerySet[Region]:
    """District, street and community regions in the actor's scope, tree order."""
    if not scope.has_perm(actor, perm):
        raise PermissionDenied()
    return (scope.visible(Region.objects, actor, perm).filter(level__in=LEVELS)
            .only("code", "name", "level", "path").order_by("path"))


def region_options(*, actor: Actor, selected: str, perm: str = VIEW) -> list[tuple[str, str, bool]]:
    """(code, indented name, selected) for the region picker: plain tuples, one query."""
    indent: dict[str, str] = {RegionLevel.STREET: "— ", RegionLevel.COMMUNITY: "—— "}
    return [(code, indent.get(level, "") + name, code == selected) for code, name, level in
            report_regions(actor=actor, perm=perm).values_list("code", "name", "level")]


def report_region(*, actor: Actor, code: str | None, perm: str = VIEW) -> Region:
    """The region asked for (by code), or the top of the actor's scope; NotFound outside."""
    regions = report_regions(actor=actor, perm=perm)
    code = region_code_text(code)
    if code:
        region = regions.filter(code=code).first()
        if region is None:
            raise NotFound("地区不存在", "Region not found")
        return region
    region = regions.first()
    if region is None:
        raise NotFound("地区不存在", "Region not found")
    return region


def report_year(raw: str | int | None) -> int:
    """The year asked for (default: this year), refused outside FIRST_YEAR..this year."""
    this = timezone.localdate().year
    text = identifier_text(raw or "", what_zh="年份", what_en="year", field="year")
    if not text:
        return this
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= this:
        raise ValidationFailed(f"年份应在{FIRST_YEAR}–{this}之间", f"The year must be between "
                               f"{FIRST_YEAR} and {this}", field="year")
    return int(text)


def year_choices(run: RollupRun | None) -> list[int]:
    """The years the last rollup refresh (``run``) holds, and this year."""
    this = timezone.localdate().year
    return sorted({int(y) for y in (run.years if run else [])} | {this}, reverse=True)


def children_of(region: Region) -> list[Region]:
    """The region's child nodes of the rollup (streets of a district, communities of a
    street). Names of regions below an actor's region are in its scope by construction."""
    if region.level == RegionLevel.COMMUNITY:
        return []
    return list(Region.objects.unscoped(reason="reference: the region tree").filter(parent=region, level__in=LEVELS)
                .only("code", "name", "path", "level").order_by("path"))


def live_figures(*, region: Region, period: Period,
                 keys: list[str] | None = None) -> dict[str, Any]:
    """Exact figures computed now (annual report, exports, tests)."""
    return kpis.compute(region.path, period, keys)
