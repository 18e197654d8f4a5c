"""What the needs pages share: region choices and the labels of the vocabularies."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from wushe.accounts import scope
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_list


def indent(region: Region) -> str:
    depth = {RegionLevel.STREET: 0, RegionLevel.COMMUNITY: 1, RegionLevel.GRID: 2}.get(
        RegionLevel(region.level), 0)
    return "　" * depth + region.name


def filter_regions(actor: Any) -> list[tuple[str, str]]:
    """Streets and communities the actor sees: the choices of a region filter."""
    regions = region_list(actor=actor).filter(
        level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)).only("code", "name", "level")
    return [("", _("All my area")), *((r.code, indent(r)) for r in regions)]


def regions_with(actor: Any, perm: str, levels: tuple[str, ...]) -> list[Region]:
    """Regions of the given levels where the actor holds ``perm``."""
    qs = region_list(actor=actor).filter(level__in=levels).only("code", "name", "level", "path")
    return [r for r in qs if scope.covers(actor, perm, r.path)]


def client_ip(request: Any) -> str | None:
    from wushe.core.context import client_ip as ip

    return ip(request.META)
