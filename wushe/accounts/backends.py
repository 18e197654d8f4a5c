from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from wushe.accounts.models import User
from wushe.accounts.roles import ADMIN_MODEL_PERMISSIONS
from wushe.core.errors import WusheError


class LockoutBackend(ModelBackend):
    """Django's auth backend, routed through the lockout-aware login service.

    The last error is left on the request so the login page can say why (locked vs wrong).
    The back office's model permissions come from the administrator roles (三员分立), not from
    Django's permission tables.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        from wushe.accounts.login import user_authenticate

        if username is None or password is None:
            return None
        try:
            return user_authenticate(username=username, password=password, web=True)
        except WusheError as exc:
            if request is not None:
                request.wushe_login_error = exc  # type: ignore[attr-defined]
            return None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        from wushe.accounts import scope

        return set().union(*(ADMIN_MODEL_PERMISSIONS.get(r, frozenset())
                             for r in scope.roles(user_obj)))
