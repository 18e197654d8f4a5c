"""What the needs pages share: region choices and the labels of the vocabularies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_list

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def indent(region: Region) -> str:
    depth = {RegionLevel.STREET: 0, RegionLevel.COMMUNITY: 1, RegionLevel.GRID: 2}.get(
        RegionLevel(region.level), 0)
    return "　" * depth + region.name


def filter_regions(actor: Actor) -> list[tuple[str, str]]:
    """Streets and communities the actor sees: the choices of a region filter."""
    regions = region_list(actor=actor).filter(
        level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)).only("code", "name", "level")
    return [("", _("All my area")), *((r.code, indent(r)) for r in regions)]




def client_ip(request: Any) -> str | None:
    from wushe.core.context import client_ip as ip

    return ip(request.META)
