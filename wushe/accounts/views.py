"""One's own account: change the password (also when it has expired), sign out everywhere."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wushe.accounts import passwords, services
from wushe.accounts.forms import PasswordChangeForm
from wushe.accounts.models import User
from wushe.core.errors import WusheError


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(actor=actor, old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"])
        except WusheError as exc:
            form.add_error(exc.field if exc.field in form.fields else "new_password",
                           exc.localized())
        else:
            update_session_auth_hash(request, actor)  # this session goes on, others end
            messages.success(request, _("Your password was changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {
        "form": form, "expired": passwords.password_expired(actor),
        "max_age_days": settings.WUSHE_PASSWORD_MAX_AGE_DAYS,
        "history": settings.WUSHE_PASSWORD_HISTORY,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    actor = cast(User, request.user)
    n = services.user_sign_out_everywhere(actor=actor)
    logout(request)
    messages.success(request, _("You were signed out on every device; %(n)d API token(s) were "
                                "revoked.") % {"n": n})
    return redirect(settings.LOGIN_URL)
