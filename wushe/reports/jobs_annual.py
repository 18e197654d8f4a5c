"""Annual report generation started from the page: a job (core/progress.py) whose task
(run by ``wushe worker``) writes the three formats into the job's directory while the page polls its progress bar.

A job belongs to the user who started it: another user asking for it gets NotFound.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wushe.core import progress
from wushe.core.errors import NotFound
from wushe.core.scoping import scopes_disabled
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

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


def job_start(*, actor: Actor, region: Region, year: int, lang: str) -> str:
    """Queue the report of ``region`` (already checked against the actor's scope) for a
    worker; the job id."""
    job = progress.job_create(actor=actor, kind=JOB_KIND, region=region.code,
                              region_name=region.name, year=year, lang=lang, files={})
    progress.job_enqueue(job)
    return job.id


def _work(job: progress.Job, actor: Actor) -> dict[str, Any]:
    def report(percent: int, phase: str) -> None:
        job.save(percent=percent, phase=phase)

    with scopes_disabled():  # the region was checked against the actor's scope at the start
        region = Region.objects.get(code=job.state["region"])
        return {"files": generate(region, int(job.state["year"]), str(job.state["lang"]),
                                  job.dir, report)}


progress.register(JOB_KIND, _work)


def job_state(*, actor: Actor, job_id: str) -> dict[str, Any]:
    return progress.job_state(actor=actor, job_id=job_id, kind=JOB_KIND)


def job_retry(*, actor: Actor, job_id: str) -> None:
    progress.job_retry(actor=actor, job_id=job_id, kind=JOB_KIND)


def job_file(*, actor: Actor, job_id: str, fmt: str) -> tuple[Path, str]:
    name = job_state(actor=actor, job_id=job_id).get("files", {}).get(fmt)
    path = progress.job_dir(job_id) / name if name else None
    if path is None or not path.is_file():
        raise NotFound()
    return path, name
