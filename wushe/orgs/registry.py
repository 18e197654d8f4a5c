"""Menu entries and home-page tasks of the organisations app (called from ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.accounts.roles import Role
from wushe.web import home, navigation
from wushe.web.navigation import NavItem


def register_ui() -> None:
    navigation.register(NavItem(_("Social organisations"), "orgs:list", "orgs.view"))
    home.add_tasks(Role.DISTRICT_ADMIN, [(_("Ratings due for renewal"), "orgs:ratings"),
                                         (_("Social organisations"), "orgs:list")])
    home.add_tasks(Role.STREET_STAFF, [(_("Incubation follow-ups"), "orgs:incubations"),
                                       (_("Social organisations"), "orgs:list")])
    home.add_tasks(Role.COMMUNITY_STAFF, [(_("Social organisations"), "orgs:list")])
    home.add_tasks(Role.ORG_STAFF, [(_("My organisation"), "orgs:mine")])
    home.add_tasks(Role.AUDITOR, [(_("Social organisations"), "orgs:list")])
