"""What the charity views share: scoped choices, money figures for a page of funds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone

from wushe.accounts import scope
from wushe.charity import access, figures, selectors
from wushe.charity.models import Fund
from wushe.core.excel import XLSX
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_list

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def with_money(funds: list[Fund]) -> list[Fund]:
    money = figures.totals([f.pk for f in funds])
    for f in funds:
        f.money = money.get(f.pk, figures.Totals())  # type: ignore[attr-defined]
    return funds


def _regions(actor: Actor) -> list[Region]:
    levels = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)
    return list(region_list(actor=actor).filter(level__in=levels)
                .only("code", "name", "level", "path"))


def filter_regions(actor: Actor) -> list[Region]:
    """Streets and communities the actor sees: the choices of a region filter."""
    return list(region_list(actor=actor).filter(
        level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)).only("code", "name", "level"))


def fund_regions(actor: Actor) -> list[Region]:
    """Where the actor may set up a fund: its region grants only (a fund manager manages
    the funds it is given, it does not create new ones)."""
    return [r for r in _regions(actor) if scope.covers(actor, access.MANAGE, r.path)]


def donor_regions(actor: Actor) -> list[Region]:
    """Where the actor may register donors: its region grants and its funds' regions."""
    return [r for r in _regions(actor) if access.region_allows(actor, access.MANAGE, r.path)]


def visible_funds(actor: Actor) -> list[Fund]:
    return list(selectors.fund_list(actor=actor).select_related(None)
                .only("id", "name", "region_path", "kind"))


def xlsx(content: bytes, stem: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.xlsx"'
    return response


def can(actor: Actor, perm: str, fund: Fund) -> bool:
    return access.holds(actor, perm, fund)


def any_perm(actor: Actor, perm: str) -> bool:
    return scope.has_perm(actor, perm)
