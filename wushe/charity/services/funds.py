"""Writes of funds and their management committees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.charity import access, rules, selectors
from wushe.charity.audit_codes import CharityAction
from wushe.charity.chain import lock_accounts, open_accounts
from wushe.charity.models import (
    COMMITTED,
    AccountCode,
    CommitteeMember,
    CommitteeRole,
    Disbursement,
    DisbursementStatus,
    Fund,
    FundKind,
    FundStatus,
    TargetGroup,
)
from wushe.charity.services._common import parse_date, parse_money, short_text
from wushe.core.errors import Conflict, IllegalTransition, ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_person_name
from wushe.regions import rules as region_rules
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

FUND_FIELDS = ("name", "parent_org_name", "purpose", "target_groups", "need_categories",
               "cap_per_case", "second_approval_above", "established_on")

TRANSITIONS = {
    FundStatus.DRAFT: {FundStatus.ACTIVE, FundStatus.CLOSED},
    FundStatus.ACTIVE: {FundStatus.SUSPENDED, FundStatus.CLOSED},
    FundStatus.SUSPENDED: {FundStatus.ACTIVE, FundStatus.CLOSED},
    FundStatus.CLOSED: set(),
}


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in fields:
        out["name"] = short_text(fields["name"], field="name", label_zh="基金名称",
                                 label_en="Fund name", max_length=200, required=True)
    if "parent_org_name" in fields:
        out["parent_org_name"] = short_text(
            fields["parent_org_name"], field="parent_org_name", label_zh="发起(挂靠)组织",
            label_en="Parent organisation", max_length=200, required=True)
    if "purpose" in fields:
        out["purpose"] = short_text(fields["purpose"], field="purpose", label_zh="宗旨与用途",
                                    label_en="Purpose", max_length=2000)
    if "target_groups" in fields:
        groups = list(dict.fromkeys(fields["target_groups"] or []))
        if any(g not in TargetGroup.values for g in groups):
            raise ValidationFailed("受助对象类别无效", "Unknown target group",
                                   field="target_groups")
        out["target_groups"] = groups
    if "need_categories" in fields:
        raw = fields["need_categories"] or []
        if isinstance(raw, str):
            raw = raw.replace(",", ",").replace("、", ",").split(",")
        cats = [short_text(c, field="need_categories", label_zh="需求类别", label_en="Need category",
                           max_length=30) for c in raw]
        out["need_categories"] = list(dict.fromkeys(c for c in cats if c))
    if "cap_per_case" in fields:
        cap = fields["cap_per_case"]
        out["cap_per_case"] = None if cap in (None, "") else parse_money(
            cap, field="cap_per_case", label_zh="单笔救助上限", label_en="Cap per case")
    if "second_approval_above" in fields and fields["second_approval_above"] not in (None, ""):
        out["second_approval_above"] = parse_money(
            fields["second_approval_above"], field="second_approval_above",
            label_zh="双人审批金额起点", label_en="Second-approval threshold", allow_zero=True)
    if "established_on" in fields:
        value = fields["established_on"]
        out["established_on"] = None if value in (None, "") else parse_date(
            value, field="established_on", label_zh="成立日期", label_en="Established on")
    return out


def _check_level(kind: str, region: Region) -> None:
    if region.level == RegionLevel.GRID:
        raise ValidationFailed("基金不能设在网格一级", "A fund cannot be set up at grid level",
                               field="region")
    if kind == FundKind.COMMUNITY and region.level not in (RegionLevel.STREET,
                                                           RegionLevel.COMMUNITY):
        raise ValidationFailed("社区基金设在镇街或社区(村)", "A community fund belongs to a street or a community",
                               field="region")


@service
def fund_create(*, actor: Actor, region: Region, name: str, kind: str, parent_org_name: str,
                purpose: str = "", target_groups: list[str] | None = None,
                need_categories: list[str] | str | None = None,
                cap_per_case: Any = None, second_approval_above: Any = None,
                established_on: Any = None, parent_org: Any = None) -> Fund:
    """Set up a fund (status "being set up"): its chart of accounts is opened with it."""
    scope.require_region(actor, access.MANAGE, region.path)
    if kind not in FundKind.values:
        raise ValidationFailed("基金类型无效", "Unknown fund kind", field="kind")
    _check_level(kind, region)
    data = _clean({"name": name, "parent_org_name": parent_org_name, "purpose": purpose,
                   "target_groups": target_groups or [], "need_categories": need_categories,
                   "cap_per_case": cap_per_case, "second_approval_above": second_approval_above,
                   "established_on": established_on})
    if "second_approval_above" not in data:
        data["second_approval_above"] = parse_money(
            region_rules.value(rules.SECOND_APPROVAL_ABOVE.key, region), allow_zero=True)
    if Fund.objects.filter(region=region, name=data["name"]).exists():
        raise Conflict("本地区已有同名基金", "A fund of this name exists in this region", field="name")
    if kind == FundKind.COMMUNITY and Fund.objects.filter(
            region=region, kind=FundKind.COMMUNITY).exclude(status=FundStatus.CLOSED).exists():
        raise Conflict("该地区已设有社区基金", "This region already has a community fund",
                       field="region")
    if parent_org is not None and not scope.covers(actor, "orgs.view", parent_org.region_path):
        raise ValidationFailed("发起组织不存在", "Unknown parent organisation", field="parent_org")
    fund = Fund.objects.create(region=region, region_path=region.path, kind=kind,
                               parent_org=parent_org, created_by=user_or_none(actor),
                               **data)
    open_accounts(fund)
    audit.record(actor=actor, action=CharityAction.FUND_CREATED, target=fund, label=fund.name,
                 data={"kind": kind, "region": region.code,
                       **{k: _json(v) for k, v in data.items()}})
    return fund


def _json(value: Any) -> Any:
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


@service
def fund_update(*, actor: Actor, fund: Fund, **changes: Any) -> Fund:
    access.require(actor, access.MANAGE, fund)
    unknown = set(changes) - set(FUND_FIELDS)
    if unknown:
        raise ValidationFailed("不能修改这些字段:" + "、".join(sorted(unknown)),
                               "These fields cannot be changed: " + ", ".join(sorted(unknown)))
    if Fund.objects.filter(pk=fund.pk, status=FundStatus.CLOSED).exists():
        raise IllegalTransition("基金已关闭,不能修改", "The fund is closed and cannot be changed")
    data = _clean(changes)
    if "name" in data and data["name"] != fund.name and Fund.objects.filter(
            region_id=fund.region_id, name=data["name"]).exclude(pk=fund.pk).exists():
        raise Conflict("本地区已有同名基金", "A fund of this name exists in this region", field="name")
    old = {k: _json(getattr(fund, k)) for k in data}
    for key, value in data.items():
        setattr(fund, key, value)
    fund.save(update_fields=[*data, "updated_at"])
    changed = audit.diff(old, {k: _json(v) for k, v in data.items()})
    if changed:
        audit.record(actor=actor, action=CharityAction.FUND_UPDATED, target=fund,
                     label=fund.name, data=changed)
    return fund


def _refuse_if_noncompliant(fund: Fund, members: list[Any]) -> None:
    problems = selectors.committee_problems(fund, members)
    if problems:
        raise ValidationFailed(";".join(p[0] for p in problems),
                               "; ".join(p[1] for p in problems), code="committee_rules")


@service
def fund_set_status(*, actor: Actor, fund: Fund, status: str, reason: str = "") -> Fund:
    """Activate, suspend, resume or close. A community fund is activated only with a committee
    that meets the local rules; a fund is closed only when nothing is left in it."""
    access.require(actor, access.APPROVE, fund)
    if status not in FundStatus.values:
        raise ValidationFailed("状态无效", "Unknown status", field="status")
    accounts = lock_accounts(fund.pk)  # balances cannot move while we look
    fund = Fund.objects.get(pk=fund.pk)
    if status not in TRANSITIONS[FundStatus(fund.status)]:
        raise IllegalTransition("基金当前状态下不能执行此操作",
                                "This change is not possible in the fund's current status")
    reason = short_text(reason, field="reason", label_zh="原因", label_en="Reason", max_length=200)
    if status == FundStatus.ACTIVE:
        _refuse_if_noncompliant(fund, list(CommitteeMember.objects.filter(fund=fund, left_on=None)))
    if status == FundStatus.CLOSED:
        left = [accounts[c].balance for c in (AccountCode.CASH, AccountCode.GOODS) if c in accounts]
        pending = Disbursement.objects.filter(
            fund=fund, status__in=(DisbursementStatus.REQUESTED, *COMMITTED)).exists()
        if any(b != 0 for b in left) or pending:
            raise Conflict("基金尚有余额或未办结的支出,不能关闭",
                           "The fund still holds money or goods, or has open disbursements",
                           code="fund_not_empty")
    old = fund.status
    fund.status = status
    if status == FundStatus.ACTIVE and fund.established_on is None:
        fund.established_on = timezone.localdate()
    fund.save(update_fields=["status", "established_on", "updated_at"])
    audit.record(actor=actor, action=CharityAction.FUND_STATUS_CHANGED, target=fund,
                 label=fund.name, data={"status": {"old": old, "new": status}, "reason": reason})
    return fund


def _member(fund: Fund, name: Any, role: Any, affiliation: Any, joined_on: Any,
            person: Any) -> CommitteeMember:
    if role not in CommitteeRole.values:
        raise ValidationFailed("管委会职务无效", "Unknown committee role", field="role")
    return CommitteeMember(
        fund=fund, region_path=fund.region_path, role=role, person=person,
        name=clean_person_name(person.name if person is not None else name),
        affiliation=short_text(affiliation, field="affiliation", label_zh="单位或身份",
                               label_en="Affiliation", max_length=100),
        joined_on=parse_date(joined_on, field="joined_on", label_zh="加入日期",
                             label_en="Joined on"))


def _active_members(fund: Fund) -> list[CommitteeMember]:
    return list(CommitteeMember.objects.filter(fund=fund, left_on=None).order_by("id"))


@service
def committee_member_add(*, actor: Actor, fund: Fund, name: str = "", role: str,
                         affiliation: str = "", joined_on: Any = None,
                         person: Any = None) -> CommitteeMember:
    """Add a seat. On an active community fund the result must still meet the rules; for a
    change of several seats at once use ``committee_set``."""
    access.require(actor, access.MANAGE, fund)
    fund = Fund.objects.get(pk=fund.pk)  # the rules depend on the current status
    member = _member(fund, name, role, affiliation, joined_on, person)
    if fund.status == FundStatus.ACTIVE:
        _refuse_if_noncompliant(fund, [*_active_members(fund), member])
    member.save()
    audit.record(actor=actor, action=CharityAction.COMMITTEE_MEMBER_ADDED, target=member,
                 label=fund.name, data={"fund": fund.pk, "role": role})
    return member


@service
def committee_member_remove(*, actor: Actor, member: CommitteeMember, left_on: Any = None) -> None:
    access.require(actor, access.MANAGE, member.fund)
    fund = Fund.objects.get(pk=member.fund_id)
    if member.left_on is not None:
        raise Conflict("该成员已离任", "This member has already left")
    if fund.status == FundStatus.ACTIVE:
        _refuse_if_noncompliant(fund, [m for m in _active_members(fund) if m.pk != member.pk])
    member.left_on = parse_date(left_on, field="left_on", label_zh="离任日期", label_en="Left on")
    member.save(update_fields=["left_on", "updated_at"])
    audit.record(actor=actor, action=CharityAction.COMMITTEE_MEMBER_REMOVED, target=member,
                 label=fund.name, data={"fund": fund.pk, "role": member.role})


@service
def committee_set(*, actor: Actor, fund: Fund, members: list[dict[str, Any]]) -> list[CommitteeMember]:
    """Replace the whole committee at once (a re-election): checked as a whole."""
    access.require(actor, access.MANAGE, fund)
    fund = Fund.objects.get(pk=fund.pk)
    new = [_member(fund, m.get("name"), m.get("role"), m.get("affiliation", ""),
                   m.get("joined_on"), m.get("person")) for m in members]
    if fund.status == FundStatus.ACTIVE:
        _refuse_if_noncompliant(fund, new)
    today = timezone.localdate()
    for old in _active_members(fund):
        old.left_on = today
        old.save(update_fields=["left_on", "updated_at"])
        audit.record(actor=actor, action=CharityAction.COMMITTEE_MEMBER_REMOVED, target=old,
                     label=fund.name, data={"fund": fund.pk, "role": old.role})
    for member in new:
        member.save()
        audit.record(actor=actor, action=CharityAction.COMMITTEE_MEMBER_ADDED, target=member,
                     label=fund.name, data={"fund": fund.pk, "role": member.role})
    return new
