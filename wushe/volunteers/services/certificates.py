"""志愿服务证明: issued only by a team holding confirmed records of the volunteer (谁记录谁证明),
frozen as a snapshot, verifiable by number, revocable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Sum
from django.utils import timezone

from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import Certificate, Team, Volunteer
from wushe.volunteers.numbers import certificate_number
from wushe.volunteers.selectors.certificates import certificate_records, certificate_snapshot

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

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
    records = certificate_records(volunteer, team, period_start, period_end)
    totals = records.aggregate(hours=Sum("hours"), n=Count("pk"))
    if not totals["n"]:
        raise ValidationFailed(
            "本队伍在该期间没有这名志愿者已确认的服务记录,不能出具证明(谁记录谁证明)",
            "This team holds no confirmed record of the volunteer in that period, so it cannot "
            "certify it (the team that records is the team that certifies)",
            code="no_records", field="team")
    now = timezone.now()
    number = certificate_number(timezone.localdate())
    while Certificate.objects.unscoped(reason="uniqueness check, no row shown").filter(number=number).exists():
        number = certificate_number(timezone.localdate())
    snapshot = certificate_snapshot(
        volunteer=volunteer, team=team, records=records, number=number, now=now,
        period_start=period_start, period_end=period_end,
        issued_by=getattr(actor, "display_name", "") or getattr(actor, "username", ""))
    hours = Decimal(snapshot["hours"])
    certificate = Certificate.objects.create(
        number=number, volunteer=volunteer, team=team, team_path=team.path,
        region_path=team.region_path, period_start=period_start, period_end=period_end,
        hours=hours, records=snapshot["records"], snapshot=snapshot, issued_at=now,
        issued_by=signed_in(actor))
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
