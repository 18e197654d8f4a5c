"""Menu entries and home-page tasks of the projects app (called from ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.accounts.roles import Role
from wushe.web import home, navigation
from wushe.web.navigation import NavItem


def register_ui() -> None:
    navigation.register(NavItem(_("Service projects"), "projects:list", "projects.view"))
    home.add_tasks(Role.DISTRICT_ADMIN, [(_("Purchase lists"), "projects:lists"),
                                         (_("Service projects"), "projects:list")])
    home.add_tasks(Role.STREET_STAFF, [(_("Design a project"), "projects:create"),
                                       (_("Service projects"), "projects:list")])
    home.add_tasks(Role.COMMUNITY_STAFF, [(_("Service projects"), "projects:list")])
    home.add_tasks(Role.SOCIAL_WORKER, [(_("Service projects"), "projects:list")])
    home.add_tasks(Role.ORG_STAFF, [(_("Our service projects"), "projects:list")])
    home.add_tasks(Role.EVALUATOR, [(_("Service projects"), "projects:list")])
    home.add_tasks(Role.AUDITOR, [(_("Service projects"), "projects:list")])


# Shown on the needs app's need page (needs/templates/needs/detail.html); declared here so the
# projects catalogue carries their translations (Django merges every app's catalogue).
NEED_PAGE_LABELS = (_("Service projects serving this need"), _("Now serving"))
