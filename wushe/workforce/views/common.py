"""Choices the workforce forms share: regions, sites and communities within the actor's
scope for the permission at hand."""

from __future__ import annotations

from typing import Any

from wushe.accounts import scope
from wushe.regions.models import Region, RegionLevel, Site, SiteKind
from wushe.regions.selectors import region_get, regions_where, site_list

MANAGE = "workforce.manage"
VIEW = "workforce.view"
PLACEMENT = (SiteKind.SW_CENTRE, SiteKind.SW_STATION, SiteKind.SW_ROOM)


def work_regions(actor: Any) -> list[Region]:
    return regions_where(actor, MANAGE,
                         (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY))


def communities(actor: Any) -> list[Region]:
    return regions_where(actor, MANAGE, (RegionLevel.COMMUNITY,))


def residences(actor: Any) -> list[Region]:
    return regions_where(actor, "people.create", (RegionLevel.COMMUNITY,))


def placement_sites(actor: Any) -> list[Site]:
    return [s for s in site_list(actor=actor).filter(kind__in=PLACEMENT, active=True)
            if scope.covers(actor, MANAGE, s.region_path)]


def region_or_none(actor: Any, code: str) -> Region | None:
    return region_get(actor=actor, code=code) if code else None


def site_or_none(sites: list[Site], pk: str) -> Site | None:
    return next((s for s in sites if str(s.pk) == pk), None) if pk else None
