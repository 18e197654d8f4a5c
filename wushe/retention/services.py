"""The retention job and an erasure on request: one path for both (registry.py's kinds).

``retention_run`` anonymises every row past its period, kind by kind, then the persons nothing
of whom is kept any more; ``person_erase`` takes what may go of one person at once and says,
in both languages, what the law makes it keep. Both audit in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.errors import Conflict
from wushe.retention.models import Anonymisation, Reason
from wushe.retention.registry import ANON_NAME, KINDS, RecordKind, scrub, unscoped

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

PERSON_KIND = "people.person"
BATCH = 500
# Records that stay tied to the anonymised person without naming them (the consent given).
NON_BLOCKING = {"people.consent"}


def _person_model() -> Any:
    from wushe.people.models import Person

    return Person


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


def _kept_links(person_ids: set[int]) -> set[int]:
    """Of ``person_ids``, those still referenced by a record that is not anonymised: an open
    need, an active care profile, a volunteer, a donor, a worker … (every relation to Person,
    so a new app's link keeps the person until its own kind says otherwise)."""
    Person = _person_model()
    kind_of_model = {kind.model(): kind for kind in KINDS.values()}
    kept: set[int] = set()
    ids = list(person_ids)
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        model: type[models.Model] = rel.related_model  # type: ignore[assignment]
        if model._meta.label_lower in NON_BLOCKING or model is Person:
            continue
        fk = rel.field.attname  # type: ignore[union-attr]
        qs = unscoped(model._base_manager.filter(**{f"{fk}__in": ids}))
        kind = kind_of_model.get(model)
        if kind is not None:
            qs = qs.exclude(pk__in=kind.done_ids())
        kept |= set(qs.values_list(fk, flat=True))
    return kept


def _person_anonymise(person: Any) -> None:
    scrub(person, "name", "id_number", "phone", "address", "birth_date",
          placeholder={"name": ANON_NAME})


def persons_due(candidates: set[int] | None = None) -> set[int]:
    """Persons with an anonymised record, none kept any more, not yet anonymised themselves."""
    if candidates is None:
        candidates = {pk for pk in Anonymisation.objects.exclude(kind=PERSON_KIND)
                      .filter(person_id__isnull=False)
                      .values_list("person_id", flat=True).distinct() if pk is not None}
    candidates -= set(Anonymisation.objects.filter(kind=PERSON_KIND, object_id__in=candidates)
                      .values_list("object_id", flat=True))
    return candidates - _kept_links(candidates) if candidates else set()


def retention_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Anonymise everything past its period; safe to run twice (the second run finds none)."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for kind in KINDS.values():
        done = 0
        while True:
            with transaction.atomic():
                rows = list(kind.due(now).order_by("pk")[:BATCH])
                if not rows:
                    break
                _anonymise_rows(kind, rows, Reason.PERIOD)
                audit.record(actor=None, action=Action.RECORDS_ANONYMISED, region_path="",
                             data={"kind": kind.key, "count": len(rows),
                                   "ids": [row.pk for row in rows]})
            done += len(rows)
        counts[kind.key] = done
    Person = _person_model()
    due = sorted(persons_due())
    for start in range(0, len(due), BATCH):
        with transaction.atomic():
            batch = list(Person.objects.unscoped(reason="retention: scrubs the whole district").filter(pk__in=due[start:start + BATCH]))
            for person in batch:
                _person_anonymise(person)
            Anonymisation.objects.bulk_create(
                [Anonymisation(kind=PERSON_KIND, object_id=p.pk, person_id=p.pk,
                               reason=Reason.PERIOD) for p in batch], ignore_conflicts=True)
            audit.record(actor=None, action=Action.RECORDS_ANONYMISED, region_path="",
                         data={"kind": PERSON_KIND, "count": len(batch),
                               "ids": [p.pk for p in batch]})
    counts[PERSON_KIND] = len(due)
    return counts


class ErasureLimited(Conflict):
    """Part of a person's data must be kept by law: the rest was anonymised."""

    code = "erasure_limited"


@dataclass
class ErasureOutcome:
    anonymised: dict[str, int] = field(default_factory=dict)
    person_anonymised: bool = False
    refusals: list[ErasureLimited] = field(default_factory=list)


@transaction.atomic
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
    if not outcome.refusals and person.pk in _kept_links({person.pk}):
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
