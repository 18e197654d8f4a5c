"""Writes of organisations: create (registered, filed or incubating), update, status moves,
the contact's unmasking, and the roster, brand projects and honours of a filing.

Each service checks permission first, validates, writes, and records its AuditEvent in the
same transaction (the @service decorator).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, IllegalTransition, ValidationFailed
from wushe.core.masking import mask_name
from wushe.core.services import service
from wushe.orgs import access, cleaning, profile, workflow
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import (
    Incubation,
    IncubationStage,
    OrgStatus,
    Rating,
    SocialOrganization,
    StatusChange,
)
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# Fields an organisation's own staff may change (orgs.edit); managers may change all.
OWN_FIELDS = ("person_in_charge", "contact_phone", "venue", "charter", "activity_area", "funds",
              "funds_source", "summary", "founded_on", "participants")
MANAGER_FIELDS = ("name", "category", "legal_form", "registered_on", "filed_on", "credit_code")
def _issue_filing_number(org: SocialOrganization) -> None:
    if not org.filing_number:
        day = org.filed_on or dt.date.today()
        org.filing_number = profile.filing_numbers(org.region_path[:9], day.year, 1)[0]


@service
def org_create(*, actor: Actor, region: Region, status: str, **values: Any) -> SocialOrganization:
    scope.require_region(actor, access.MANAGE, region.path)
    org = profile.prepare_org(region=region, status=status, values=values)
    profile.check_credit_code_free(org.credit_code)
    if status == OrgStatus.FILED:
        _issue_filing_number(org)
    try:
        org.save()
    except IntegrityError:  # two filings racing for the same number
        raise Conflict("备案号冲突,请重试", "Filing number clash; please try again") from None
    StatusChange.objects.create(org=org, region_path=org.region_path, from_status="",
                                to_status=status, on=dt.date.today(), reason="", by=user_or_none(actor))
    audit.record(actor=actor, action=OrgAction.ORG_CREATED, target=org, label=org.name,
                 data={"status": status, "region": region.code, "category": org.category,
                       "credit_code": org.credit_code, "filing_number": org.filing_number})
    return org



def _audit_value(key: str, value: Any) -> Any:
    if key == "contact_phone":
        return "changed"  # never plaintext personal data in the log
    if key == "person_in_charge":
        return mask_name(value)  # a person's name: masked in the log (#22)
    return str(value) if isinstance(value, dt.date) or value.__class__.__name__ == "Decimal" \
        else value


@service
def org_update(*, actor: Actor, org: SocialOrganization, **values: Any) -> SocialOrganization:
    access.require_edit(actor, org)
    unknown = set(values) - set(OWN_FIELDS) - set(MANAGER_FIELDS)
    if unknown:
        raise ValidationFailed("不能修改这些字段", "These fields cannot be changed",
                               field=sorted(unknown)[0])
    cleaned = profile.clean_profile(values)
    changed = {k: v for k, v in cleaned.items() if getattr(org, k) != v}
    if not access.can_manage(actor, org) and set(changed) & set(MANAGER_FIELDS):
        raise ValidationFailed("名称、类别、登记信息由主管部门修改",
                               "Name, category and registration details are changed by the "
                               "supervising office", code="forbidden_field",
                               field=sorted(set(changed) & set(MANAGER_FIELDS))[0])
    if "credit_code" in changed:
        if org.status == OrgStatus.REGISTERED and not changed["credit_code"]:
            raise ValidationFailed("已登记的社会组织不能删除统一社会信用代码",
                                   "A registered organisation keeps its credit code",
                                   field="credit_code")
        profile.check_credit_code_free(changed["credit_code"], exclude_pk=org.pk)
    if "category" in changed and not changed["category"] and \
            org.status in (OrgStatus.REGISTERED, OrgStatus.INCUBATING):
        raise ValidationFailed("请选择社会组织类别", "Choose the organisation's category",
                               code="required", field="category")
    old = {k: getattr(org, k) for k in changed}
    for k, v in changed.items():
        setattr(org, k, v)
    if org.status == OrgStatus.FILED:
        profile.require_filing_fields(org)
    if changed:
        org.save()
        audit.record(actor=actor, action=OrgAction.ORG_UPDATED, target=org, label=org.name,
                     data={k: {"old": _audit_value(k, old[k]), "new": _audit_value(k, v)}
                           for k, v in changed.items()})
    return org


@service
def org_transition(*, actor: Actor, org: SocialOrganization, to: str, on: object = None,
                   reason: object = "", credit_code: object = None,
                   registered_on: object = None) -> SocialOrganization:
    access.require_manage(actor, org)
    workflow.check_status(org.status, to)
    day = cleaning.date(on, "on", "生效日期", "Effective date") or dt.date.today()
    why = cleaning.text(reason, "reason", "原因", "Reason", 300,
                        required=to in workflow.NEEDS_REASON)
    if to == OrgStatus.REGISTERED:
        extra = profile.clean_profile({k: v for k, v in (("credit_code", credit_code),
                                                 ("registered_on", registered_on))
                               if v not in (None, "")})
        if extra.get("credit_code") and org.credit_code and extra["credit_code"] != org.credit_code:
            raise ValidationFailed("统一社会信用代码与已登记的不一致",
                                   "The credit code differs from the one on record",
                                   field="credit_code")
        org.credit_code = org.credit_code or extra.get("credit_code")
        org.registered_on = org.registered_on or extra.get("registered_on") or day
        profile.require_registration(org)
        profile.require_category(org)
        profile.check_credit_code_free(org.credit_code, exclude_pk=org.pk)
    if to == OrgStatus.FILED:
        if org.is_registered:  # suspended → filed is for filings only
            raise IllegalTransition("已登记的社会组织不能退回备案状态",
                                    "A registered organisation cannot fall back to a filing",
                                    field="status")
        profile.require_filing_fields(org)
        org.filed_on = org.filed_on or day
        _issue_filing_number(org)
    _move(org, to, actor=actor, day=day, why=why)
    return org


def _move(org: SocialOrganization, to: str, *, actor: Actor, day: dt.date, why: str,
          data: dict[str, Any] | None = None) -> None:
    """The status move itself, after the caller's permission and transition checks."""
    if to in (OrgStatus.SUSPENDED, OrgStatus.ELIMINATED):
        # A suspended or eliminated organisation loses its rating from that day.
        Rating.objects.filter(org=org, valid_until__gte=day).update(
            valid_until=day - dt.timedelta(days=1), ended_reason=to)
    if to == OrgStatus.ELIMINATED:
        Incubation.objects.filter(org=org).exclude(
            stage__in=(IncubationStage.GRADUATED, IncubationStage.WITHDRAWN)).update(
            stage=IncubationStage.WITHDRAWN, ended_note=why[:300])
    old = org.status
    org.status = to
    org.save()
    StatusChange.objects.create(org=org, region_path=org.region_path, from_status=old,
                                to_status=to, on=day, reason=why, by=user_or_none(actor))
    audit.record(actor=actor, action=OrgAction.ORG_STATUS_CHANGED, target=org, label=org.name,
                 data={"from": old, "to": to, "on": str(day), "reason": why, **(data or {})})


@service
def org_eliminate_by_evaluation(*, actor: Actor, org_id: int, reason: str,
                                evaluation_id: int) -> SocialOrganization:
    """A four-party evaluation decided 淘汰: the organisation moves to eliminated, the status
    ``orgs.eliminated`` counts, so that figure and ``evaluation.eliminated`` agree; from then
    on it is offered no new need (the linkage provider suggests active organisations only) and
    is not eligible to deliver a project (projects.eligibility).

    Called only from evaluation.services.evaluation_decide, inside its transaction and after
    its permission check (evaluation manage over the evaluation). Idempotent: an organisation
    already eliminated (by another project's evaluation, or by hand) is left as it is."""
    org = SocialOrganization.objects.unscoped(reason="hook: the calling service authorised it").select_for_update().get(pk=org_id)
    if org.status == OrgStatus.ELIMINATED:
        return org
    workflow.check_status(org.status, OrgStatus.ELIMINATED)
    why = (reason or "四方评估决定淘汰 / eliminated by the four-party evaluation")[:300]
    _move(org, OrgStatus.ELIMINATED, actor=actor, day=dt.date.today(), why=why,
          data={"via": "evaluation", "evaluation": evaluation_id})
    return org


@service
def org_contact_unmask(*, actor: Actor, org: SocialOrganization, purpose: object) -> str:
    """The contact phone in clear, for someone who may edit the organisation and says why."""
    access.require_edit(actor, org)
    why = cleaning.text(purpose, "purpose", "查看目的", "Purpose", 200, required=True)
    if len(why) < 2:
        raise ValidationFailed("请说明查看目的", "State the purpose", field="purpose")
    if not org.contact_phone:
        raise ValidationFailed("未登记联系电话", "No contact phone is on record",
                               field="contact_phone")
    if getattr(actor, "pk", None):
        audit.pii_access(actor=actor, subject=org, field="contact_phone", purpose=why)
    audit.record(actor=actor, action=OrgAction.ORG_CONTACT_UNMASKED, target=org, label=org.name,
                 data={"field": "contact_phone", "purpose": why})
    return str(org.contact_phone)

