"""QR check-in pages (#21 item 4): the rotating QR on an activity for those who manage it, and
the phone page a volunteer reaches by scanning it (check in, later check out)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.core.errors import NotFound, WusheError
from wushe.volunteers import access, checkin, selectors, services
from wushe.volunteers.models import Activity, ActivityStatus
from wushe.web.pages import render_page

# The QR is shown while check-in can happen (the leader's check-in refuses these two).
NO_QR = (ActivityStatus.DRAFT, ActivityStatus.CANCELLED)


def qr_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    """The QR partial's context: the current code as an absolute URL and its SVG."""
    if activity.status in NO_QR:
        return {"qr_activity": activity, "qr_svg": "", "qr_url": ""}
    url = request.build_absolute_uri(checkin.checkin_path(activity.pk))
    svg = segno.make(url, error="m").svg_inline(scale=5, title="QR", border=2)
    seconds = checkin.window_seconds()
    return {"qr_activity": activity, "qr_url": url,
            "qr_svg": mark_safe(svg),  # noqa: S308 - segno's own SVG of our own URL
            "qr_refresh": max(5, min(60, seconds // 3)), "qr_minutes": max(1, seconds // 60)}


@login_required
@never_cache
@require_GET
def qr(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The activity's current QR (htmx polls it); only for those who may manage the activity."""
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    if not access.can(request.user, access.MANAGE, activity):
        raise NotFound()
    return render_page(request, "volunteers/checkin_qr.html", qr_context(request, activity),
                       partial="qr")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, code: str) -> HttpResponse:
    """The volunteer's phone page: one big button to check in, then to check out."""
    actor = request.user
    done = ""
    try:
        if request.method == "POST":
            action = request.POST.get("action", "")
            if action == "checkin":
                services.signup_qr_check_in(actor=actor, raw_code=code)
                done = "in"
            elif action == "checkout":
                services.signup_qr_check_out(actor=actor, raw_code=code)
                done = "out"
            else:
                raise checkin.CodeInvalid()
        activity, signup = checkin.checkin_state(actor=actor, raw_code=code)
    except WusheError as exc:
        return render_page(request, "volunteers/checkin_page.html",
                           {"error": exc.message, "error_code": exc.code}, status=exc.status)
    return render_page(request, "volunteers/checkin_page.html", {
        "activity": activity, "signup": signup, "done": done})
