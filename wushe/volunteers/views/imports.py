"""The roster import page (the shared one, with a progress bar), its template, and the Excel
exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.core.errors import ValidationFailed
from wushe.volunteers import selectors, services
from wushe.volunteers.exporters import records_xlsx, team_totals_xlsx, volunteers_xlsx
from wushe.volunteers.views.common import xlsx
from wushe.volunteers.views.forms import RecordFilterForm, VolunteerFilterForm
from wushe.volunteers.views.records import record_filters
from wushe.volunteers.views.volunteers import SEARCH_FIELDS, volunteer_filters
from wushe.web import imports, privatesearch

EXPORT_MAX_ROWS = 300_000


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    return imports.import_page(
        request, kind="volunteers", back=reverse("volunteers:list"),
        template_url=reverse("volunteers:import_template"),
        extra_template="volunteers/_import_notes.html",
        extra={"teams": selectors.my_teams(actor=request.user)[:50]})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return imports.import_template(request, "volunteers")


def _exported(request: HttpRequest, what: str) -> None:
    services.export_recorded(actor=request.user, what=what, query=request.GET.urlencode())


@login_required
@require_GET
def export_volunteers(request: HttpRequest) -> HttpResponse:
    actor = request.user
    data, via_url = privatesearch.search_data(request, "volunteers", SEARCH_FIELDS)
    form = VolunteerFilterForm(data, teams=list(selectors.team_list(actor=actor)[:500]),
                               via_url=via_url)
    if form.is_bound and not form.is_valid() and form.has_error("q", "identifier_in_url"):
        raise ValidationFailed("身份证号不能放在网址中,请在志愿者列表中搜索后导出",
                               "An ID number must not be in the URL: search on the volunteer "
                               "list, then export", code="identifier_in_url", field="q")
    qs = selectors.volunteer_list(actor=actor, filters=volunteer_filters(actor, form))
    _exported(request, "volunteers")
    return xlsx(volunteers_xlsx(qs[:EXPORT_MAX_ROWS]), "volunteers.xlsx")


@login_required
@require_GET
def export_records(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = RecordFilterForm(request.GET or None,
                            teams=list(selectors.team_list(actor=actor)[:500]))
    qs = selectors.record_list(actor=actor, filters=record_filters(actor, form))
    _exported(request, "records")
    return xlsx(records_xlsx(qs[:EXPORT_MAX_ROWS]), "service-records.xlsx")


@login_required
@require_GET
def export_teams(request: HttpRequest) -> HttpResponse:
    actor = request.user
    qs = selectors.team_list(actor=actor)
    _exported(request, "teams")
    return xlsx(team_totals_xlsx(qs), "team-totals.xlsx")
