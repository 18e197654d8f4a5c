"""Public self-registration (no account) and its approval by a team leader or community staff.

The public page writes only a ``VolunteerApplication``: the personal data it carries is
encrypted at rest, and nothing enters the Person register until someone responsible for the
chosen team or community approves it. Submissions are rate-limited per client address (kept
only as an HMAC) and one pending application per ID number is allowed.

The answer never says whether an ID number already has a pending application: a repeat gets the
same status and body as a first submission (a fresh reference, status pending), writes no second
application, and is recorded as an audit event on the pending one; it counts against the rate
limit like a new one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.audit.models import AuditEvent
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, ValidationFailed, WusheError
from wushe.core.ids import normalize_id_number, normalize_phone
from wushe.core.services import service
from wushe.core.text import clean_person_name, clean_text
from wushe.regions.models import Region
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.guardians import GuardianSpec
from wushe.volunteers.models import ApplicationStatus, Team, TeamLevel, VolunteerApplication
from wushe.volunteers.ratelimit import client_hash
from wushe.volunteers.services._persons import needs_guardian
from wushe.volunteers.services._register import (
    Registration,
    check_community,
    clean_profile,
    register,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# Submissions allowed per client address per hour (setting WUSHE_VOLUNTEER_SIGNUPS_PER_HOUR).
DEFAULT_PER_HOUR = 5
_REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class TooManyRequests(WusheError):
    status = 429
    code = "rate_limited"


def _per_hour() -> int:
    return int(getattr(settings, "WUSHE_VOLUNTEER_SIGNUPS_PER_HOUR", DEFAULT_PER_HOUR))


def _reference() -> str:
    return "ZS" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(10))


@service
def application_submit(
    *, region: Region, team: Team | None, name: object, id_number: object, phone: object,
    skills: object = "", interests: object = "", availability: object = "",
    consent: bool = False, guardian: GuardianSpec | None = None, client_ip: str | None = None,
) -> VolunteerApplication:
    digest = client_hash(client_ip)
    since = timezone.now() - dt.timedelta(hours=1)
    submitted = VolunteerApplication.objects.unscoped(reason="rate limit: a count, no row shown").filter(
        client_hash=digest, created_at__gte=since).count()
    repeated = AuditEvent.objects.unscoped(reason="rate limit: a count, no row shown").filter(
        action=VolunteerAction.APPLICATION_REPEATED.value, at__gte=since,
        data__client=digest).count()
    if submitted + repeated >= _per_hour():
        raise TooManyRequests("提交过于频繁,请一小时后再试",
                              "Too many registrations from this device; try again in an hour")
    if not consent:
        raise ValidationFailed("请阅读并同意个人信息处理规则", "Please read and accept how your "
                               "personal data will be used", code="consent_required",
                               field="consent")
    check_community(region, "")
    if team is not None and (not team.active or team.level == TeamLevel.CORPS
                             or team.region_path[:6] != region.path[:6]):
        raise ValidationFailed("请选择本区的志愿服务队", "Choose a volunteer team of this district",
                               field="team")
    clean_name = clean_person_name(name)
    idn = normalize_id_number(id_number)
    if phone in (None, ""):
        raise ValidationFailed("请填写手机号", "The phone number is required", code="required",
                               field="phone")
    tel = normalize_phone(phone)
    bidx = blind_index(idn)
    profile = clean_profile(skills, interests, availability)
    g: dict[str, str] = {}
    if needs_guardian(idn):
        if guardian is None or not guardian.name:
            raise ValidationFailed("不满14周岁须由监护人同意并填写监护人信息",
                                   "Under 14: a guardian must consent and give their details",
                                   code="guardian_required", field="guardian_name")
        g = {"guardian_name": clean_person_name(guardian.name, field="guardian_name"),
             "guardian_id_number": normalize_id_number(guardian.id_number),
             "guardian_phone": normalize_phone(guardian.phone) if guardian.phone else "",
             "guardian_relation": clean_text(guardian.relation, field="guardian_relation",
                                             label_zh="监护关系", label_en="Guardian relation",
                                             max_length=20, required=True)}
    pending = (VolunteerApplication.objects.unscoped(reason="uniqueness check, no row shown").select_for_update()
               .filter(id_number_bidx=bidx, status=ApplicationStatus.PENDING).first())
    if pending is not None:
        return _repeated(pending, digest)
    application = VolunteerApplication.objects.create(
        reference=_reference(), name=clean_name, id_number=idn, id_number_bidx=bidx, phone=tel,
        region=region, region_path=region.path, team=team, team_path=team.path if team else "",
        consented_at=timezone.now(), client_hash=digest, **profile, **g)
    audit.record(actor=None, action=VolunteerAction.APPLICATION_SUBMITTED, target=application,
                 label=application.masked_name,
                 data={"reference": application.reference, "team": team.pk if team else None})
    return application


def _repeated(pending: VolunteerApplication, digest: str) -> VolunteerApplication:
    """Answer a repeat like a first submission: an unsaved application with a fresh reference,
    status pending. The pending one is untouched; the repeat is an audit event on it."""
    answer = VolunteerApplication(reference=_reference(), status=ApplicationStatus.PENDING)
    audit.record(actor=None, action=VolunteerAction.APPLICATION_REPEATED, target=pending,
                 label=pending.masked_name,
                 data={"reference": answer.reference, "client": digest})
    return answer


@service
def application_approve(*, actor: Actor, application: VolunteerApplication,
                        team: Team | None = None) -> VolunteerApplication:
    access.require(actor, access.MANAGE, application)
    if application.status != ApplicationStatus.PENDING:
        raise Conflict("该申请已处理", "This application has already been decided",
                       code="already_decided")
    team = team or application.team
    if team is not None:
        access.require(actor, access.MANAGE, team)
    guardian = None
    if application.guardian_name:
        guardian = GuardianSpec(application.guardian_name, application.guardian_id_number,
                                application.guardian_relation,
                                application.guardian_phone or None)
    region = Region.objects.unscoped(reason="reference: the region tree").get(pk=application.region_id)
    volunteer, _created = register(
        actor=actor, region=region, team=team,
        data=Registration(name=application.name, id_number=application.id_number,
                          phone=application.phone, skills=application.skills,
                          interests=application.interests,
                          availability=application.availability, guardian=guardian,
                          consented_at=application.consented_at,
                          extra={"application": application.reference}))
    application.status = ApplicationStatus.APPROVED
    application.decided_by = signed_in(actor)
    application.decided_at = timezone.now()
    application.volunteer = volunteer
    application.save(update_fields=["status", "decided_by", "decided_at", "volunteer",
                                    "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.APPLICATION_APPROVED, target=application,
                 label=application.masked_name, data={"volunteer": volunteer.pk})
    return application


@service
def application_reject(*, actor: Actor, application: VolunteerApplication,
                       note: object) -> VolunteerApplication:
    access.require(actor, access.MANAGE, application)
    if application.status != ApplicationStatus.PENDING:
        raise Conflict("该申请已处理", "This application has already been decided",
                       code="already_decided")
    application.decision_note = clean_text(note, field="note", label_zh="不通过原因",
                                           label_en="Reason", max_length=200, required=True)
    application.status = ApplicationStatus.REJECTED
    application.decided_by = signed_in(actor)
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decision_note", "decided_by", "decided_at",
                                    "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.APPLICATION_REJECTED, target=application,
                 label=application.masked_name, data={"note": application.decision_note})
    return application
