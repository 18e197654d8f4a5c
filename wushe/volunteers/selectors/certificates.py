"""Reads of certificates (scoped, and the public verification by number) and pairings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum

from wushe.accounts.scope import subtree_q
from wushe.core.errors import NotFound
from wushe.core.ids import identifier_text
from wushe.core.masking import mask_id_number, mask_name
from wushe.people.models import Person
from wushe.regions.models import Region
from wushe.volunteers import access
from wushe.volunteers.models import (
    Certificate,
    Pairing,
    PairingStatus,
    RecordStatus,
    ServiceRecord,
    Team,
    VisitLog,
    Volunteer,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

ITEMS_ON_CERTIFICATE = 60


def certificate_list(*, actor: Actor, volunteer: Volunteer | None = None
                     ) -> QuerySet[Certificate]:
    qs = access.visible(Certificate.objects, actor, access.VIEW, self_field="volunteer_id")
    if volunteer is not None:
        qs = qs.filter(volunteer=volunteer)
    return qs.select_related("team", "volunteer").order_by("-issued_at", "-id")


def certificate_get(*, actor: Actor, certificate_id: int) -> Certificate:
    found = access.visible(Certificate.objects.select_related("team", "volunteer"), actor,
                           access.VIEW, self_field="volunteer_id") \
        .filter(pk=certificate_id).first()
    if found is None:
        raise NotFound()
    return found


def certificate_verify(*, number: str) -> Certificate:
    """Public: by number only; what is shown is the masked snapshot and the validity."""
    clean = identifier_text(number, what_zh="证明编号", what_en="certificate number",
                            field="number").upper()
    if not clean or len(clean) > 32:
        raise NotFound("证明编号不存在", "No certificate has this number")
    found = Certificate.objects.unscoped(reason="public: a certificate verified by its number").filter(number=clean).first()
    if found is None:
        raise NotFound("证明编号不存在", "No certificate has this number")
    return found


def pairing_list(*, actor: Actor, status: str = PairingStatus.ACTIVE) -> QuerySet[Pairing]:
    qs = access.visible(Pairing.objects, actor, access.VIEW, self_field="volunteer_id")
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("team", "volunteer", "volunteer__person", "person", "region") \
        .order_by("-started_on", "-id")


def pairing_get(*, actor: Actor, pairing_id: int) -> Pairing:
    found = access.visible(
        Pairing.objects.select_related("team", "volunteer", "volunteer__person", "person",
                                       "region"),
        actor, access.VIEW, self_field="volunteer_id").filter(pk=pairing_id).first()
    if found is None:
        raise NotFound()
    return found


def visit_logs(*, actor: Actor, pairing: Pairing) -> QuerySet[VisitLog]:
    return (access.visible(VisitLog.objects, actor, access.VIEW).filter(pairing=pairing)
            | VisitLog.objects.mark_scoped().filter(pairing=pairing,
                                                 pairing__volunteer_id=access.own_volunteer_id(
                                                     actor) or 0)
            ).select_related("visitor", "visitor__person").order_by("-visited_on", "-id")


def certificate_records(volunteer: Volunteer, team: Team, start: dt.date, end: dt.date) -> Any:
    """The volunteer's confirmed, current records of the team's subtree in the period."""
    return (ServiceRecord.objects.unscoped(reason="children of a row read in scope")
            .filter(volunteer=volunteer, status=RecordStatus.CONFIRMED, superseded_by=None,
                    service_date__gte=start, service_date__lte=end)
            .filter(subtree_q("team_path", team.path)))


def certificate_snapshot(*, volunteer: Volunteer, team: Team, records: Any, number: str,
                         now: dt.datetime, period_start: dt.date, period_end: dt.date,
                         issued_by: str) -> dict[str, Any]:
    """What the certificate states, frozen: masked identity, period, hours, records, issuer."""
    totals = records.aggregate(hours=Sum("hours"), n=Count("pk"))
    person = Person.objects.unscoped(reason="children of a row read in scope").get(pk=volunteer.person_id)
    region = Region.objects.unscoped(reason="reference: the region tree").get(pk=team.region_id)
    items = [{"date": r.service_date.isoformat(), "content": r.content,
              "activity": r.activity.title if r.activity else "", "hours": str(r.hours)}
             for r in records.select_related("activity").order_by("started_at")
             [:ITEMS_ON_CERTIFICATE]]
    return {
        "number": number, "name": mask_name(person.name),
        "id_number": mask_id_number(person.id_number), "volunteer_number": volunteer.number,
        "period_start": period_start.isoformat(), "period_end": period_end.isoformat(),
        "hours": str(Decimal(totals["hours"] or 0).quantize(Decimal("0.01"))),
        "records": totals["n"], "items": items,
        "items_truncated": totals["n"] > len(items), "issuer": team.name,
        "issuer_brand": team.brand, "issuer_code": team.path, "issuer_region": region.name,
        "issued_at": now.isoformat(), "issued_by": issued_by,
    }
