"""Menu entries, home-page tasks and the project-page panel of the supervision app (called
from ready())."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.accounts.roles import Role
from wushe.projects import hooks
from wushe.supervision import selectors
from wushe.supervision.schedule import ACTIVE_STATUSES
from wushe.supervision.views.common import MANAGE, VIEW
from wushe.web import home, navigation
from wushe.web.navigation import NavItem


def project_panel(request: Any, project: Any) -> dict[str, Any] | None:
    """The project's supervision: visits month by month (its calendar) and the records with
    their rectification items. Hidden from whoever may not see supervision there."""
    actor = request.user
    if not scope.covers(actor, VIEW, project.region_path):
        return None
    rows = selectors.project_supervisions(actor=actor, project=project)
    months: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for s in rows:
        months[(s.scheduled_on.year, s.scheduled_on.month)].append(s)
    can_manage = scope.covers(actor, MANAGE, project.region_path)
    return {
        "sup_project": project,
        "sup_months": [{"year": y, "month": m, "items": items}
                       for (y, m), items in sorted(months.items())],
        "sup_records": [s for s in rows if s.status == "done"],
        "sup_overdue": sum(1 for s in rows if s.is_overdue),
        "sup_can_generate": can_manage and project.status in ACTIVE_STATUSES,
        "sup_next": request.get_full_path() + "#supervision",
    }


def register_ui() -> None:
    navigation.register(NavItem(_("Supervision"), "supervision:calendar", VIEW))
    hooks.register_panel(hooks.Panel(key="supervision", order=20,
                                     template="supervision/_project_panel.html",
                                     context=project_panel))
    home.add_tasks(Role.DISTRICT_ADMIN, [(_("Overdue supervision visits"), "supervision:overdue"),
                                         (_("Supervision calendar"), "supervision:calendar")])
    home.add_tasks(Role.STREET_STAFF, [(_("Overdue rectifications"),
                                        "supervision:rectifications"),
                                       (_("Supervision calendar"), "supervision:calendar")])
    home.add_tasks(Role.SOCIAL_WORKER, [(_("Overdue supervision visits"), "supervision:overdue"),
                                        (_("Supervision calendar"), "supervision:calendar")])
