"""Annual report generation started from the page: a job (core/progress.py) whose worker
writes the three formats into the job's directory while the page polls its progress bar.

A job belongs to the user who started it: another user asking for it gets NotFound.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from wushe.core import progress
from wushe.core.errors import NotFound
from wushe.core.scoping import scopes_disabled
from wushe.regions.models import Region

JOB_KIND = "annual_report"
ORDER = ("html", "pdf", "docx")


def file_name(region_code: str, year: int, lang: str, fmt: str) -> str:
    return f"annual-report-{region_code}-{year}-{lang}.{fmt}"


def generate(region: Region, year: int, lang: str, out_dir: Path,
             progress: Callable[[int, str], None]) -> dict[str, str]:
    """Build the document once and write every format; returns {fmt: file name}."""
    from wushe.reports.annual import build_document, write

    doc = build_document(region, year, lang, progress)
    files = {}
    for i, fmt in enumerate(ORDER):
        progress(75 + i * 8, fmt)
        name = file_name(region.code, year, lang, fmt)
        write(doc, fmt, out_dir / name)
        files[fmt] = name
    progress(100, "done")
    return files


def job_start(*, actor: Any, region: Region, year: int, lang: str) -> str:
    job = progress.job_create(actor=actor, kind=JOB_KIND, region=region.code,
                              region_name=region.name, year=year, lang=lang, files={})

    def work(job: progress.Job) -> dict[str, Any]:
        def report(percent: int, phase: str) -> None:
            job.save(percent=percent, phase=phase)

        with scopes_disabled():  # the region was checked against the actor's scope
            return {"files": generate(region, year, lang, job.dir, report)}

    progress.job_run(job, work)
    return job.id


def job_state(*, actor: Any, job_id: str) -> dict[str, Any]:
    return progress.job_state(actor=actor, job_id=job_id, kind=JOB_KIND)


def job_file(*, actor: Any, job_id: str, fmt: str) -> tuple[Path, str]:
    name = job_state(actor=actor, job_id=job_id).get("files", {}).get(fmt)
    path = progress.job_dir(job_id) / name if name else None
    if path is None or not path.is_file():
        raise NotFound()
    return path, name
