"""Activity pages: the month calendar, an activity with its sign-ups, create and edit,
opening for sign-up, check-in and check-out."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.volunteers import access, selectors, services
from wushe.volunteers.models import Activity, ActivityStatus, SignUpStatus
from wushe.volunteers.views.checkin import qr_context
from wushe.volunteers.views.common import (
    region_by_code,
    required_team,
    team_from,
    team_regions,
    volunteer_by_number,
)
from wushe.volunteers.views.forms import (
    ActivityFilterForm,
    ActivityForm,
    CheckOutForm,
    SignUpForm,
)
from wushe.web.pages import Submitted, render_page, submit

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _month(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        dt.date(year, month, 1)
    except (TypeError, ValueError, OverflowError):  # a year past C's int is an OverflowError
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month


@login_required
@never_cache
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not access.has_any(actor, access.VIEW):
        raise NotFound()
    year, month = _month(request)
    form = ActivityFilterForm(request.GET or None,
                              teams=list(selectors.team_list(actor=actor)[:500]))
    filters = selectors.ActivityFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.ActivityFilters(team=team_from(actor, d["team"], access.VIEW),
                                            status=d["status"], kind=d["kind"])
    first = dt.date(year, month, 1)
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    query = {k: v for k, v in request.GET.items() if k not in ("year", "month")}
    return render_page(request, "volunteers/activity_calendar.html", {
        "form": form, "weeks": selectors.month_calendar(actor=actor, year=year, month=month,
                                                        filters=filters),
        "month": first, "prev": prev, "next": nxt, "query": query,
        "today": timezone.localdate(),
        "can_create": bool(selectors.my_teams(actor=actor)),
        "open_to_me": list(selectors.activities_open_to_me(actor=actor)[:20]),
    }, partial="calendar")


def _choices(actor: Actor) -> tuple[list[Any], list[Any]]:
    teams = selectors.my_teams(actor=actor)
    return teams, team_regions(actor, teams)


def _values(d: dict[str, Any]) -> dict[str, Any]:
    keys = ("title", "kind", "target_groups", "place", "starts_at", "ends_at", "capacity",
            "description", "risky", "insurance_note")
    return {k: d[k] for k in keys}


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    teams, regions = _choices(actor)
    if not teams:
        raise PermissionDenied()
    form = ActivityForm(request.POST or None, teams=teams, regions=regions,
                        initial={"capacity": 20, "team": request.GET.get("team", "")})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.activity_create(
            actor=actor, team=required_team(actor, d["team"]),
            region=region_by_code(actor, d["region"], teams), **_values(d)))
        if outcome.done:
            messages.success(request, _("The activity has been created as a draft."))
            return redirect("volunteers:activity", activity_id=outcome.result.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("New activity"), "cancel": reverse("volunteers:activities"),
        "intro": _("A risky activity (heights, water, traffic, large crowds…) cannot open for "
                   "sign-up until its insurance note is filled in.")}, status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = request.user
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    access.require(actor, access.MANAGE, activity)
    teams, regions = _choices(actor)
    local = timezone.localtime
    form = ActivityForm(request.POST or None, teams=[activity.team], regions=regions, initial={
        "team": activity.team_id, "region": activity.region.code, "title": activity.title,
        "kind": activity.kind, "target_groups": [t for t in activity.target_groups.split(",")
                                                 if t],
        "place": activity.place, "starts_at": local(activity.starts_at),
        "ends_at": local(activity.ends_at), "capacity": activity.capacity,
        "description": activity.description, "risky": activity.risky,
        "insurance_note": activity.insurance_note})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.activity_update(
            actor=actor, activity=activity,
            region_id=region_by_code(actor, d["region"], teams).pk, **_values(d)))
        if outcome.done:
            messages.success(request, _("The changes have been saved."))
            return redirect("volunteers:activity", activity_id=activity.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("Edit activity") + f" · {activity.title}",
        "cancel": reverse("volunteers:activity", args=[activity.pk])}, status=outcome.status)


def _detail_context(request: HttpRequest, activity: Activity, **extra: Any) -> dict[str, Any]:
    actor = request.user
    can_manage = access.can(actor, access.MANAGE, activity)
    own = access.own_volunteer_id(actor)
    signups = list(selectors.signup_list(actor=actor, activity=activity)) if can_manage or \
        access.can(actor, access.VIEW, activity) else []
    mine = next((s for s in selectors.my_signups(actor=actor) if s.activity_id == activity.pk),
                None) if own else None
    context = {
        "activity": activity, "signups": signups, "can_manage": can_manage,
        "signup_form": SignUpForm(), "checkout_form": CheckOutForm(), "mine": mine,
        "can_self_sign": own is not None and activity.status == ActivityStatus.OPEN
        and (mine is None or mine.status == SignUpStatus.CANCELLED),
        "statuses": ActivityStatus, "signup_statuses": SignUpStatus,
    }
    if can_manage:  # the rotating check-in QR (#21 item 4)
        context.update(qr_context(request, activity))
    context.update(extra)
    return context


@login_required
@never_cache
@require_GET
def detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    return render_page(request, "volunteers/activity_detail.html",
                       _detail_context(request, activity))


@login_required
@require_POST
def set_status(request: HttpRequest, activity_id: int) -> HttpResponse:
    actor = request.user
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    try:
        services.activity_set_status(actor=actor, activity=activity,
                                     status=request.POST.get("status", ""))
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The activity is now: %(status)s") % {
            "status": activity.get_status_display()})
    return redirect("volunteers:activity", activity_id=activity.pk)


@login_required
@require_POST
def signup(request: HttpRequest, activity_id: int) -> HttpResponse:
    """A manager signs a volunteer up by number; a volunteer signs itself up."""
    actor = request.user
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    try:
        if request.POST.get("self"):
            me = selectors.my_volunteer(actor=actor)
            if me is None:
                raise NotFound()
            services.signup_create(actor=actor, activity=activity, volunteer=me)
        else:
            volunteer = volunteer_by_number(actor, request.POST.get("number", ""))
            services.signup_create(actor=actor, activity=activity, volunteer=volunteer)
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Signed up."))
    return redirect("volunteers:activity", activity_id=activity.pk)


@login_required
@require_POST
def signup_action(request: HttpRequest, signup_id: int, action: str) -> HttpResponse:
    actor = request.user
    item = selectors.signup_get(actor=actor, signup_id=signup_id)
    try:
        if action == "checkin":
            services.signup_check_in(actor=actor, signup=item)
            messages.success(request, _("Checked in."))
        elif action == "checkout":
            form = CheckOutForm(request.POST)
            form.is_valid()
            d = form.cleaned_data
            services.signup_check_out(actor=actor, signup=item, hours=d.get("hours") or None,
                                      content=d.get("content") or None)
            messages.success(request, _("Checked out; the hours await the leader's "
                                        "confirmation."))
        elif action == "cancel":
            services.signup_cancel(actor=actor, signup=item)
            messages.success(request, _("The sign-up has been cancelled."))
        else:
            raise NotFound()
    except WusheError as exc:
        messages.error(request, exc.localized())
    return redirect("volunteers:activity", activity_id=item.activity_id)
