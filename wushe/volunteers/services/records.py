"""Service hours: record (谁组织谁记录), confirm, reject, correct; the incremental rollup.

Rules every record obeys: hours are a Decimal > 0 and at most the length of the interval and
at most 24; one volunteer's live records never overlap in time and never add up to more than
24 hours on one day. "Live" means pending or confirmed and not superseded by a correction.

Confirming adds the hours to the volunteer and to the recording team and every team above it,
in one UPDATE each, so any total is a single-row read afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, IllegalTransition
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import (
    Activity,
    RecordStatus,
    ServiceRecord,
    Team,
    Volunteer,
    ancestor_paths,
)
from wushe.volunteers.services._records import check_correctable, create_record

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

@service
def record_create(*, actor: Actor, volunteer: Volunteer, team: Team, started_at: dt.datetime,
                  ended_at: dt.datetime, hours: object, content: object,
                  activity: Activity | None = None) -> ServiceRecord:
    access.require(actor, access.MANAGE, team)
    return create_record(actor=actor, volunteer=volunteer, team=team, started_at=started_at,
                         ended_at=ended_at, hours=hours, content=content, activity=activity)


def _rollup(deltas: Iterable[tuple[ServiceRecord, Decimal, int]]) -> None:
    """Add confirmed hours to volunteers and to every team up the tree: one UPDATE per row set."""
    by_volunteer: dict[int, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    by_team: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    for record, hours, count in deltas:
        by_volunteer[record.volunteer_id][0] += hours
        by_volunteer[record.volunteer_id][1] += count
        for path in ancestor_paths(record.team_path):
            by_team[path][0] += hours
            by_team[path][1] += count
    for volunteer_id, (hours, count) in by_volunteer.items():
        Volunteer.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=volunteer_id).update(
            hours_confirmed=F("hours_confirmed") + hours,
            records_confirmed=F("records_confirmed") + count)
    # Teams with the same delta move together (the usual case: one record, its ancestors).
    grouped: dict[tuple[Decimal, int], list[str]] = defaultdict(list)
    for path, (hours, count) in by_team.items():
        grouped[(hours, count)].append(path)
    for (hours, count), paths in grouped.items():
        Team.objects.unscoped(reason="service: scope.require checked the actor").filter(path__in=paths).update(
            hours_confirmed=F("hours_confirmed") + hours,
            records_confirmed=F("records_confirmed") + count)


@service
def records_confirm(*, actor: Actor, records: list[ServiceRecord]) -> list[ServiceRecord]:
    """Confirm pending records (the leader's queue); all or none."""
    now = timezone.now()
    deltas: list[tuple[ServiceRecord, Decimal, int]] = []
    done = []
    ids = [r.pk for r in records]
    locked = {r.pk: r for r in ServiceRecord.objects.unscoped(reason="service: scope.require checked the actor").select_for_update(of=("self",))
              .filter(pk__in=ids).select_related("corrects")}
    for record_id in ids:
        record = locked.get(record_id)
        if record is None:
            continue
        access.require(actor, access.CONFIRM, record)
        if record.status != RecordStatus.PENDING:
            raise IllegalTransition("只有待确认的记录可以确认", "Only a record awaiting confirmation "
                                    "can be confirmed", code="not_pending")
        hours, count = record.hours, 1
        original = record.corrects
        if original is not None:
            if original.status != RecordStatus.CONFIRMED or original.superseded_by_id is not None:
                raise Conflict("被更正的记录已被其他更正取代", "The corrected record has already been "
                               "superseded", code="already_superseded")
            hours, count = record.hours - original.hours, 0
        ServiceRecord.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=record.pk, status=RecordStatus.PENDING).update(
            status=RecordStatus.CONFIRMED, decided_by=actor, decided_at=now)
        if original is not None:
            ServiceRecord.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=original.pk).update(superseded_by=record)
        record.status, record.decided_by, record.decided_at = RecordStatus.CONFIRMED, signed_in(actor), now
        deltas.append((record, hours, count))
        audit.record(actor=actor, action=VolunteerAction.RECORD_CONFIRMED, target=record,
                     data={"volunteer": record.volunteer_id, "team": record.team_id,
                           "hours": str(record.hours), "delta": str(hours),
                           "supersedes": original.pk if original else None})
        done.append(record)
    _rollup(deltas)
    for given in records:  # the caller's objects reflect the new state too
        if given.pk in locked and locked[given.pk].status == RecordStatus.CONFIRMED:
            given.status, given.decided_by, given.decided_at = RecordStatus.CONFIRMED, signed_in(actor), now
    return done


@service
def record_reject(*, actor: Actor, record: ServiceRecord, reason: object) -> ServiceRecord:
    access.require(actor, access.CONFIRM, record)
    if record.status != RecordStatus.PENDING:
        raise IllegalTransition("只有待确认的记录可以退回", "Only a record awaiting confirmation can "
                                "be rejected", code="not_pending")
    record.reject_reason = clean_text(reason, field="reason", label_zh="退回原因",
                                      label_en="Reason", max_length=200, required=True)
    record.status = RecordStatus.REJECTED
    record.decided_by = signed_in(actor)
    record.decided_at = timezone.now()
    record.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
    audit.record(actor=actor, action=VolunteerAction.RECORD_REJECTED, target=record,
                 data={"volunteer": record.volunteer_id, "reason": record.reject_reason})
    return record


@service
def record_correct(*, actor: Actor, record: ServiceRecord, hours: object, reason: object,
                   started_at: dt.datetime | None = None, ended_at: dt.datetime | None = None,
                   content: object = None) -> ServiceRecord:
    """A correction is a new record naming the one it corrects and why (pending until confirmed)."""
    access.require(actor, access.MANAGE, record)
    check_correctable(record)
    why = clean_text(reason, field="reason", label_zh="更正原因", label_en="Reason for the "
                     "correction", max_length=200, required=True)
    team = Team.objects.unscoped(reason="service: scope.require checked the actor").get(pk=record.team_id)
    volunteer = Volunteer.objects.unscoped(reason="service: scope.require checked the actor").get(pk=record.volunteer_id)
    activity = (Activity.objects.unscoped(reason="service: scope.require checked the actor")
                .filter(pk=record.activity_id).first() if record.activity_id is not None else None)
    return create_record(
        actor=actor, volunteer=volunteer, team=team, started_at=started_at or record.started_at,
        ended_at=ended_at or record.ended_at, hours=hours,
        content=record.content if content in (None, "") else content, activity=activity,
        corrects=record, reason=why)

