from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from wushe.accounts.models import User
from wushe.core.errors import WusheError


class LockoutBackend(ModelBackend):
    """Django's auth backend, routed through the lockout-aware login service.

    The last error is left on the request so the login page can say why (locked vs wrong).
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> User | None:
        from wushe.accounts.services import user_authenticate

        if username is None or password is None:
            return None
        try:
            return user_authenticate(username=username, password=password)
        except WusheError as exc:
            if request is not None:
                request.wushe_login_error = exc  # type: ignore[attr-defined]
            return None
