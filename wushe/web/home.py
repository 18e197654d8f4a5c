"""What each role sees first: its grants, its region's figures, and where to go next."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.accounts.roles import Role
from wushe.accounts.selectors import my_grants
from wushe.core.figures import STATS
from wushe.regions.models import Region, RegionLevel, SiteKind

# The first tasks of each role (links shown on its home page).
ROLE_TASKS: dict[str, list[tuple[Any, str]]] = {
    Role.DISTRICT_ADMIN: [(_("Region tree and coverage"), "regions:tree"),
                          (_("Audit log"), "audit:events"), (_("People"), "people:list")],
    Role.STREET_STAFF: [(_("Region tree and coverage"), "regions:tree"),
                        (_("People"), "people:list"), (_("Sites"), "regions:sites")],
    Role.COMMUNITY_STAFF: [(_("People"), "people:list"), (_("Register a person"), "people:create"),
                           (_("My community"), "regions:tree")],
    Role.SOCIAL_WORKER: [(_("People"), "people:list"), (_("Sites"), "regions:sites")],
    Role.ORG_STAFF: [(_("Sites"), "regions:sites"), (_("Regions"), "regions:tree")],
    Role.TEAM_LEADER: [(_("People"), "people:list"), (_("Regions"), "regions:tree")],
    Role.VOLUNTEER: [(_("Regions"), "regions:tree")],
    Role.FUND_MANAGER: [(_("Regions"), "regions:tree"), (_("Sites"), "regions:sites")],
    Role.EVALUATOR: [(_("Regions"), "regions:tree"), (_("Sites"), "regions:sites")],
    Role.AUDITOR: [(_("Audit log"), "audit:events"), (_("People"), "people:list")],
}


def add_tasks(role: str, tasks: list[tuple[Any, str]]) -> None:
    """Apps add a role's first tasks (label, URL name) from ``AppConfig.ready``."""
    for task in tasks:
        if task[1] not in {name for _label, name in ROLE_TASKS[role]}:
            ROLE_TASKS[role].insert(0, task)


def _fmt(n: Any) -> str:
    return number_format(n or 0, force_grouping=True)


def _figures(region: Region, raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures that mean something at the grant's level (no "0 streets" in a community)."""
    sites = sum(raw.get(f"sites.{kind}", 0) for kind in SiteKind.values)
    figures = []
    if region.level == RegionLevel.DISTRICT:
        figures.append({"label": _("Streets"), "value": _fmt(raw.get("regions.streets"))})
    if region.level in (RegionLevel.DISTRICT, RegionLevel.STREET):
        figures.append({"label": _("Communities"),
                        "value": _fmt(raw.get("regions.communities"))})
        figures.append({"label": _("Population"), "value": _fmt(raw.get("regions.population"))})
    else:
        figures.append({"label": _("Population"), "value": _fmt(region.population)})
        figures.append({"label": _("Households"), "value": _fmt(region.households)})
    figures.append({"label": _("Sites"), "value": _fmt(sites)})
    return figures


def home_context(user: Any) -> dict[str, Any]:
    grants = list(my_grants(actor=user))
    cards = []
    for g in grants:
        if g.role not in Role.values:
            continue
        # Only the cheap, rollup-free block here: the home page must stay fast at city scale.
        figures = STATS["regions"](g.region_path)
        cards.append({"grant": g, "role_label": Role(g.role).label, "figures": _figures(g.region, figures),
                      # A role without tasks of its own (the three administrators) gets none.
                      "tasks": [(label, reverse(name))
                                for label, name in ROLE_TASKS.get(g.role, ())]})
    return {"cards": cards, "is_superuser": scope.is_superuser(user)}
