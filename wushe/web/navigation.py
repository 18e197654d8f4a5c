"""Navigation by role: an entry shows when the user holds its permission somewhere.

Entries are grouped into at most eight top-level menus by society or area (GROUPS). An
entry's group is its own ``group`` when given, else the one of its URL name (GROUP_OF_URL),
else the one of its URL namespace (GROUP_OF_NAMESPACE), else the administration menu, so an
app registers its entries without knowing the menus and the menus never grow past eight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    perm: str | None
    group: str = ""  # a key of GROUPS; "" means: by URL name, then namespace

    @property
    def url(self) -> str:
        return reverse(self.url_name)


# The top-level menus, in the order shown (at most eight).
GROUPS: dict[str, Any] = {
    "home": _("Home"),
    "community": _("Community"),
    "orgs": _("Social organisations"),
    "social_work": _("Social work"),
    "volunteers": _("Volunteers"),
    "charity": _("Charity"),
    "reports": _("Statistics"),
    "admin": _("Administration"),
}
MAX_GROUPS = 8
FALLBACK_GROUP = "admin"

GROUP_OF_URL = {"regions:rules": "admin"}
GROUP_OF_NAMESPACE = {
    "web": "home", "inbox": "home",
    "regions": "community", "people": "community", "needs": "community",
    "residents": "community",
    "orgs": "orgs", "projects": "orgs", "evaluation": "orgs",
    "workforce": "social_work", "supervision": "social_work",
    "volunteers": "volunteers",
    "charity": "charity",
    "reports": "reports",
    "audit": "admin", "accounts": "admin", "core": "admin",
}


def group_of(item: NavItem) -> str:
    if item.group in GROUPS:
        return item.group
    if item.url_name in GROUP_OF_URL:
        return GROUP_OF_URL[item.url_name]
    return GROUP_OF_NAMESPACE.get(item.url_name.split(":", 1)[0], FALLBACK_GROUP)


ITEMS = [
    NavItem(_("Home"), "web:home", None),
    NavItem(_("My work"), "inbox:work", None),
    NavItem(_("Regions"), "regions:tree", "regions.view"),
    NavItem(_("Sites"), "regions:sites", "sites.view"),
    NavItem(_("People"), "people:list", "people.view"),
    NavItem(_("Local rules"), "regions:rules", "rules.manage"),
    NavItem(_("Audit log"), "audit:events", "audit.view"),
]

WORK_URL_NAME = "inbox:work"  # the entry that carries the open-work badge


def register(item: NavItem) -> NavItem:
    """Apps add their menu entries from ``AppConfig.ready`` (before the audit log)."""
    if all(i.url_name != item.url_name for i in ITEMS):
        ITEMS.insert(len(ITEMS) - 1, item)
    return item


def menu_for(user: Any) -> list[NavItem]:
    return [i for i in ITEMS if i.perm is None or scope.has_perm(user, i.perm)]


@dataclass
class NavGroup:
    key: str
    label: Any
    items: list[NavItem] = field(default_factory=list)

    @property
    def first(self) -> NavItem:
        return self.items[0]


def groups_for(user: Any) -> list[NavGroup]:
    """The user's visible entries in their menus; a menu without a visible entry is left out."""
    by_key = {key: NavGroup(key, label) for key, label in GROUPS.items()}
    for item in menu_for(user):
        by_key[group_of(item)].items.append(item)
    return [g for g in by_key.values() if g.items]
