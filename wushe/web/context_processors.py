from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from wushe.accounts import scope
    from wushe.accounts.roles import Role
    from wushe.web.navigation import menu_for

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    items = menu_for(user)
    path = request.path
    # The longest matching prefix is the current section ("/" only matches itself).
    current = max((i for i in items if path == i.url or (i.url != "/" and path.startswith(i.url))),
                  key=lambda i: len(i.url), default=None)
    roles = sorted(str(Role(r).label) for r in scope.roles(user) if r in Role.values)
    return {"nav_items": items, "nav_current": current.url_name if current else "",
            "user_roles": roles}
