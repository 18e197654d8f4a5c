"""The retention run (the daily job and ``wushe retention``): every kind's rows past their
period, batch after batch, each batch its own audited transaction so a long run never holds the
database; then the persons nothing of whom is kept any more. Safe to run twice (the second run
finds none)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wushe.retention import services
from wushe.retention.links import PERSON_KIND, persons_due
from wushe.retention.registry import KINDS


def retention_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise everything past its period; how many of each kind."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for kind in KINDS.values():
        done = 0
        while n := services.kind_anonymise_batch(kind=kind, now=now):
            done += n
        counts[kind.key] = done
    due = sorted(persons_due())
    for start in range(0, len(due), services.BATCH):
        services.persons_anonymise_batch(ids=due[start:start + services.BATCH])
    counts[PERSON_KIND] = len(due)
    return counts
