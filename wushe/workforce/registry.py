"""Menu entries and home-page tasks of the workforce app (called from ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.accounts.roles import Role
from wushe.web import home, navigation
from wushe.web.navigation import NavItem


def register_ui() -> None:
    navigation.register(NavItem(_("Workers"), "workforce:social_workers", "workforce.view"))
    navigation.register(NavItem(_("Cadre adjustments"), "workforce:adjustments",
                                "workforce.view"))
    home.add_tasks(Role.DISTRICT_ADMIN, [(_("Community worker staffing"), "workforce:staffing")])
    home.add_tasks(Role.STREET_STAFF, [(_("Community worker staffing"), "workforce:staffing"),
                                       (_("Social workers"), "workforce:social_workers")])
    home.add_tasks(Role.COMMUNITY_STAFF, [(_("Community workers"),
                                           "workforce:community_workers")])
    home.add_tasks(Role.AUDITOR, [(_("Community worker staffing"), "workforce:staffing")])
