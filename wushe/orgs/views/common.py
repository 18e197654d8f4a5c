"""What the page views of both apps share: the one-form action page and region choices.
(Their import pages are the shared one of ``wushe.web.imports``.)"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_list
from wushe.web import pages

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def filter_regions(actor: Actor) -> list[Region]:
    return list(region_list(actor=actor).filter(
        level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)).only("code", "name", "level"))


# The organisation and workforce pages' one-form action page.
action_page = partial(pages.action_page, template="orgs/action.html")
