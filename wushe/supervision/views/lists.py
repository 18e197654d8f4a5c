"""The supervisor's calendar, the overdue lists and the records (with their Excel export)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wushe.accounts import scope
from wushe.core import exportjobs
from wushe.core.errors import WusheError
from wushe.supervision import exporters, forms, selectors
from wushe.supervision.views.common import (
    MANAGE,
    filter_regions,
    require_view,
    visit_filters,
)
from wushe.web.pages import add_service_error, paginate, render_page


@login_required
@never_cache
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """A month of supervisions: planned, done, overdue and missed in their colours."""
    actor = request.user
    require_view(actor)
    form = forms.CalendarForm(request.GET or None, regions=filter_regions(actor))
    today = dt.date.today()
    year, month = today.year, today.month
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        month = form.cleaned_data["month"] or month
    status = 400 if form.errors else 200
    grid = None
    try:
        grid = selectors.calendar_month(actor=actor, year=year, month=month,
                                        filters=visit_filters(form), today=today)
    except WusheError as exc:
        add_service_error(form, exc)
        status = exc.status
    query = request.GET.copy()
    for key in ("year", "month", "page"):
        query.pop(key, None)
    return render_page(request, "supervision/calendar.html", {
        "form": form, "grid": grid, "today": today, "tab": "calendar",
        "filter_query": query.urlencode(), "can_manage": scope.has_perm(actor, MANAGE),
    }, partial="month", status=status)


def _list_page(request: HttpRequest, form: Any, query: Callable[[], Any], template: str,
               context: dict[str, Any]) -> HttpResponse:
    """A filtered, paged list: the form's errors or the selector's refusal next to the
    filters, htmx gets the results fragment only."""
    status = 400 if form.errors else 200
    qs: Any = []
    try:
        qs = query()
    except WusheError as exc:
        add_service_error(form, exc)
        status = exc.status
    return render_page(request, template, {"form": form, "page": paginate(request, qs),
                                           **context}, partial="results", status=status)


@login_required
@never_cache
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_view(actor)
    form = forms.VisitFilterForm(request.GET or None, regions=filter_regions(actor))
    return _list_page(request, form,
                      lambda: selectors.overdue_visits(actor=actor, filters=visit_filters(form)),
                      "supervision/overdue.html", {"tab": "overdue", "today": dt.date.today()})


@login_required
@never_cache
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    """Every supervision by date, kind, tier, region and state (the calendar's "+N more")."""
    actor = request.user
    require_view(actor)
    form = forms.VisitListForm(request.GET or None, regions=filter_regions(actor))
    return _list_page(request, form,
                      lambda: selectors.supervision_list(actor=actor, filters=visit_filters(form)),
                      "supervision/visits.html", {"tab": "calendar"})


@login_required
@never_cache
@require_GET
def rectifications(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_view(actor)
    form = forms.RectificationFilterForm(request.GET or None, regions=filter_regions(actor))
    state, region = "overdue", ""
    if form.is_bound and form.is_valid():
        state = form.cleaned_data["state"] or "overdue"
        region = form.cleaned_data["region"]
    return _list_page(request, form, lambda: selectors.rectification_list(
        actor=actor, state="" if state == "all" else state, region_code=region),
        "supervision/rectifications.html", {"tab": "rectifications", "state": state})


@login_required
@never_cache
@require_GET
def records(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_view(actor)
    form = forms.RecordFilterForm(request.GET or None, regions=filter_regions(actor))
    return _list_page(request, form,
                      lambda: selectors.record_list(actor=actor, filters=visit_filters(form)),
                      "supervision/records.html",
                      {"tab": "records", "export_query": request.GET.urlencode()})


@login_required
@require_POST
def records_export(request: HttpRequest) -> HttpResponse:
    """Export the filtered records (the filters in the query string) as a job for the worker;
    its page offers the workbook when it is written."""
    actor = request.user
    require_view(actor)
    form = forms.RecordFilterForm(request.GET or None, regions=filter_regions(actor))
    query = request.GET.urlencode()
    job_id = exportjobs.export_start(
        actor=actor, name=exporters.RECORDS, params=exporters.filters_params(visit_filters(form)),
        back=reverse("supervision:records") + (f"?{query}" if query else ""))
    return redirect("web:export_job", job_id=job_id)
