"""The page of an export job: waiting, running, then the workbook to download
(core/exportjobs.py). A job is its starter's: anyone else gets NotFound."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wushe.core import exportjobs
from wushe.web.pages import XLSX, render_page


@login_required
@never_cache
@require_GET
def export_job(request: HttpRequest, job_id: str) -> HttpResponse:
    state = exportjobs.job_state(actor=request.user, job_id=job_id)
    return render_page(request, "web/export_job.html", {"job": state}, partial="progress")


@login_required
@never_cache
@require_GET
def export_file(request: HttpRequest, job_id: str) -> FileResponse:
    path, name = exportjobs.job_file(actor=request.user, job_id=job_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)


@login_required
@require_POST
def export_retry(request: HttpRequest, job_id: str) -> HttpResponse:
    exportjobs.job_retry(actor=request.user, job_id=job_id)
    return redirect("web:export_job", job_id=job_id)
