"""志愿服务证明: issued only by a team holding confirmed records of the volunteer (谁记录谁证明),
frozen as a snapshot, verifiable by number, revocable."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Sum
from django.utils import timezone

from wushe.accounts.actor import signed_in
from wushe.accounts.scope import subtree_q
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.masking import mask_id_number, mask_name
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.people.models import Person
from wushe.regions.models import Region
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import Certificate, RecordStatus, ServiceRecord, Team, Volunteer

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

ITEMS_ON_CERTIFICATE = 60
# No 0/O, 1/I/L: a number read aloud over the phone must not be ambiguous.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_number(issued: dt.date) -> str:
    """ZYZM + year + 10 random characters: unique and not guessable, so verification by
    number cannot be used to enumerate certificates."""
    return f"ZYZM{issued.year}" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def records_of(volunteer: Volunteer, team: Team, start: dt.date, end: dt.date) -> Any:
    return (ServiceRecord.objects.unscoped(reason="children of a row read in scope")
            .filter(volunteer=volunteer, status=RecordStatus.CONFIRMED, superseded_by=None,
                    service_date__gte=start, service_date__lte=end)
            .filter(subtree_q("team_path", team.path)))


def certificate_snapshot(*, volunteer: Volunteer, team: Team, records: Any, number: str,
                         now: dt.datetime, period_start: dt.date, period_end: dt.date,
                         issued_by: str) -> dict[str, Any]:
    """What the certificate states, frozen: masked identity, period, hours, records, issuer."""
    totals = records.aggregate(hours=Sum("hours"), n=Count("pk"))
    person = Person.objects.unscoped(reason="service: scope.require checked the actor").get(pk=volunteer.person_id)
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


@service
def certificate_issue(*, actor: Actor, volunteer: Volunteer, team: Team, period_start: dt.date,
                      period_end: dt.date) -> Certificate:
    access.require(actor, access.CERTIFY, team)
    access.require(actor, access.VIEW, volunteer, view_perm=None)
    if period_end < period_start:
        raise ValidationFailed("截止日期须不早于起始日期", "The end date must not be before the start",
                               field="period_end")
    if period_end > timezone.localdate():
        raise ValidationFailed("证明期间不能晚于今天", "The period cannot end after today",
                               field="period_end")
    records = records_of(volunteer, team, period_start, period_end)
    totals = records.aggregate(hours=Sum("hours"), n=Count("pk"))
    if not totals["n"]:
        raise ValidationFailed(
            "本队伍在该期间没有这名志愿者已确认的服务记录,不能出具证明(谁记录谁证明)",
            "This team holds no confirmed record of the volunteer in that period, so it cannot "
            "certify it (the team that records is the team that certifies)",
            code="no_records", field="team")
    now = timezone.now()
    number = new_number(timezone.localdate())
    while Certificate.objects.unscoped(reason="uniqueness check, no row shown").filter(number=number).exists():
        number = new_number(timezone.localdate())
    snapshot = certificate_snapshot(
        volunteer=volunteer, team=team, records=records, number=number, now=now,
        period_start=period_start, period_end=period_end,
        issued_by=getattr(actor, "display_name", "") or getattr(actor, "username", ""))
    hours = Decimal(snapshot["hours"])
    certificate = Certificate.objects.create(
        number=number, volunteer=volunteer, team=team, team_path=team.path,
        region_path=team.region_path, period_start=period_start, period_end=period_end,
        hours=hours, records=snapshot["records"], snapshot=snapshot, issued_at=now,
        issued_by=actor)
    audit.record(actor=actor, action=VolunteerAction.CERTIFICATE_ISSUED, target=certificate,
                 label=number, data={"volunteer": volunteer.pk, "team": team.pk,
                                     "hours": str(hours), "records": snapshot["records"]})
    return certificate


@service
def certificate_revoke(*, actor: Actor, certificate: Certificate, reason: object) -> Certificate:
    access.require(actor, access.CERTIFY, certificate)
    if certificate.revoked_at is not None:
        raise Conflict("该证明已撤销", "This certificate has already been revoked",
                       code="already_revoked")
    certificate.revoke_reason = clean_text(reason, field="reason", label_zh="撤销原因",
                                           label_en="Reason", max_length=200, required=True)
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = signed_in(actor)
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(actor=actor, action=VolunteerAction.CERTIFICATE_REVOKED, target=certificate,
                 label=certificate.number, data={"reason": certificate.revoke_reason})
    return certificate


@service
def certificate_downloaded(*, actor: Actor, certificate: Certificate) -> None:
    """Downloading the PDF (it carries the masked identity) is recorded."""
    audit.record(actor=actor, action=VolunteerAction.CERTIFICATE_DOWNLOADED, target=certificate,
                 label=certificate.number)
