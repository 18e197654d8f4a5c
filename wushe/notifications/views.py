"""Pages: the account's notifications (/notifications/), its preference
(/notifications/settings/) and the outbox for district administrators (/notifications/outbox/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.masking import mask_phone
from wushe.notifications import inapp, selectors
from wushe.notifications.forms import PreferenceForm
from wushe.notifications.models import Channel, DeliveryState
from wushe.web.pages import paginate, render_page, submit


def _row_id(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise NotFound()
    return int(raw)


@login_required
@never_cache
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.notifications(actor=request.user))
    return render_page(request, "notifications/list.html", {
        "page": page, "unread": selectors.unread_count(actor=request.user)},
        partial="items")


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: str) -> HttpResponse:
    """Mark read and go to the link (``open``), or back to the list."""
    n = inapp.notification_read(actor=request.user, notification_id=_row_id(notification_id))
    if request.POST.get("open") and n.link:
        # Links are ours (absolute on the public base URL): follow one only to an allowed host
        # or a path of this site.
        target = n.link
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            from urllib.parse import urlsplit

            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        return HttpResponseRedirect(target or reverse("notifications:list"))
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = inapp.notification_read_all(actor=request.user)
    messages.success(request, _("%(n)d marked as read.") % {"n": n})
    return redirect("notifications:list")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def preference_page(request: HttpRequest) -> HttpResponse:
    pref = selectors.preference(actor=request.user)
    initial = {f: getattr(pref, f) for f in inapp.BOOL_FIELDS}
    form = PreferenceForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        def call(data: dict[str, Any]) -> Any:
            flags = {f: bool(data.get(f)) for f in inapp.BOOL_FIELDS}
            phone: object = ...
            if data.get("clear_phone"):
                phone = ""
            elif data.get("phone"):
                phone = data["phone"]
            return inapp.preference_update(actor=request.user, phone=phone, **flags)

        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
        status = outcome.status
    return render_page(request, "notifications/settings.html", {
        "form": form, "phone_masked": mask_phone(pref.phone)}, status=status)


@login_required
@never_cache
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    selectors.require_outbox(request.user)
    state = request.GET.get("state") or ""
    channel = request.GET.get("channel") or ""
    if state and state not in DeliveryState.values:
        raise ValidationFailed("未知的状态", "Unknown state", field="state")
    if channel and channel not in Channel.values:
        raise ValidationFailed("未知的渠道", "Unknown channel", field="channel")
    page = paginate(request, selectors.deliveries(actor=request.user, state=state,
                                                  channel=channel))
    return render_page(request, "notifications/outbox.html", {
        "page": page, "counts": selectors.delivery_counts(actor=request.user),
        "states": DeliveryState.choices, "channels": Channel.choices,
        "state": state, "channel": channel, "failed": DeliveryState.FAILED}, partial="rows")


@login_required
@require_POST
def outbox_retry(request: HttpRequest, delivery_id: str) -> HttpResponse:
    inapp.delivery_retry(actor=request.user, delivery_id=_row_id(delivery_id))
    messages.success(request, _("The message will be sent again."))
    return redirect("notifications:outbox")
