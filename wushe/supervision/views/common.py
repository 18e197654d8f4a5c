"""What the supervision pages share: permission checks, region choices, filters from forms."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django import forms

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied
from wushe.orgs.views.common import filter_regions
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import regions_where
from wushe.supervision.selectors import VisitFilters
from wushe.web import pages

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MANAGE = "supervision.manage"
VIEW = "supervision.view"

__all__ = ["MANAGE", "VIEW", "action_page", "filter_regions", "manage_regions",
           "require_view", "visit_filters"]


def require_view(actor: Actor) -> None:
    if not scope.has_perm(actor, VIEW):
        raise PermissionDenied()


def manage_regions(actor: Actor) -> list[Region]:
    return regions_where(actor, MANAGE,
                         (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY))


def visit_filters(form: forms.Form, **extra: Any) -> VisitFilters:
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return VisitFilters(kind=d.get("kind") or "", tier=d.get("tier") or "",
                            state=d.get("state") or "", region_code=d.get("region") or "",
                            date_from=d.get("date_from"), date_to=d.get("date_to"), **extra)
    return VisitFilters(**extra)


action_page = partial(pages.action_page, template="supervision/action.html")
