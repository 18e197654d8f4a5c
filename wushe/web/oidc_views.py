"""Staff sign-on through the OpenID Connect provider: the start and the callback.

The protocol is in ``wushe.accounts.oidc``; here only the pages. After the provider, the login
goes on exactly as after a right password (``otp_views.password_accepted``: wushe's second
factor when the account needs one, the same ``next`` checks), unless the provider's MFA is
trusted (``WUSHE_OIDC_TRUST_MFA``). A refusal is a page in both languages, never a 500.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from wushe.accounts import oidc
from wushe.core.errors import WusheError
from wushe.web import otp_views


def _redirect_uri(request: HttpRequest) -> str:
    return (settings.WUSHE_OIDC_REDIRECT_URI
            or request.build_absolute_uri(reverse("web:login_oidc_callback")))


def _refused(request: HttpRequest, exc: WusheError) -> HttpResponse:
    return render(request, "web/login_oidc_error.html", {"zh": exc.zh, "en": exc.en,
                                                         "code": exc.code}, status=exc.status)


@never_cache
def login_oidc(request: HttpRequest) -> HttpResponse:
    """Start: to the provider's authorization page with a fresh state, nonce and PKCE."""
    if not oidc.enabled():
        raise Http404
    next_url = otp_views._safe_next(request, request.GET.get("next", "")[:2000])
    try:
        url = oidc.begin(request.session, redirect_uri=_redirect_uri(request), next_url=next_url)
    except WusheError as exc:
        return _refused(request, exc)
    return HttpResponseRedirect(url)


@never_cache
def login_oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the code for the ID token, the token for the linked account."""
    if not oidc.enabled():
        raise Http404
    try:
        user, info = oidc.finish(request.session, state=request.GET.get("state", ""),
                                 code=request.GET.get("code", ""),
                                 error=request.GET.get("error", ""))
    except WusheError as exc:
        return _refused(request, exc)
    if info["mfa"]:  # the provider's MFA stands for wushe's code
        if request.user.is_authenticated and request.user.pk != user.pk:
            request.session.flush()
        otp_views._complete(request, user, None)
        next_url = otp_views._safe_next(request, info["next"])
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return otp_views.password_accepted(request, user, info["next"])
