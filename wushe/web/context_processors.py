from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from wushe.accounts import scope
    from wushe.accounts.roles import Role
    from wushe.web.navigation import groups_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # Anonymous pages: no menu and no badge query.
        return {"nav_groups": [], "user_roles": []}
    from wushe.web import shell  # the inbox's and the notifications' counts, registered

    groups = groups_for(user)
    items = [i for g in groups for i in g.items]
    path = request.path
    # The longest matching prefix is the current section ("/" only matches itself).
    current = max((i for i in items if path == i.url or (i.url != "/" and path.startswith(i.url))),
                  key=lambda i: len(i.url), default=None)
    current_name = current.url_name if current else ""
    roles = sorted(str(Role(r).label) for r in scope.roles(user) if r in Role.values)
    return {"nav_groups": groups, "nav_current": current_name,
            "nav_current_group": next((g.key for g in groups
                                       if any(i.url_name == current_name for i in g.items)), ""),
            "nav_badge": _once(lambda: shell.count("work", user)), "user_roles": roles,
            "notify_unread": _once(lambda: shell.count("unread", user))}


def _once(compute: Callable[[], int]) -> Callable[[], int]:
    """The template calls it when it shows the menu (not on partials); computed once."""
    memo: list[int] = []

    def value() -> int:
        if not memo:
            memo.append(compute())
        return memo[0]

    return value
