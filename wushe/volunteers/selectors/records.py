"""Reads of service records, the confirmation queue and correction requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.volunteers import access
from wushe.volunteers.models import (
    CorrectionRequest,
    CorrectionStatus,
    RecordStatus,
    ServiceRecord,
    Team,
    Volunteer,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@dataclass(frozen=True)
class RecordFilters:
    status: str = ""
    team: Team | None = None
    volunteer: Volunteer | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    effective: bool = False  # only what counts: confirmed, not superseded

    def apply(self, qs: QuerySet[ServiceRecord]) -> QuerySet[ServiceRecord]:
        if self.status:
            qs = qs.filter(status=self.status)
        if self.team is not None:
            qs = qs.filter(scope.subtree_q("team_path", self.team.path))
        if self.volunteer is not None:
            qs = qs.filter(volunteer=self.volunteer)
        if self.start:
            qs = qs.filter(service_date__gte=self.start)
        if self.end:
            qs = qs.filter(service_date__lte=self.end)
        if self.effective:
            qs = qs.filter(status=RecordStatus.CONFIRMED, superseded_by=None)
        return qs


def record_list(*, actor: Actor, filters: RecordFilters | None = None,
                perm: str = access.VIEW) -> QuerySet[ServiceRecord]:
    qs = access.visible(ServiceRecord.objects, actor, perm, self_field="volunteer_id")
    return ((filters or RecordFilters()).apply(qs)
            .select_related("volunteer", "volunteer__person", "team", "activity")
            .order_by("-started_at", "-id"))


def record_get(*, actor: Actor, record_id: int) -> ServiceRecord:
    found = access.visible(
        ServiceRecord.objects.select_related("volunteer", "volunteer__person", "team",
                                             "activity", "corrects", "superseded_by"),
        actor, access.VIEW, self_field="volunteer_id").filter(pk=record_id).first()
    if found is None:
        raise NotFound()
    return found


def confirmation_queue(*, actor: Actor, team: Team | None = None) -> QuerySet[ServiceRecord]:
    """Pending records the actor may confirm (its team subtree or its region), oldest first."""
    qs = access.visible(ServiceRecord.objects, actor, access.CONFIRM).filter(
        status=RecordStatus.PENDING)
    if team is not None:
        qs = qs.filter(scope.subtree_q("team_path", team.path))
    return (qs.select_related("volunteer", "volunteer__person", "team", "activity", "corrects")
            .order_by("started_at", "id"))


def correction_requests(*, actor: Actor, status: str = CorrectionStatus.OPEN
                        ) -> QuerySet[CorrectionRequest]:
    qs = access.visible(CorrectionRequest.objects, actor, access.CONFIRM)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("record", "volunteer", "volunteer__person", "record__team") \
        .order_by("created_at", "id")


def correction_request_get(*, actor: Actor, request_id: int) -> CorrectionRequest:
    found = access.visible(CorrectionRequest.objects.select_related("record", "volunteer"), actor,
                           access.VIEW, self_field="volunteer_id").filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    return found


def my_correction_requests(*, actor: Actor) -> QuerySet[CorrectionRequest]:
    own = access.own_volunteer_id(actor)
    if own is None:
        return CorrectionRequest.objects.unscoped(reason="none(): reads no row").none()
    return (CorrectionRequest.objects.mark_scoped().filter(volunteer_id=own)
            .select_related("record", "correction").order_by("-created_at"))
