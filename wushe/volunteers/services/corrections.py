"""A volunteer asks for a confirmed record to be corrected; the team's leader decides.

Accepting writes the correction (a new record naming the original and the reason) and confirms
it in the same act, since the one deciding is the one who confirms; the totals move by the
difference. Rejecting keeps the record and tells the volunteer why.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import (
    Activity,
    CorrectionRequest,
    CorrectionStatus,
    ServiceRecord,
    Team,
    Volunteer,
)
from wushe.volunteers.services._common import clean_hours
from wushe.volunteers.services._records import check_correctable, create_record
from wushe.volunteers.services.records import records_confirm

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def correction_request(*, actor: Actor, record: ServiceRecord, proposed_hours: object,
                       reason: object) -> CorrectionRequest:
    """By the volunteer about its own record (or by staff who manage the record)."""
    own = access.own_volunteer_id(actor) == record.volunteer_id
    if not own:
        access.require(actor, access.MANAGE, record)
    check_correctable(record)
    if CorrectionRequest.objects.unscoped(reason="uniqueness check, no row shown").filter(record=record,
                                                   status=CorrectionStatus.OPEN).exists():
        raise Conflict("该记录已有待处理的更正申请", "A correction request for this record is already "
                       "open", code="request_open")
    hours = clean_hours(proposed_hours, field="proposed_hours")
    why = clean_text(reason, field="reason", label_zh="申请理由", label_en="Reason",
                     max_length=300, required=True)
    request = CorrectionRequest.objects.create(
        record=record, volunteer_id=record.volunteer_id, team_path=record.team_path,
        region_path=record.region_path, proposed_hours=hours, reason=why, requested_by=signed_in(actor))
    audit.record(actor=actor, action=VolunteerAction.CORRECTION_REQUESTED, target=request,
                 data={"record": record.pk, "hours": str(record.hours), "proposed": str(hours)})
    return request


@service
def correction_decide(*, actor: Actor, request: CorrectionRequest, accept: bool, note: object,
                      hours: object = None) -> CorrectionRequest:
    record = ServiceRecord.objects.unscoped(reason="service: scope.require checked the actor").get(pk=request.record_id)
    access.require(actor, access.CONFIRM, record)
    if request.status != CorrectionStatus.OPEN:
        raise Conflict("该申请已处理", "This request has already been decided",
                       code="already_decided")
    request.decision_note = clean_text(note, field="note", label_zh="处理意见",
                                       label_en="Decision", max_length=300, required=not accept)
    if accept:
        check_correctable(record)
        amount = clean_hours(request.proposed_hours if hours in (None, "") else hours)
        # More hours than the original interval: the interval grows with them.
        ended = record.ended_at
        if record.started_at + dt.timedelta(hours=float(amount)) > ended:
            ended = record.started_at + dt.timedelta(hours=float(amount))
        correction = create_record(
            actor=actor, volunteer=Volunteer.objects.unscoped(reason="service: scope.require checked the actor").get(pk=record.volunteer_id),
            team=Team.objects.unscoped(reason="service: scope.require checked the actor").get(pk=record.team_id), started_at=record.started_at,
            ended_at=ended, hours=amount, content=record.content,
            activity=Activity.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=record.activity_id).first(),
            corrects=record, reason=f"{request.reason}"[:200])
        records_confirm(actor=actor, records=[correction])
        request.correction = correction
        request.status = CorrectionStatus.ACCEPTED
    else:
        request.status = CorrectionStatus.REJECTED
    request.decided_by = signed_in(actor)
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decision_note", "decided_by", "decided_at",
                                "correction", "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.CORRECTION_DECIDED, target=request,
                 data={"record": record.pk, "accepted": accept,
                       "correction": request.correction_id})
    return request

