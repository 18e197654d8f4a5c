"""Annual report generation started from the page: a worker thread writes the three formats
and a small JSON state file that the page polls (htmx) for the progress bar.

State and files live under DATA_DIR/reports/<job id>/ (readable from any server process).
A job belongs to the user who started it: another user asking for it gets NotFound.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from wushe.core.errors import NotFound
from wushe.regions.models import Region

_CHARS = "abcdefghijkmnpqrstuvwxyz23456789"
ORDER = ("html", "pdf", "docx")


def jobs_dir() -> Path:
    path = Path(settings.DATA_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _dir(job_id: str) -> Path:
    if not job_id.isalnum() or len(job_id) != 20:
        raise NotFound()
    return jobs_dir() / job_id


def _write(job_id: str, state: dict[str, Any]) -> None:
    state["updated"] = time.time()
    path = _dir(job_id) / "state.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


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


def _in_thread(work: Callable[[], None]) -> None:
    """Run ``work`` in a daemon thread with its own database connection."""

    def main() -> None:
        close_old_connections()
        try:
            work()
        finally:
            connection.close()

    threading.Thread(target=main, daemon=True).start()


# How a job runs; tests swap in ``lambda work: work()`` to run it inline.
SPAWN: Callable[[Callable[[], None]], None] = _in_thread


def job_start(*, actor: Any, region: Region, year: int, lang: str) -> str:
    job_id = "".join(secrets.choice(_CHARS) for _ in range(20))
    _dir(job_id).mkdir(parents=True)
    state: dict[str, Any] = {"id": job_id, "user": actor.pk, "status": "running", "percent": 0,
                             "phase": "start", "region": region.code, "region_name": region.name,
                             "year": year, "lang": lang, "files": {}, "error": None}
    _write(job_id, state)

    def run() -> None:
        def progress(percent: int, phase: str) -> None:
            state.update(percent=percent, phase=phase)
            _write(job_id, state)

        try:
            from wushe.core.scoping import scopes_disabled

            with scopes_disabled():  # the region was checked against the actor's scope
                state["files"] = generate(region, year, lang, _dir(job_id), progress)
            state["status"] = "done"
        except Exception as exc:  # reported on the page, not lost in a thread  # noqa: BLE001
            state["status"] = "failed"
            state["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            _write(job_id, state)

    SPAWN(run)
    return job_id


def job_state(*, actor: Any, job_id: str) -> dict[str, Any]:
    try:
        state = json.loads((_dir(job_id) / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotFound() from exc
    if state.get("user") != actor.pk:
        raise NotFound()
    return dict(state)


def job_file(*, actor: Any, job_id: str, fmt: str) -> tuple[Path, str]:
    state = job_state(actor=actor, job_id=job_id)
    name = state.get("files", {}).get(fmt)
    if not name:
        raise NotFound()
    return _dir(job_id) / name, name
