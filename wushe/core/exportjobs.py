"""Exports that take long (a district's supervision records at city scale: about 3 s) run as
page jobs (core/progress.py) in the worker: the page shows the job waiting and running, then
offers the workbook; the API answers 202 with the job and serves the file when it is done.

An app registers an export by name with the function that builds its workbook from the actor
and the export's parameters (plain JSON: filters, never the rows). The function applies the
actor's scope and writes the export's audit event itself, as it does when called directly;
it runs in the worker as the account that asked, whose permission was checked at the start
and is checked again there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.core import progress
from wushe.core.errors import NotFound, ValidationFailed

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

JOB_KIND = "export"


@dataclass(frozen=True)
class Export:
    name: str
    build: Callable[[Any, dict[str, Any]], bytes]  # (actor, params) → the .xlsx bytes
    file_stem: str  # the download's name before the date: "supervision-records"
    title_zh: str
    title_en: str


EXPORTS: dict[str, Export] = {}


def register(export: Export) -> None:
    EXPORTS[export.name] = export


def export_start(*, actor: Actor, name: str, params: dict[str, Any], back: str = "") -> str:
    """Queue the export ``name`` with ``params`` for a worker; the job id. The caller has
    checked the actor may export (and the builder checks again in the worker)."""
    export = EXPORTS.get(name)
    if export is None:
        raise ValidationFailed(f"未知的导出类型 {name}", f"Unknown export {name}")
    job = progress.job_create(actor=actor, kind=JOB_KIND, export=name, params=params, back=back,
                              title={"zh": export.title_zh, "en": export.title_en}, file="")
    progress.job_enqueue(job)
    return job.id


def _work(job: progress.Job, actor: Actor) -> dict[str, Any]:
    export = EXPORTS[str(job.state["export"])]
    job.save(phase="writing", percent=10)
    content = export.build(actor, dict(job.state["params"]))
    name = f"{export.file_stem}-{timezone.localdate():%Y%m%d}.xlsx"
    fd_path = job.dir / name
    fd_path.write_bytes(content)
    fd_path.chmod(0o600)  # the rows may hold personal data
    return {"file": name, "size": len(content)}


progress.register(JOB_KIND, _work)


def job_state(*, actor: Actor, job_id: str) -> dict[str, Any]:
    """The export job's state, for the user who started it only."""
    return progress.job_state(actor=actor, job_id=job_id, kind=JOB_KIND)


def job_retry(*, actor: Actor, job_id: str) -> None:
    progress.job_retry(actor=actor, job_id=job_id, kind=JOB_KIND)


_FILE_NAME = re.compile(r"^[a-z0-9-]+\.xlsx$")


def job_file(*, actor: Actor, job_id: str) -> tuple[Path, str]:
    """The finished export's workbook and its name, for the user who started it only."""
    name = str(job_state(actor=actor, job_id=job_id).get("file") or "")
    path = progress.job_dir(job_id) / name if _FILE_NAME.match(name) else None
    if path is None or not path.is_file():
        raise NotFound()
    return path, name
