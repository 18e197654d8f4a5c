"""Reads for the public pages (no account): only names that are public anyway."""

from __future__ import annotations

from django.db.models import Q

from wushe.regions.models import Region, RegionLevel
from wushe.volunteers.models import Team, TeamLevel


def public_regions() -> list[Region]:
    """Streets and communities of the district, for the self-registration form."""
    return list(Region.objects.unscoped(reason="reference: the region tree").filter(
        level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)).only("code", "name", "level",
                                                                    "path").order_by("code"))


def public_community(code: str) -> Region | None:
    return Region.objects.unscoped(reason="reference: the region tree").filter(code=code, level=RegionLevel.COMMUNITY).first()


def public_teams(region: Region | None) -> list[Team]:
    """Active squads and detachments serving the community (its own, its street's)."""
    if region is None:
        return []
    return list(Team.objects.unscoped(reason="public: only public rows, filtered here").filter(active=True).exclude(level=TeamLevel.CORPS)
                .filter(Q(region_path=region.path) | Q(region_path=region.path[:9]))
                .only("id", "name", "brand", "path", "level").order_by("path"))


def public_team(team_id: str, region: Region | None) -> Team | None:
    if not team_id.isdigit():
        return None
    return next((t for t in public_teams(region) if t.pk == int(team_id)), None)
