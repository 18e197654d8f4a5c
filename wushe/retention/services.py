"""The retention job and an erasure on request: one path for both (registry.py's kinds).

``run.retention_run`` anonymises every row past its period, kind by kind, batch by batch
(``kind_anonymise_batch``), then the persons nothing of whom is kept any more
(``persons_anonymise_batch``); ``person_erase`` takes what may go of one person at once and says,
in both languages, what the law makes it keep. Both audit in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.errors import Conflict
from wushe.core.services import service
from wushe.retention.links import PERSON_KIND, kept_links, person_model
from wushe.retention.models import Anonymisation, Reason
from wushe.retention.registry import ANON_NAME, KINDS, RecordKind, scrub

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

BATCH = 500


def _anonymise_rows(kind: RecordKind, rows: list[Any], reason: str) -> list[int]:
    """Anonymise ``rows`` of ``kind`` and mark them done; the persons they belonged to."""
    persons = []
    marks = []
    for row in rows:
        person_id = kind.person_of(row)
        kind.anonymise(row)
        marks.append(Anonymisation(kind=kind.key, object_id=row.pk, person_id=person_id,
                                   reason=reason))
        if person_id:
            persons.append(person_id)
    Anonymisation.objects.bulk_create(marks, ignore_conflicts=True)
    return persons


def _person_anonymise(person: Any) -> None:
    scrub(person, "name", "id_number", "phone", "address", "birth_date",
          placeholder={"name": ANON_NAME})


@service
def kind_anonymise_batch(*, kind: RecordKind, now: dt.datetime) -> int:
    """One batch (its own transaction) of ``kind``'s rows past their period; how many."""
    rows = list(kind.due(now).order_by("pk")[:BATCH])
    if rows:
        _anonymise_rows(kind, rows, Reason.PERIOD)
        audit.record(actor=None, action=Action.RECORDS_ANONYMISED, region_path="",
                     data={"kind": kind.key, "count": len(rows), "ids": [row.pk for row in rows]})
    return len(rows)


@service
def persons_anonymise_batch(*, ids: list[int]) -> None:
    """One batch of persons nothing of whom is kept any more (``links.persons_due``)."""
    batch = list(person_model().objects.unscoped(reason="retention: scrubs the whole district").filter(pk__in=ids))
    for person in batch:
        _person_anonymise(person)
    Anonymisation.objects.bulk_create(
        [Anonymisation(kind=PERSON_KIND, object_id=p.pk, person_id=p.pk,
                       reason=Reason.PERIOD) for p in batch], ignore_conflicts=True)
    audit.record(actor=None, action=Action.RECORDS_ANONYMISED, region_path="",
                 data={"kind": PERSON_KIND, "count": len(batch), "ids": [p.pk for p in batch]})


class ErasureLimited(Conflict):
    """Part of a person's data must be kept by law: the rest was anonymised."""

    code = "erasure_limited"


@dataclass
class ErasureOutcome:
    anonymised: dict[str, int] = field(default_factory=dict)
    person_anonymised: bool = False
    refusals: list[ErasureLimited] = field(default_factory=list)


@service
def person_erase(*, actor: Actor, person: Any, now: dt.datetime | None = None) -> ErasureOutcome:
    """Erase one person on request (PIPL Art. 47), where the law allows: every ended record of
    theirs is anonymised now, whatever its period; the person's own row too, unless a record
    held for a legal period (a donation receipt) or one still in use keeps them."""
    scope.require(actor, "rules.manage", person, view_perm="people.view")
    now = now or timezone.now()
    outcome = ErasureOutcome()
    for kind in KINDS.values():
        rows = list(kind.of_person(person).exclude(pk__in=kind.done_ids()))
        _anonymise_rows(kind, rows, Reason.REQUEST)
        if rows:
            outcome.anonymised[kind.key] = len(rows)
        if kind.holds is not None and kind.holds(person, now).exists():
            outcome.refusals.append(ErasureLimited(kind.reason_zh, kind.reason_en))
    if not outcome.refusals and person.pk in kept_links({person.pk}):
        outcome.refusals.append(ErasureLimited(
            "此人仍有进行中的事项(未办结的诉求、在册的关爱档案、志愿者或工作人员身份等),"
            "办结或注销后方可删除;已结束的记录已匿名化",
            "This person still has records in use (an open need, an active care profile, a "
            "volunteer or worker record …); they can be erased once those end. The ended "
            "records have been anonymised"))
    if not outcome.refusals and not Anonymisation.objects.filter(
            kind=PERSON_KIND, object_id=person.pk).exists():
        _person_anonymise(person)
        Anonymisation.objects.create(kind=PERSON_KIND, object_id=person.pk, person_id=person.pk,
                                     reason=Reason.REQUEST)
        outcome.person_anonymised = True
    audit.record(actor=actor, action=Action.PERSON_ERASED, target=person, label="",
                 data={"anonymised": outcome.anonymised,
                       "person_anonymised": outcome.person_anonymised,
                       "refused": [r.code for r in outcome.refusals]})
    return outcome
