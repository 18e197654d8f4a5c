"""The back office (/admin/) behind a second factor.

Everyone entering it must hold a session verified by a second factor (django-otp), whatever
their roles: it can read every record. Its own login form is not used: signing in goes through
the app's two-step login, so the password lockout and the code step apply the same way. The
second-factor devices themselves are not registered here: a secret must not be readable by
another account, and a reset goes through ``accounts.otp.otp_reset`` (checked and audited).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import urlencode

OTP_APP_LABELS = frozenset({"otp_totp", "otp_static", "django_otp"})


class WusheAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        verified = getattr(user, "is_verified", None)
        return bool(super().has_permission(request) and callable(verified) and verified())

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None
              ) -> HttpResponse:
        if request.method == "GET" and self.has_permission(request):
            return redirect(request.GET.get("next") or "admin:index")
        target = resolve_url("web:login")
        return redirect(f"{target}?{urlencode({'next': resolve_url('admin:index')})}")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models = (model_or_iterable if isinstance(model_or_iterable, (list, tuple))
                  else [model_or_iterable])
        kept = [m for m in models if m._meta.app_label not in OTP_APP_LABELS]
        if kept:
            super().register(kept, admin_class, **options)


class WusheAdminConfig(AdminConfig):
    """django.contrib.admin (label ``admin``), with the site above as its default site."""

    default = False
    default_site = "wushe.web.adminsite.WusheAdminSite"
