"""Centralised supervision sessions and consultations: their list and the form to record one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied, WusheError
from wushe.supervision import forms, selectors, services
from wushe.supervision.views.common import MANAGE, filter_regions, manage_regions, require_view
from wushe.web.pages import Submitted, add_service_error, paginate, render_page, submit


@login_required
@never_cache
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_view(actor)
    form = forms.SessionFilterForm(request.GET or None, regions=filter_regions(actor))
    filters = selectors.VisitFilters(sessions=True)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        year = d["year"]
        filters = selectors.VisitFilters(
            sessions=True, kind=d["kind"], region_code=d["region"],
            date_from=dt.date(year, 1, 1) if year else None,
            date_to=dt.date(year, 12, 31) if year else None)
    status = 400 if form.errors else 200
    qs: Any = []
    try:
        qs = selectors.record_list(actor=actor, filters=filters)
    except WusheError as exc:
        add_service_error(form, exc)
        status = exc.status
    return render_page(request, "supervision/sessions.html", {
        "form": form, "page": paginate(request, qs), "tab": "sessions",
        "can_manage": scope.has_perm(actor, MANAGE),
    }, partial="results", status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, MANAGE):
        raise PermissionDenied()
    regions = manage_regions(actor)
    form = forms.SessionForm(request.POST or None, regions=regions)

    def call(d: dict[str, Any]) -> Any:
        project = selectors.project_by_code(actor=actor, code=d["project"]) \
            if d["project"] else None
        region = next((r for r in regions if r.code == d["region"]), None)
        return services.session_record(
            actor=actor, kind=d["kind"], held_on=d["held_on"], topic=d["topic"],
            participants=d["participants"], organisations=d["organisations"],
            findings=d["findings"], region=region, project=project)

    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)  # an unknown project code lands on the form too
        if outcome.done:
            messages.success(request, _("The session has been recorded."))
            return redirect("supervision:visit", supervision_id=outcome.result.pk)
    return render_page(request, "supervision/action.html", {
        "form": form, "title": _("Record a centralised session or a consultation"),
        "back": reverse("supervision:sessions"), "submit_label": pgettext("supervision", "Record"), "tab": "sessions",
    }, status=outcome.status)
