"""Export jobs at /api/v1/exports: the state of an export an app's API started (202), and its
workbook once written. A job is its starter's: anyone else gets 404 (core/exportjobs.py)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Router, Schema

from wushe.core import exportjobs
from wushe.core.excel import XLSX

router = Router(tags=["exports"])



class ExportJobOut(Schema):
    id: str
    status: str  # running (phase queued or writing), done, failed
    phase: str
    percent: int
    file: str = ""
    size: int | None = None
    error: dict[str, str] | None = None
    retryable: bool = False


@router.get("/{job_id}", response=ExportJobOut)
def export_state(request: HttpRequest, job_id: str) -> Any:
    return exportjobs.job_state(actor=request.user, job_id=job_id)


@router.get("/{job_id}/file")
def export_file(request: HttpRequest, job_id: str) -> FileResponse:
    path, name = exportjobs.job_file(actor=request.user, job_id=job_id)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=XLSX)
