"""The background tasks (django.tasks), run by ``wushe worker``.

Two tasks carry all of wushe's background work:

- ``run_job(job_id)``: long work started from a page (an import, the annual report, a large
  export); what it does is named by the job's kind (core/progress.py registers the kinds).
- ``run_periodic(name, lease)``: one periodic job (SLA reminders, escalation, rollups …),
  enqueued by ``wushe scheduler`` under a database lease so that it runs once however many
  schedulers there are (core/jobs.py).

Arguments are plain strings: a task's arguments are stored in the queue (the database or
Redis), and personal data must never be (the job's own state holds what the work needs).
"""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def run_job(job_id: str) -> None:
    from wushe.core.progress import job_execute

    job_execute(job_id)


@task()
def run_periodic(name: str, lease: str) -> dict[str, Any]:
    from wushe.core.jobs import run_leased

    return run_leased(name, lease)
