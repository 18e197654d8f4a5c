"""Service-record pages: the list, recording hours, a record with its corrections, the
leader's confirmation queue and the correction requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.volunteers import access, selectors, services
from wushe.volunteers.views.common import required_team, team_from, volunteer_by_number
from wushe.volunteers.views.forms import (
    CorrectForm,
    CorrectionRequestForm,
    DecideForm,
    RecordFilterForm,
    RecordForm,
    RejectForm,
)
from wushe.web.pages import Submitted, paginate, render_page, submit

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def record_filters(actor: Actor, form: RecordFilterForm) -> selectors.RecordFilters:
    if not (form.is_bound and form.is_valid()):
        return selectors.RecordFilters()
    d = form.cleaned_data
    return selectors.RecordFilters(status=d["status"],
                                   team=team_from(actor, d["team"], access.VIEW),
                                   start=d["start"], end=d["end"])


@login_required
@never_cache
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not access.has_any(actor, access.VIEW):
        raise NotFound()
    form = RecordFilterForm(request.GET or None,
                            teams=list(selectors.team_list(actor=actor)[:500]))
    qs = selectors.record_list(actor=actor, filters=record_filters(actor, form))
    return render_page(request, "volunteers/record_list.html", {
        "form": form, "page": paginate(request, qs), "export_query": request.GET.urlencode(),
        "can_record": bool(selectors.my_teams(actor=actor)),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def record_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    teams = selectors.my_teams(actor=actor)
    if not teams:
        raise PermissionDenied()
    form = RecordForm(request.POST or None, teams=teams,
                      initial={"team": request.GET.get("team", ""),
                               "number": request.GET.get("number", "")})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.record_create(
            actor=actor, team=required_team(actor, d["team"]),
            volunteer=volunteer_by_number(actor, d["number"]), started_at=d["started_at"],
            ended_at=d["ended_at"], hours=d["hours"], content=d["content"]))
        if outcome.done:
            messages.success(request, _("The hours have been recorded and await confirmation."))
            return redirect("volunteers:record", record_id=outcome.result.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("Record service hours"), "cancel": reverse("volunteers:records"),
        "intro": _("The organising team records; its leader confirms. Hours are the actual "
                   "service time: more than 0, within the start and end, at most 24 a day, "
                   "never overlapping the volunteer's other records.")},
        status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    actor = request.user
    record = selectors.record_get(actor=actor, record_id=record_id)
    is_self = access.own_volunteer_id(actor) == record.volunteer_id
    can_manage = access.can(actor, access.MANAGE, record)
    correct_form = CorrectForm(request.POST if request.POST.get("form") == "correct" else None)
    request_form = CorrectionRequestForm(
        request.POST if request.POST.get("form") == "request" else None)
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "correct":
            outcome = submit(correct_form, lambda d: services.record_correct(
                actor=actor, record=record, hours=d["hours"], reason=d["reason"]))
            message = _("The correction has been recorded and awaits confirmation.")
        elif request.POST.get("form") == "request":
            outcome = submit(request_form, lambda d: services.correction_request(
                actor=actor, record=record, proposed_hours=d["proposed_hours"],
                reason=d["reason"]))
            message = _("Your request has been sent to the team.")
        else:
            raise NotFound()
        if outcome.done:
            messages.success(request, message)
            return redirect("volunteers:record", record_id=record.pk)
        status = outcome.status
    corrections = selectors.record_list(actor=actor).filter(corrects=record)
    return render_page(request, "volunteers/record_detail.html", {
        "record": record, "corrections": list(corrections), "is_self": is_self,
        "can_manage": can_manage, "can_confirm": access.can(actor, access.CONFIRM, record),
        "correct_form": correct_form, "request_form": request_form,
        "correctable": record.effective, "reject_form": RejectForm(),
    }, status=status)


@login_required
@never_cache
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.CONFIRM):
        raise NotFound()
    pending = selectors.confirmation_queue(actor=actor)
    return render_page(request, "volunteers/queue.html", {
        "page": paginate(request, pending, per_page=50),
        "requests": list(selectors.correction_requests(actor=actor)[:50]),
        "reject_form": RejectForm(), "decide_form": DecideForm(),
    }, partial="queue")


@login_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the ticked records (or one, from a button) in one go."""
    actor = request.user
    only = request.POST.get("only", "")
    # A row's own button confirms that row alone, whatever else is ticked.
    raw = [only] if only else request.POST.getlist("record")
    ids = [int(i) for i in raw if i.isdigit()][:200]
    records = [selectors.record_get(actor=actor, record_id=i) for i in ids]
    if not records:
        messages.error(request, _("Tick at least one record."))
    else:
        try:
            done = services.records_confirm(actor=actor, records=records)
        except WusheError as exc:
            messages.error(request, exc.localized())
        else:
            messages.success(request, _("%(n)s record(s) confirmed.") % {"n": len(done)})
    return redirect(request.POST.get("next") or reverse("volunteers:queue"))


@login_required
@require_POST
def reject(request: HttpRequest, record_id: int) -> HttpResponse:
    actor = request.user
    record = selectors.record_get(actor=actor, record_id=record_id)
    try:
        services.record_reject(actor=actor, record=record, reason=request.POST.get("reason", ""))
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The record has been returned."))
    return redirect("volunteers:queue")


@login_required
@require_POST
def decide(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = request.user
    item = selectors.correction_request_get(actor=actor, request_id=request_id)
    form = DecideForm(request.POST)
    outcome = submit(form, lambda d: services.correction_decide(
        actor=actor, request=item, accept=d["decision"] == "accept", note=d["note"],
        hours=d["hours"] or None))
    if outcome.done:
        messages.success(request, _("The decision has been recorded."))
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("volunteers:queue")

