"""What each role sees first: its grants, its region's figures, and where to go next."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.accounts.roles import Role
from wushe.accounts.selectors import my_grants
from wushe.core.figures import STATS
from wushe.regions.models import Region, RegionLevel, SiteKind
from wushe.web.templatetags.wushe_tags import grouped

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
    # Grouped by thousands as every figure a user reads (1,527,000): the zh locale's
    # number_format leaves it ungrouped.
    return grouped(n or 0)


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


REGIONS_SHOWN = 6  # a role held over many regions lists the first ones, then "and N more"
WORK_SHOWN = 5  # items of each kind on the home page; the work page lists them all
TASKS_SHOWN = 6  # a role's shortcuts: few, and none the menu already offers


def _tasks(role: str, in_menu: set[str]) -> list[tuple[Any, str]]:
    """The role's first tasks that are not an entry of the user's menu (the district admin had
    eighteen buttons, most of them the menu again), at most TASKS_SHOWN."""
    tasks = [(label, name) for label, name in ROLE_TASKS.get(role, ()) if name not in in_menu]
    return [(label, reverse(name)) for label, name in tasks[:TASKS_SHOWN]]


def home_context(user: Any) -> dict[str, Any]:
    """The account's open work first (grouped by kind, most urgent first), then one section
    per role (never one per grant: a fund manager of 266 funds has one), with the figures of
    the role's region when it has one."""
    from wushe.web import shell  # the inbox's open work, registered
    from wushe.web.navigation import menu_for

    in_menu = {i.url_name for i in menu_for(user)}
    by_role: dict[str, list[Any]] = {}
    for g in my_grants(actor=user):
        if g.role in Role.values:
            by_role.setdefault(g.role, []).append(g)
    cards = []
    for role, grants in by_role.items():
        regions = sorted({g.region.pk: g.region for g in grants}.values(), key=lambda r: r.path)
        figures: list[dict[str, Any]] = []
        if len(regions) == 1:
            # Only the cheap, rollup-free block here: the home page must stay fast at city scale.
            figures = _figures(regions[0], STATS["regions"](grants[0].region_path))
        cards.append({"role": role, "role_label": Role(role).label, "figures": figures,
                      "regions": regions[:REGIONS_SHOWN],
                      "more_regions": max(0, len(regions) - REGIONS_SHOWN),
                      # A role without tasks of its own (the three administrators) gets none.
                      "tasks": _tasks(role, in_menu)})
    work = shell.work_groups(user, WORK_SHOWN)
    return {"cards": cards, "work": work, "work_total": sum(g.count for g in work),
            "is_superuser": scope.is_superuser(user)}
