"""Regions a volunteer form may offer: the actor's own, and those inside its teams' regions.

A team leader holds no region grant for managing volunteers; its team's region bounds where
its sub-teams, activities and volunteers may be placed. Region names are not scoped data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts.scope import subtree_q
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_get, regions_where
from wushe.volunteers import access
from wushe.volunteers.models import Team

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

FORM_LEVELS = (RegionLevel.STREET, RegionLevel.COMMUNITY)




def _regions_below(path: str) -> list[Region]:
    return list(Region.objects.unscoped(reason="reference: the region tree").filter(subtree_q("path", path)).filter(
        level__in=FORM_LEVELS).only("code", "name", "level", "path"))


def team_regions(actor: Actor, teams: list[Team]) -> list[Region]:
    """Streets and communities the actor manages, plus those inside its teams' regions."""
    found = {r.pk: r for r in regions_where(actor, access.MANAGE, FORM_LEVELS)}
    for path in sorted({t.region_path for t in teams}):
        for r in _regions_below(path):
            found.setdefault(r.pk, r)
    return sorted(found.values(), key=lambda r: r.code)


def region_by_code(actor: Actor, code: str, teams: list[Team]) -> Region:
    """A region chosen on a form: inside one of the actor's teams' regions, or in its scope."""
    for r in team_regions(actor, teams):
        if r.code == code:
            return r
    return region_get(actor=actor, code=code)
