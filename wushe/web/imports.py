"""The Excel import page every importer shares, and the job page with its progress bar.

An app's import view checks nothing itself: the importer's ``check_permission`` refuses an
actor who may not import (NotFound, as for a page that does not exist), both here and in the
pipeline. The upload runs as a job (core/importjobs.py); the job page polls its progress and
then shows the result, the first row errors and the error report to download.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wushe.core import importjobs
from wushe.core.excel import IMPORTERS, template_bytes
from wushe.web.forms import ImportForm
from wushe.web.pages import Submitted, render_page, submit, xlsx_response


def import_page(request: HttpRequest, *, kind: str, back: str, template_url: str,
                intro: str = "", extra_template: str = "",
                extra: dict[str, object] | None = None) -> HttpResponse:
    """Upload a workbook for ``kind``; a valid upload starts a job and goes to its page.

    ``extra_template`` (with ``extra`` context) adds an app's own notes beside the form."""
    importer = IMPORTERS[kind](request.user)  # an instance: templates would call a class
    importer.check_permission()
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: importjobs.job_start(
            actor=request.user, kind=kind, upload=d["file"], dry_run=d["dry_run"],
            valid_only=d["valid_only"], back=request.path))
        if outcome.done:
            return redirect("web:import_job", job_id=outcome.result)
    return render_page(request, "web/import.html", {
        "form": form, "importer": importer, "back": back, "template_url": template_url,
        "intro": intro, "extra_template": extra_template, **(extra or {})},
        status=outcome.status)


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's template workbook, for those who may import it."""
    IMPORTERS[kind](request.user).check_permission()
    return xlsx_response(template_bytes(kind), f"{kind}-template")


@login_required
@never_cache
@require_GET
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """The job page; htmx polls it for the progress fragment until the job is done."""
    state = importjobs.job_state(actor=request.user, job_id=job_id)
    return render_page(request, "web/import_job.html", {"job": state}, partial="progress")


@login_required
@require_GET
def import_errors(request: HttpRequest, job_id: str) -> HttpResponse:
    content, kind = importjobs.errors_file(actor=request.user, job_id=job_id)
    return xlsx_response(content, f"{kind}-errors")

