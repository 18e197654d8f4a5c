"""Roster import with a progress bar, the template, and the Excel exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.core.excel import template_bytes
from wushe.volunteers import access, importjobs, selectors, services
from wushe.volunteers.exporters import records_xlsx, team_totals_xlsx, volunteers_xlsx
from wushe.volunteers.views.common import xlsx
from wushe.volunteers.views.forms import ImportForm, RecordFilterForm, VolunteerFilterForm
from wushe.volunteers.views.records import record_filters
from wushe.volunteers.views.volunteers import volunteer_filters
from wushe.web.pages import Submitted, render_page, submit

EXPORT_MAX_ROWS = 300_000


def _may_import(actor: object) -> None:
    if not scope.has_perm(actor, access.MANAGE):
        raise NotFound()


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _may_import(actor)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: importjobs.job_start(
            actor=actor, upload=d["file"], dry_run=d["dry_run"], valid_only=d["valid_only"]))
        if outcome.done:
            return redirect("volunteers:import_job", job_id=outcome.result)
    return render_page(request, "volunteers/import.html", {
        "form": form, "teams": selectors.my_teams(actor=actor)[:50]}, status=outcome.status)


@login_required
@never_cache
@require_GET
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """The job page; htmx polls it for the progress fragment until the job is done."""
    state = importjobs.job_state(actor=request.user, job_id=job_id)
    return render_page(request, "volunteers/import_job.html", {"job": state},
                       partial="progress")


@login_required
@require_GET
def import_errors(request: HttpRequest, job_id: str) -> HttpResponse:
    return xlsx(importjobs.errors_file(actor=request.user, job_id=job_id),
                f"volunteers-import-errors-{job_id[:8]}.xlsx")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _may_import(request.user)
    return xlsx(template_bytes("volunteers"), "volunteer-roster-template.xlsx")


def _exported(request: HttpRequest, what: str) -> None:
    services.export_recorded(actor=request.user, what=what, query=request.GET.urlencode())


@login_required
@require_GET
def export_volunteers(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = VolunteerFilterForm(request.GET or None,
                               teams=list(selectors.team_list(actor=actor)[:500]))
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
