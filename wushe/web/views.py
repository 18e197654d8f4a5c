"""Login, logout, the home page per role, and the error pages."""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from wushe.accounts import oidc, scope
from wushe.accounts.login import user_authenticate
from wushe.accounts.services import user_logged_out
from wushe.core.errors import PayloadTooLarge, WusheError, bilingual
from wushe.web import otp_views, portal
from wushe.web.home import home_context
from wushe.web.middleware import render_error


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    error = ""
    status = 200
    username = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        try:
            user = user_authenticate(username=username, password=password, web=True)
        except WusheError as exc:
            # Wrong password and locked account alike are a refused form (400); the message
            # says which.
            error = exc.localized()
            status = 400
        else:
            # Logged in at once, or (a role that needs a second factor) held for the code.
            return otp_views.password_accepted(request, user, next_url)
    return render(request, "web/login.html", {
        "error": error, "next": next_url, "username": username,
        "lockout_failures": settings.WUSHE_LOCKOUT_FAILURES,
        "lockout_minutes": settings.WUSHE_LOCKOUT_MINUTES,
        "oidc": oidc.enabled(), "oidc_name": settings.WUSHE_OIDC_NAME,
    }, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        user_logged_out(actor=request.user)  # type: ignore[arg-type]
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the account's home. Anonymous: the residents' public portal (the front door).

    On the public surface (WUSHE_SURFACE) always the portal: nobody signs in there. On the staff
    surface an anonymous visitor is sent to sign in (the portal's pages are not served there)."""
    if settings.WUSHE_SURFACE == "public":
        return portal.portal(request)
    if not request.user.is_authenticated:
        if settings.WUSHE_SURFACE == "staff":
            return redirect(settings.LOGIN_URL)
        return portal.portal(request)
    return render(request, "web/home.html", home_context(request.user))


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


# The API's body for Django's own error pages (a URL no route matches, a request Django refuses
# before the API sees it, an unhandled exception): the API's error shape, the same message in
# both languages (the page's title and message in one language each were a Chinese "en").
API_ERROR_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}


def _error(request: HttpRequest, status: int, title: str | Promise,
           message: str | Promise) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": API_ERROR_CODES.get(status, "error"),
                             "message": bilingual(message)}, status=status)
    return render_error(request, status, str(title), str(message))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):  # over DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.path.startswith("/api/"):
            too_large = PayloadTooLarge("请求内容过大,超出服务器允许的大小",
                                        "The request is larger than this server accepts")
            return JsonResponse(too_large.as_dict(), status=too_large.status)
        return _error(request, 413, gettext_lazy("Request too large"),
                      gettext_lazy("The request is larger than this server accepts."))
    return _error(request, 400, gettext_lazy("Bad request"),
                  gettext_lazy("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, gettext_lazy("Not allowed"), gettext_lazy("You may not do this."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, gettext_lazy("Not found"),
                  gettext_lazy("The page or record does not exist, or is outside your area."))


def database_unavailable(exc: BaseException | None) -> bool:
    """The exception being handled is the database out of reach (a restart, a failover to the
    standby, a lock held too long), not a fault of ours: worth a retry in a moment."""
    if isinstance(exc, InterfaceError):  # the connection was already closed under us
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.OperationalError):  # SQLite also says so for a bad query
        return any(word in str(cause) for word in ("locked", "busy", "disk I/O"))
    return True  # psycopg: the server or the connection (refused, closed, read-only standby)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its ``except`` block: the exception is still the current one.
    if database_unavailable(sys.exc_info()[1]):
        return _unavailable(request)
    title = _("Server error")
    if request.path.startswith("/api/"):
        return _error(request, 500, title, gettext_lazy(
            "Something went wrong on our side. The error has been logged."))
    message = _("Something went wrong on our side. The error has been logged.")
    # No request context: the failure may be the database the context processors read.
    html = render_to_string("web/error.html", {"status": 500, "title": title, "message": message})
    return HttpResponseServerError(html)


def _unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a resident's phone, a client or the proxy tries again shortly (the
    standby takes over within seconds; docs/deploy.md)."""
    zh, en = "数据库暂时无法连接,请稍后重试。", "The database is briefly out of reach; please try again in a moment."
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"code": "unavailable",
                                               "message": {"zh": zh, "en": en}}, status=503)
    else:  # no request context: the context processors read the database
        html = render_to_string("web/error.html", {"status": 503, "title": _("Please try again"),
                                                   "message": f"{zh} {en}"})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "5"
    return response


def role_labels(user: Any) -> list[str]:
    return sorted(str(r) for r in scope.roles(user))
