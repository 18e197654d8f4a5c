"""The second step of the login (a one-time code), enrolment, and the account's security page.

After a right password an account that needs a second factor is not logged in: the session
holds only the pending account (``PENDING``) until the code (or a recovery code) is right.
An account without an authenticator enrols first, still not logged in: the QR code is drawn
here as inline SVG (segno; no outside service, allowed by the CSP), the secret is shown for
typing, and the ten recovery codes are shown once. Too many wrong codes start the login over.
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from wushe.accounts import otp, scope
from wushe.accounts.middleware import SESSION_KEY as IDLE_SESSION_KEY
from wushe.accounts.models import User
from wushe.core.errors import NotFound, PermissionDenied, WusheError

PENDING = "wushe_otp_pending"
BACKEND = "wushe.accounts.backends.LockoutBackend"


def _safe_next(request: HttpRequest, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()},
                                                    require_https=request.is_secure()):
        return next_url
    return ""


def _complete(request: HttpRequest, user: User, device: Any) -> None:
    request.session.pop(PENDING, None)
    login(request, user, backend=BACKEND)
    if device is not None:
        django_otp.login(request, device)
    # The idle timeout counts from here (the middleware saw an anonymous request).
    request.session[IDLE_SESSION_KEY] = time.time()


def password_accepted(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After a right password: log in at once, or hold the login for the second factor."""
    next_url = _safe_next(request, next_url)
    if not otp.otp_needed_at_login(user):
        _complete(request, user, None)
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if request.user.is_authenticated and request.user.pk != user.pk:
        request.session.flush()  # another account's session does not carry over
    else:
        request.session.cycle_key()
    request.session[PENDING] = {"uid": user.pk, "since": time.time(), "fails": 0,
                                "next": next_url}
    if otp.totp_device(user) is None:
        return redirect("web:login_enrol")
    return redirect("web:login_otp")


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    state = request.session.get(PENDING)
    if not isinstance(state, dict):
        return None
    if time.time() - float(state.get("since", 0)) > settings.WUSHE_OTP_PENDING_MINUTES * 60:
        request.session.pop(PENDING, None)
        return None
    uid = state.get("uid")
    if not isinstance(uid, int):
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=uid, is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return None
    return user, state


def _start_over(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.error(request, message)
    return redirect("web:login")


def _failed(request: HttpRequest, state: dict[str, Any]) -> bool:
    """Count a wrong code; True when the limit is reached and the login starts over."""
    state["fails"] = int(state.get("fails", 0)) + 1
    request.session[PENDING] = state
    return state["fails"] >= settings.WUSHE_OTP_MAX_FAILURES


def _attempts_left(state: dict[str, Any]) -> int:
    return max(0, settings.WUSHE_OTP_MAX_FAILURES - int(state.get("fails", 0)))


# Marked for extraction here, translated where shown (a bare constant never reached the catalogue).
TOO_MANY = gettext_noop("Too many wrong codes. Sign in again with your password.")
EXPIRED = gettext_noop("Your sign-in has expired. Sign in again.")


@never_cache
@csrf_protect
def login_otp(request: HttpRequest) -> HttpResponse:
    """Step two: the six-digit code from the authenticator app, or a recovery code."""
    found = _pending(request)
    if found is None:
        return _start_over(request, _(EXPIRED))
    user, state = found
    if otp.totp_device(user) is None:
        return redirect("web:login_enrol")
    error, status = "", 200
    if request.method == "POST":
        try:
            device = otp.otp_verify(user=user, code=request.POST.get("code", ""))
        except WusheError as exc:
            if _failed(request, state):
                return _start_over(request, _(TOO_MANY))
            error, status = exc.localized(), 400
        else:
            _complete(request, user, device)
            return redirect(state.get("next") or settings.LOGIN_REDIRECT_URL)
    return render(request, "web/login_otp.html", {
        "error": error, "attempts_left": _attempts_left(state),
        "display_name": user.display_name or user.username,
    }, status=status)


def _enrol_context(device: Any) -> dict[str, Any]:
    uri = otp.otpauth_uri(device)
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="ws-qr",
        title=_("QR code for the authenticator app"))
    return {"qr_svg": mark_safe(svg),  # noqa: S308 (segno's own SVG of our own URI)
            "secret": otp.secret_grouped(device), "otpauth": uri}


@never_cache
@csrf_protect
def login_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment during the login: scan, confirm with a code, keep the recovery codes."""
    found = _pending(request)
    if found is None:
        return _start_over(request, _(EXPIRED))
    user, state = found
    if otp.totp_device(user) is not None:
        return redirect("web:login_otp")
    device = otp.otp_enrol_start(actor=user)
    error, status = "", 200
    if request.method == "POST":
        try:
            device, codes = otp.otp_enrol_confirm(actor=user, device_id=device.pk,
                                                  code=request.POST.get("code", ""))
        except WusheError as exc:
            if _failed(request, state):
                return _start_over(request, _(TOO_MANY))
            error, status = exc.localized(), 400
        else:
            _complete(request, user, device)
            return render(request, "web/otp_recovery.html", {
                "codes": codes,
                "continue_url": resolve_url(state.get("next") or settings.LOGIN_REDIRECT_URL),
            })
    return render(request, "web/otp_enrol.html", {
        **_enrol_context(device), "error": error, "attempts_left": _attempts_left(state),
        "action": "login",
    }, status=status)


# --- the signed-in account ------------------------------------------------------------------

def _may_reset(user: Any) -> bool:
    return any(scope.has_perm(user, perm) for perm in otp.RESET_PERMS)


def _security_page(request: HttpRequest, *, error: str = "", status: int = 200,
                   reset_username: str = "") -> HttpResponse:
    user = request.user
    device = otp.totp_device(user)
    verified = getattr(user, "is_verified", None)
    return render(request, "web/account_security.html", {
        "device": device,
        "required": otp.otp_required(user),
        "verified": bool(callable(verified) and verified()),
        "recovery_left": otp.recovery_codes_left(user) if device else 0,
        "may_reset": _may_reset(user),
        "error": error,
        "reset_username": reset_username,
    }, status=status)


@never_cache
@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    return _security_page(request)


@never_cache
@login_required
@csrf_protect
def account_enrol(request: HttpRequest) -> HttpResponse:
    """Set up (again): a new authenticator replaces the old one once confirmed."""
    user: Any = request.user
    if otp.totp_device(user) is not None and not user.is_verified():
        # Replacing a second factor takes a session that proved the current one.
        return _security_page(request, status=403, error=_(
            "Sign out and sign in again with your code before setting up a new authenticator."))
    device = otp.otp_enrol_start(actor=user)
    error, status = "", 200
    if request.method == "POST":
        try:
            device, codes = otp.otp_enrol_confirm(actor=user, device_id=device.pk,
                                                  code=request.POST.get("code", ""))
        except WusheError as exc:
            error, status = exc.localized(), 400
        else:
            django_otp.login(request, device)
            return render(request, "web/otp_recovery.html", {
                "codes": codes, "continue_url": resolve_url("web:account_security")})
    return render(request, "web/otp_enrol.html", {
        **_enrol_context(device), "error": error, "action": "account"}, status=status)


@login_required
@require_POST
def account_otp_reset(request: HttpRequest) -> HttpResponse:
    """Another administrator resets an account's second factor (a lost phone)."""
    username = request.POST.get("username", "").strip()[:150]
    try:
        target = otp.otp_reset_target(actor=request.user, username=username)
        otp.otp_reset(actor=request.user, user=target)  # type: ignore[arg-type]
    except (NotFound, PermissionDenied) as exc:
        return _security_page(request, error=exc.localized(), status=exc.status,
                              reset_username=username)
    messages.success(request, _("The second factor of %(name)s was reset; the account sets it "
                                "up again at its next sign-in.") % {"name": username})
    return redirect("web:account_security")
