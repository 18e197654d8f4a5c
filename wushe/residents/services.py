"""Writes of care profiles and hardship ledgers: permission, validation, write, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import Role
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.core.masking import mask_name
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.needs import perms
from wushe.people.models import Person
from wushe.regions.models import Region, RegionLevel
from wushe.residents.access import may_see
from wushe.residents.audit_codes import ResidentsAction
from wushe.residents.models import (
    CARE_TAGS,
    SENSITIVE_FIELDS,
    CareProfile,
    Ledger,
    LedgerEntry,
    ProfileStatus,
    RiskLevel,
    TargetGroup,
)
from wushe.residents.selectors import ledger_get

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

PURPOSE_MIN_LENGTH = 4


def _require(actor: Actor, perm: str, profile: CareProfile) -> None:
    if not may_see(actor, profile):
        raise NotFound()
    if not scope.covers(actor, perm, profile.region_path):
        raise PermissionDenied()


def _clean_tags(tags: Iterable[str], group: str) -> str:
    chosen = []
    for tag in tags:
        if tag not in CARE_TAGS:
            raise ValidationFailed(f"未知的标签 {tag}", f"Unknown sub-tag {tag}", field="tags")
        tag_group = CARE_TAGS[tag][0]
        if tag_group and tag_group != group:
            raise ValidationFailed("标签与对象类别不符", "A sub-tag does not belong to the target group",
                                   field="tags")
        if tag not in chosen:
            chosen.append(tag)
    return f"|{'|'.join(chosen)}|" if chosen else ""


def _clean_worker(worker: User | None, region_path: str) -> User | None:
    if worker is None:
        return None
    placed = RoleGrant.objects.unscoped(reason="access: the account's own grants").filter(user=worker, role=Role.SOCIAL_WORKER)
    if not any(region_path.startswith(p) for p in placed.values_list("region_path", flat=True)):
        raise ValidationFailed("该社工不在此社区或街道服务", "This social worker does not serve this area",
                               field="assigned_worker")
    return worker


def _is_minor(person: Person, group: str) -> bool:
    age = person.age()
    return group == TargetGroup.MINOR or (age is not None and age < settings.WUSHE_MINOR_AGE)


@service
def profile_create(
    *, actor: Actor, person: Person, target_group: str, tags: Iterable[str] = (),
    risk_level: str = RiskLevel.LOW, details: object = "", guardian_info: object = "",
    assigned_worker: User | None = None, last_visit_on: dt.date | None = None,
) -> CareProfile:
    scope.require(actor, perms.CARE_MANAGE, person, view_perm=perms.CARE_VIEW)
    if target_group not in TargetGroup.values:
        raise ValidationFailed("对象类别无效", "Unknown target group", field="target_group")
    if risk_level not in RiskLevel.values:
        raise ValidationFailed("风险等级无效", "Unknown risk level", field="risk_level")
    region = Region.objects.unscoped(reason="reference: the region tree").get(pk=person.region_id)
    if region.level == RegionLevel.GRID:
        assert region.parent_id is not None  # a grid always lies in a community
        region = Region.objects.unscoped(reason="reference: the region tree").get(pk=region.parent_id)
    age = person.age()
    if target_group == TargetGroup.MINOR and age is not None and age >= settings.WUSHE_MINOR_AGE:
        raise ValidationFailed("该人员已成年,不能建立未成年人关爱档案",
                               "This person is an adult; a minor's profile cannot be opened",
                               field="target_group")
    minor = _is_minor(person, target_group)
    if minor and not scope.covers(actor, perms.CARE_MINORS, region.path):
        raise PermissionDenied()
    if CareProfile.objects.unscoped(reason="uniqueness check, no row shown").filter(person=person, target_group=target_group,
                                             status=ProfileStatus.ACTIVE).exists():
        raise Conflict("该人员在此类别已有在册档案", "This person already has an open profile in this group",
                       code="duplicate_profile", field="target_group")
    profile = CareProfile(
        person=person, region=region, region_path=region.path, target_group=target_group,
        tags=_clean_tags(tags, target_group), risk_level=risk_level,
        is_minor=minor,
        details=clean_text(details, field="details", label_zh="情况说明", label_en="Situation",
                           max_length=2000),
        guardian_info=clean_text(guardian_info, field="guardian_info", label_zh="监护人及联系方式",
                                 label_en="Guardian and contact", max_length=500),
        assigned_worker=_clean_worker(assigned_worker, region.path),
        last_visit_on=last_visit_on, created_by=user_or_none(actor),
    )
    profile.save()
    # Never the sensitive text itself: the log must not become a second, unencrypted copy.
    audit.record(actor=actor, action=ResidentsAction.PROFILE_CREATED, target=profile,
                 label=mask_name(person.name),
                 data={"person": person.pk, "target_group": target_group,
                       "tags": profile.tag_list, "risk_level": risk_level,
                       "has_details": bool(profile.details)})
    return profile


@service
def profile_update(*, actor: Actor, profile: CareProfile, **changes: Any) -> CareProfile:
    _require(actor, perms.CARE_MANAGE, profile)
    if profile.status != ProfileStatus.ACTIVE:
        raise Conflict("档案已结案,不能修改", "The profile is closed and cannot be changed",
                       code="profile_closed")
    allowed = {"tags", "risk_level", "details", "guardian_info", "assigned_worker",
               "last_visit_on"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed("不可修改的字段", "Fields that cannot be changed",
                               details=[{"field": f} for f in sorted(unknown)])
    changed: dict[str, Any] = {}
    if "tags" in changes:
        tags = _clean_tags(changes["tags"] or (), profile.target_group)
        if tags != profile.tags:
            changed["tags"] = [t for t in tags.split("|") if t]
            profile.tags = tags
    if "risk_level" in changes and changes["risk_level"] != profile.risk_level:
        if changes["risk_level"] not in RiskLevel.values:
            raise ValidationFailed("风险等级无效", "Unknown risk level", field="risk_level")
        changed["risk_level"] = changes["risk_level"]
        profile.risk_level = changes["risk_level"]
    for name, zh, en, size in (("details", "情况说明", "Situation", 2000),
                               ("guardian_info", "监护人及联系方式", "Guardian and contact", 500)):
        if name in changes and changes[name] is not None:
            value = clean_text(changes[name], field=name, label_zh=zh, label_en=en, max_length=size)
            if value != getattr(profile, name):
                setattr(profile, name, value)
                changed[name] = "changed"  # that it changed, never what it says
    if "assigned_worker" in changes:
        worker = _clean_worker(changes["assigned_worker"], profile.region_path)
        if (worker.pk if worker else None) != profile.assigned_worker_id:
            profile.assigned_worker = worker
            changed["assigned_worker"] = worker.pk if worker else None
    if "last_visit_on" in changes and changes["last_visit_on"] != profile.last_visit_on:
        visit = changes["last_visit_on"]
        if visit is not None and visit > timezone.localdate():
            raise ValidationFailed("走访日期不能晚于今天", "The visit date cannot be in the future",
                                   field="last_visit_on")
        profile.last_visit_on = visit
        changed["last_visit_on"] = visit.isoformat() if visit else None
    if changed:
        profile.save()
        audit.record(actor=actor, action=ResidentsAction.PROFILE_UPDATED, target=profile,
                     label=mask_name(profile.person.name), data=changed)
    return profile


@service
def profile_close(*, actor: Actor, profile: CareProfile, reason: object) -> CareProfile:
    _require(actor, perms.CARE_MANAGE, profile)
    if profile.status == ProfileStatus.CLOSED:
        raise Conflict("档案已结案", "The profile is already closed", code="profile_closed")
    profile.closed_reason = clean_text(reason, field="reason", label_zh="结案原因",
                                       label_en="Reason", max_length=200, required=True)
    profile.status = ProfileStatus.CLOSED
    profile.save(update_fields=["status", "closed_reason", "updated_at"])
    audit.record(actor=actor, action=ResidentsAction.PROFILE_CLOSED, target=profile,
                 label=mask_name(profile.person.name), data={"reason": profile.closed_reason})
    return profile


@service
def profile_unmask(*, actor: Actor, profile: CareProfile, field: str, purpose: str) -> str:
    """One sensitive field in clear, after a permission check and a stated purpose."""
    if not may_see(actor, profile):
        raise NotFound()
    if not scope.covers(actor, perms.CARE_UNMASK, profile.region_path):
        raise PermissionDenied()
    if field not in SENSITIVE_FIELDS:
        raise ValidationFailed("该字段不可查看", "This field cannot be revealed", field="field")
    purpose = clean_text(purpose, field="purpose", label_zh="查看事由", label_en="Purpose",
                         max_length=200, required=True)
    if len(purpose) < PURPOSE_MIN_LENGTH:
        raise ValidationFailed("请具体说明查看事由(至少4个字)",
                               "State the purpose of viewing (at least 4 characters)",
                               code="purpose_too_short", field="purpose")
    audit.pii_access(actor=actor, subject=profile, field=field, purpose=purpose)
    audit.record(actor=actor, action=ResidentsAction.PROFILE_UNMASKED, target=profile,
                 label=mask_name(profile.person.name), data={"field": field, "purpose": purpose})
    return str(getattr(profile, field) or "")


# --- ledgers ---------------------------------------------------------------------------------

def _clean_ledger(name: object, description: object, target_group: str) -> dict[str, Any]:
    if target_group and target_group not in TargetGroup.values:
        raise ValidationFailed("对象类别无效", "Unknown target group", field="target_group")
    return {
        "name": clean_text(name, field="name", label_zh="台账名称", label_en="Name", max_length=100,
                           required=True),
        "description": clean_text(description, field="description", label_zh="说明",
                                  label_en="Description", max_length=1000),
        "target_group": target_group,
    }


@service
def ledger_create(*, actor: Actor, region: Region, name: object, description: object = "",
                  target_group: str = "", keeper: User | None = None) -> Ledger:
    scope.require_region(actor, perms.CARE_MANAGE, region.path)
    if region.level not in (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY):
        raise ValidationFailed("台账须建在区、街道或社区", "A ledger is kept by a district, street or community",
                               field="region")
    values = _clean_ledger(name, description, target_group)
    if Ledger.objects.unscoped(reason="uniqueness check, no row shown").filter(region=region, name=values["name"], active=True).exists():
        raise Conflict("同名台账已存在", "A ledger with this name exists", field="name")
    ledger = Ledger.objects.create(region=region, region_path=region.path, keeper=keeper,
                                   created_by=user_or_none(actor),
                                   **values)
    audit.record(actor=actor, action=ResidentsAction.LEDGER_CREATED, target=ledger,
                 label=ledger.name, data={"region": region.code, **values})
    return ledger


@service
def ledger_update(*, actor: Actor, ledger: Ledger, name: object, description: object = "",
                  target_group: str = "", active: bool = True) -> Ledger:
    scope.require(actor, perms.CARE_MANAGE, ledger, view_perm=perms.CARE_VIEW)
    values = _clean_ledger(name, description, target_group)
    old = {k: getattr(ledger, k) for k in (*values, "active")}
    for key, value in {**values, "active": active}.items():
        setattr(ledger, key, value)
    ledger.save()
    diff = audit.diff(old, {**values, "active": active})
    if diff:
        audit.record(actor=actor, action=ResidentsAction.LEDGER_UPDATED, target=ledger,
                     label=ledger.name, data=diff)
    return ledger


@service
def ledger_add(*, actor: Actor, ledger: Ledger, profile: CareProfile, note: object = "") -> LedgerEntry:
    scope.require(actor, perms.CARE_MANAGE, ledger, view_perm=perms.CARE_VIEW)
    if not may_see(actor, profile):
        raise NotFound()
    if not profile.region_path.startswith(ledger.region_path):
        raise ValidationFailed("该对象不在台账所属地区", "The resident is outside the ledger's region",
                               field="profile")
    if ledger.target_group and profile.target_group != ledger.target_group:
        raise ValidationFailed("对象类别与台账不符", "The resident's group does not match the ledger",
                               field="profile")
    if profile.status != ProfileStatus.ACTIVE:
        raise Conflict("档案已结案", "The profile is closed", code="profile_closed", field="profile")
    if LedgerEntry.objects.unscoped(reason="uniqueness check, no row shown").filter(ledger=ledger, profile=profile).exists():
        raise Conflict("该对象已在台账中", "The resident is already on this ledger",
                       code="already_listed", field="profile")
    entry = LedgerEntry.objects.create(
        ledger=ledger, profile=profile, region_path=profile.region_path,
        note=clean_text(note, field="note", label_zh="备注", label_en="Note", max_length=200),
        added_by=user_or_none(actor))
    audit.record(actor=actor, action=ResidentsAction.LEDGER_MEMBER_ADDED, target=ledger,
                 label=ledger.name, data={"profile": profile.pk})
    return entry


@service
def ledger_remove(*, actor: Actor, ledger: Ledger, profile: CareProfile) -> None:
    scope.require(actor, perms.CARE_MANAGE, ledger, view_perm=perms.CARE_VIEW)
    if not may_see(actor, profile):
        raise NotFound()
    deleted, _ = LedgerEntry.objects.unscoped(reason="service: scope.require checked the actor").filter(ledger=ledger, profile=profile).delete()
    if not deleted:
        raise NotFound()
    audit.record(actor=actor, action=ResidentsAction.LEDGER_MEMBER_REMOVED, target=ledger,
                 label=ledger.name, data={"profile": profile.pk})


@service
def ledger_exported(*, actor: Actor, ledger: Ledger, rows: int) -> None:
    """The export of a ledger (personal data leaves the system) is itself an audited act."""
    ledger_get(actor=actor, ledger_id=ledger.pk)  # the reader's own scope: NotFound outside
    audit.record(actor=actor, action=ResidentsAction.LEDGER_EXPORTED, target=ledger,
                 label=ledger.name, data={"rows": rows})
