from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from wushe.accounts.passwords import password_expired
from wushe.accounts.signals import LOGIN_AT_KEY

SESSION_KEY = "wushe_last_seen"


class IdleTimeoutMiddleware:
    """End a session after WUSHE_IDLE_TIMEOUT_MINUTES without a request, and in any case
    WUSHE_SESSION_ABSOLUTE_HOURS after its login (等保 2.0: 登录连接超时自动退出)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            last = request.session.get(SESSION_KEY)
            login_at = request.session.setdefault(LOGIN_AT_KEY, now)
            if last is not None and now - last > settings.WUSHE_IDLE_TIMEOUT_MINUTES * 60:
                return self._end(request, _("You were signed out after a period of inactivity."))
            if now - login_at > settings.WUSHE_SESSION_ABSOLUTE_HOURS * 3600:
                return self._end(request, _("Your session reached its maximum length; please "
                                            "sign in again."))
            request.session[SESSION_KEY] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        messages.info(request, message)
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?next={request.path}")


# While the password is expired only these paths answer; everything else leads to the change.
_OPEN_PREFIXES = ("/account/password/", "/logout/", "/static/", "/i18n/", "/healthz")


class PasswordExpiryMiddleware:
    """A password older than the policy's maximum age must be changed before any other work."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and password_expired(user)
                and not request.path.startswith(_OPEN_PREFIXES)):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "password_expired", "message": {
                    "zh": "密码已过期,请先在网页上修改密码",
                    "en": "The password has expired; change it on the web first"}}, status=403)
            messages.warning(request, _("Your password has expired. Choose a new one to go on."))
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
