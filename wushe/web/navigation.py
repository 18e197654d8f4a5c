"""Navigation by role: an entry shows when the user holds its permission somewhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    perm: str | None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ITEMS = [
    NavItem(_("Home"), "web:home", None),
    NavItem(_("Regions"), "regions:tree", "regions.view"),
    NavItem(_("Sites"), "regions:sites", "sites.view"),
    NavItem(_("People"), "people:list", "people.view"),
    NavItem(_("Local rules"), "regions:rules", "rules.manage"),
    NavItem(_("Audit log"), "audit:events", "audit.view"),
]


def register(item: NavItem) -> NavItem:
    """Apps add their menu entries from ``AppConfig.ready`` (before the audit log)."""
    if all(i.url_name != item.url_name for i in ITEMS):
        ITEMS.insert(len(ITEMS) - 1, item)
    return item


def menu_for(user: Any) -> list[NavItem]:
    return [i for i in ITEMS if i.perm is None or scope.has_perm(user, i.perm)]
