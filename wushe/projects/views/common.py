"""What the project pages share: region choices and the one-form action page."""

from __future__ import annotations

from functools import partial

from wushe.regions.models import Region, RegionLevel
from wushe.web import pages


def region_by_code(code: str) -> Region | None:
    return Region.objects.unscoped(reason="reference: the region tree").filter(code=code).first() if code else None


DESIGN_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)


action_page = partial(pages.action_page, template="projects/action.html")
