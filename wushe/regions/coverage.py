"""Coverage checks: which regions lack a required facility.

Pluggable: an app registers a ``CoverageCheck`` whose ``missing`` turns the regions of one
level (already scoped to the subtree) into those that lack the thing. The charity app adds
"no community fund" this way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.regions.models import Region, RegionLevel, Site, SiteKind

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@dataclass(frozen=True)
class CoverageCheck:
    code: str
    title: Any  # lazy translation
    level: str
    missing: Callable[[QuerySet[Region]], QuerySet[Region]]


CHECKS: dict[str, CoverageCheck] = {}


def register(check: CoverageCheck) -> CoverageCheck:
    CHECKS[check.code] = check
    return check


def lacks_site(kind: str) -> Callable[[QuerySet[Region]], QuerySet[Region]]:
    def missing(regions: QuerySet[Region]) -> QuerySet[Region]:
        has = Site.objects.unscoped(reason="subquery: the outer rows are scoped").filter(region=OuterRef("pk"), kind=kind, active=True)
        return regions.filter(~Exists(has))

    return missing


register(CoverageCheck("street_without_sw_station", _("Streets without a social-work station"),
                       RegionLevel.STREET, lacks_site(SiteKind.SW_STATION)))
register(CoverageCheck("community_without_sw_room", _("Communities without a social-work room"),
                       RegionLevel.COMMUNITY, lacks_site(SiteKind.SW_ROOM)))
register(CoverageCheck("community_without_party_centre",
                       _("Communities without a party-and-people service centre"),
                       RegionLevel.COMMUNITY, lacks_site(SiteKind.PARTY_CENTRE)))


@dataclass
class CoverageResult:
    check: CoverageCheck
    total: int
    missing: list[Region]

    @property
    def covered(self) -> int:
        return self.total - len(self.missing)


def coverage(*, actor: Actor, region: Region) -> list[CoverageResult]:
    """Run every registered check over the region's subtree (the actor's scope applies)."""
    results = []
    for check in CHECKS.values():
        regions = scope.visible(Region.objects, actor, "regions.view").filter(
            scope.subtree_q("path", region.path), level=check.level
        )
        missing = list(check.missing(regions).order_by("code").only("code", "name", "path"))
        results.append(CoverageResult(check=check, total=regions.count(), missing=missing))
    return results
