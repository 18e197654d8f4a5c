"""Disbursements: request → approval (never by the requester; two managers above the fund's
threshold) → paid, never beyond the available balance; a mistake is reversed by a new entry.

Every step that moves or promises money locks the fund's accounts first (chain.lock_accounts)
and re-reads the disbursement under that lock, so parallel requests can never overdraw a fund:
on PostgreSQL the row lock serialises them, on SQLite BEGIN IMMEDIATE does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.charity import access, chain, linkage, selectors
from wushe.charity.audit_codes import CharityAction
from wushe.charity.models import (
    AccountCode,
    BeneficiaryKind,
    Decision,
    Disbursement,
    DisbursementAim,
    DisbursementApproval,
    DisbursementCategory,
    DisbursementSource,
    DisbursementStatus,
    Fund,
    FundStatus,
)
from wushe.charity.services._common import parse_money, public_label, short_text
from wushe.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from wushe.core.services import service
from wushe.regions.models import RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _insufficient(avail: Any) -> Conflict:
    return Conflict(f"基金可用余额不足(可用 {avail} 元)",
                    f"The fund's available balance is not enough ({avail} yuan available)",
                    code="insufficient_balance", field="amount")


def _beneficiary(category: str, kind: str, person: Any, need_id: Any, project_id: Any,
                 label: str, count: Any) -> dict[str, Any]:
    if kind not in BeneficiaryKind.values:
        raise ValidationFailed("受益对象类型无效", "Unknown beneficiary kind", field="beneficiary_kind")
    if category == DisbursementCategory.MANAGEMENT:
        if kind != BeneficiaryKind.NONE:
            raise ValidationFailed("管理费用没有受益对象", "A management cost has no beneficiary",
                                   field="beneficiary_kind")
        return {"beneficiary_count": 0}
    if kind == BeneficiaryKind.NONE:
        raise ValidationFailed("公益支出须有受益对象", "Charitable spending needs a beneficiary",
                               field="beneficiary_kind")
    if kind == BeneficiaryKind.PERSON:
        if person is None:
            raise ValidationFailed("请选择受助人", "Choose the person in care", field="person")
        # Public pages name the community, never the grid (a grid is a few buildings).
        region = person.region
        community_id = region.parent_id if region.level == RegionLevel.GRID else region.pk
        return {"person": person, "beneficiary_region_id": community_id, "beneficiary_count": 1}
    # The number is optional until the needs and projects apps exist to check it against.
    ref = need_id if kind == BeneficiaryKind.NEED else project_id
    ref_id: int | None = None
    if ref not in (None, ""):
        try:
            ref_id = int(ref)
        except (TypeError, ValueError):
            ref_id = 0
        if ref_id <= 0:
            field = "need_id" if kind == BeneficiaryKind.NEED else "project_id"
            raise ValidationFailed("需求或项目编号无效", "The need or project number is not valid",
                                   field=field)
    try:
        n = int(count if count not in (None, "") else 1)
    except (TypeError, ValueError):
        n = -1
    if not 1 <= n <= 1_000_000:
        raise ValidationFailed("受益人数应在 1 到 1000000 之间", "People benefiting must be 1 to 1,000,000",
                               field="beneficiary_count")
    out: dict[str, Any] = {
        "beneficiary_label": public_label(label, field="beneficiary_label", label_zh="需求或项目名称",
                                          label_en="Need or project"),
        "beneficiary_count": n,
    }
    out["need_id" if kind == BeneficiaryKind.NEED else "project_id"] = ref_id
    return out


@service
def disbursement_request(*, actor: Actor, fund: Fund, amount: Any, purpose: str,
                         beneficiary_kind: str, category: str = DisbursementCategory.CHARITABLE,
                         source: str = DisbursementSource.CASH, person: Any = None,
                         need_id: Any = None, project_id: Any = None,
                         beneficiary_label: str = "", beneficiary_count: Any = None,
                         beneficiary_region: Any = None,
                         aim: str = DisbursementAim.OTHER) -> Disbursement:
    access.require(actor, access.MANAGE, fund)
    return _request(actor=actor, fund=fund, amount=amount, purpose=purpose,
                    beneficiary_kind=beneficiary_kind, category=category, source=source,
                    person=person, need_id=need_id, project_id=project_id,
                    beneficiary_label=beneficiary_label, beneficiary_count=beneficiary_count,
                    beneficiary_region=beneficiary_region, aim=aim)


@service
def disbursement_request_for_need(*, actor: Actor, fund: Fund, need: Any, amount: Any,
                                  label: str) -> Disbursement:
    """The request a fund assignment (派单 to a charity fund) makes on the fund's side.

    Called only from the fund's linkage provider, inside needs' dispatch service, which has
    already checked the dispatcher's needs.dispatch over the need and re-checked the fund's
    eligibility; the dispatcher need not manage the fund, and the fund's managers still
    approve (never the requester) and pay. The cap per case applies: a need is one case."""
    value = parse_money(amount, label_zh="申请金额", label_en="Amount requested")
    if fund.cap_per_case is not None and value > fund.cap_per_case:
        raise ValidationFailed(f"超过本基金单笔救助上限 {fund.cap_per_case} 元",
                               f"Above the fund's cap per case of {fund.cap_per_case} yuan",
                               code="above_cap", field="amount")
    return _request(actor=actor, fund=fund, amount=value, purpose=f"{label} {need.tracking_code}",
                    beneficiary_kind=BeneficiaryKind.NEED, need_id=need.pk,
                    beneficiary_label=label, beneficiary_count=1,
                    beneficiary_region=need.community)


def _request(*, actor: Actor, fund: Fund, amount: Any, purpose: str, beneficiary_kind: str,
             category: str = DisbursementCategory.CHARITABLE,
             source: str = DisbursementSource.CASH, person: Any = None, need_id: Any = None,
             project_id: Any = None, beneficiary_label: str = "", beneficiary_count: Any = None,
             beneficiary_region: Any = None,
             aim: str = DisbursementAim.OTHER) -> Disbursement:
    if category not in DisbursementCategory.values:
        raise ValidationFailed("支出类别无效", "Unknown category", field="category")
    if aim not in DisbursementAim.values:
        raise ValidationFailed("支出目的无效", "Unknown aim", field="aim")
    if source not in DisbursementSource.values:
        raise ValidationFailed("支出来源无效", "Unknown source", field="source")
    value = parse_money(amount, label_zh="支出金额", label_en="Amount")
    purpose = short_text(purpose, field="purpose", label_zh="用途", label_en="Purpose",
                         max_length=300, required=True)
    target = _beneficiary(category, beneficiary_kind, person, need_id, project_id,
                          beneficiary_label, beneficiary_count)
    if beneficiary_region is not None and "beneficiary_region_id" not in target:
        target["beneficiary_region_id"] = beneficiary_region.pk
    accounts = chain.lock_accounts(fund.pk)
    fund = Fund.objects.get(pk=fund.pk)
    if fund.status != FundStatus.ACTIVE:
        raise IllegalTransition("基金未在运行,不能申请支出", "The fund is not active")
    if (category == DisbursementCategory.CHARITABLE and beneficiary_kind == BeneficiaryKind.PERSON
            and fund.cap_per_case is not None and value > fund.cap_per_case):
        raise ValidationFailed(f"超过本基金单笔救助上限 {fund.cap_per_case} 元",
                               f"Above the fund's cap per case of {fund.cap_per_case} yuan",
                               code="above_cap", field="amount")
    avail = selectors.available(accounts, fund.pk, source)
    if value > avail:
        raise _insufficient(avail)
    d = Disbursement.objects.create(
        fund=fund, category=category, source=source, amount=value, purpose=purpose, aim=aim,
        beneficiary_kind=beneficiary_kind, requested_by=signed_in(actor), region_path=fund.region_path,
        approvals_required=2 if value > fund.second_approval_above else 1, **target)
    audit.record(actor=actor, action=CharityAction.DISBURSEMENT_REQUESTED, target=d,
                 label=fund.name,
                 data={"fund": fund.pk, "amount": str(value), "category": category,
                       "source": source, "beneficiary_kind": beneficiary_kind, "aim": aim,
                       "approvals_required": d.approvals_required})
    return d


def _locked(d: Disbursement) -> tuple[dict[str, Any], Disbursement]:
    accounts = chain.lock_accounts(d.fund_id)
    fresh = Disbursement.objects.select_related("fund").get(pk=d.pk)
    return accounts, fresh


@service
def disbursement_approve(*, actor: Actor, disbursement: Disbursement,
                         comment: str = "") -> Disbursement:
    access.require(actor, access.APPROVE, disbursement.fund)
    accounts, d = _locked(disbursement)
    if d.status != DisbursementStatus.REQUESTED:
        raise IllegalTransition("该支出不在待审批状态", "This disbursement is not awaiting approval")
    if d.requested_by_id == actor.pk:
        raise PermissionDenied("申请人不能审批自己的支出申请", "The requester cannot approve their own request")
    if DisbursementApproval.objects.filter(disbursement=d, approver=signed_in(actor)).exists():
        raise Conflict("您已审批过该申请,需另一名管理人审批",
                       "You have already approved this; another manager must approve it",
                       code="already_decided")
    comment = short_text(comment, field="comment", label_zh="审批意见", label_en="Comment",
                         max_length=200)
    DisbursementApproval.objects.create(disbursement=d, approver=signed_in(actor), decision=Decision.APPROVE,
                                        comment=comment)
    given = DisbursementApproval.objects.filter(disbursement=d, decision=Decision.APPROVE).count()
    if given >= d.approvals_required:
        avail = selectors.available(accounts, d.fund_id, d.source)
        if d.amount > avail:
            raise _insufficient(avail)
        d.status = DisbursementStatus.APPROVED
        d.approved_at = timezone.now()
        d.save(update_fields=["status", "approved_at", "updated_at"])
        linkage.disbursement_approved(d, actor=actor)
    audit.record(actor=actor, action=CharityAction.DISBURSEMENT_APPROVED, target=d,
                 label=d.fund.name, data={"approvals": given, "required": d.approvals_required,
                                          "status": d.status})
    return d


@service
def disbursement_reject(*, actor: Actor, disbursement: Disbursement, reason: str) -> Disbursement:
    access.require(actor, access.APPROVE, disbursement.fund)
    reason = short_text(reason, field="reason", label_zh="驳回理由", label_en="Reason",
                        max_length=200, required=True)
    _accounts, d = _locked(disbursement)
    if d.status != DisbursementStatus.REQUESTED:
        raise IllegalTransition("该支出不在待审批状态", "This disbursement is not awaiting approval")
    if DisbursementApproval.objects.filter(disbursement=d, approver=signed_in(actor)).exists():
        raise Conflict("您已审批过该申请", "You have already decided on this", code="already_decided")
    DisbursementApproval.objects.create(disbursement=d, approver=signed_in(actor), decision=Decision.REJECT,
                                        comment=reason)
    d.status = DisbursementStatus.REJECTED
    d.closing_reason = reason
    d.save(update_fields=["status", "closing_reason", "updated_at"])
    audit.record(actor=actor, action=CharityAction.DISBURSEMENT_REJECTED, target=d,
                 label=d.fund.name, data={"reason": reason})
    return d


@service
def disbursement_cancel(*, actor: Actor, disbursement: Disbursement, reason: str) -> Disbursement:
    access.require(actor, access.MANAGE, disbursement.fund)
    reason = short_text(reason, field="reason", label_zh="撤销原因", label_en="Reason",
                        max_length=200, required=True)
    _accounts, d = _locked(disbursement)
    if d.status not in (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED):
        raise IllegalTransition("该支出已办结,不能撤销", "This disbursement is settled and cannot be cancelled")
    old = d.status
    d.status = DisbursementStatus.CANCELLED
    d.closing_reason = reason
    d.save(update_fields=["status", "closing_reason", "updated_at"])
    audit.record(actor=actor, action=CharityAction.DISBURSEMENT_CANCELLED, target=d,
                 label=d.fund.name, data={"reason": reason, "was": old})
    if old == DisbursementStatus.APPROVED:
        linkage.disbursement_undone(d, actor=actor, reason="基金支出已撤销 / disbursement cancelled")
    return d


@service
def disbursement_withdraw_for_need(*, actor: Actor, disbursement_id: int,
                                   reason: str) -> Disbursement | None:
    """The fund's assignment of a need ended without it (returned, or the need was resolved
    before the fund took it): a request still open is cancelled. Called only from the fund's
    linkage provider inside needs' services, which have checked the actor over the need."""
    found = Disbursement.objects.unscoped(reason="hook: the calling service authorised it").filter(pk=disbursement_id).first()
    if found is None:
        return None
    _accounts, d = _locked(found)
    if d.status not in (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED):
        return d
    old = d.status
    d.status = DisbursementStatus.CANCELLED
    d.closing_reason = reason[:200]
    d.save(update_fields=["status", "closing_reason", "updated_at"])
    audit.record(actor=actor, action=CharityAction.DISBURSEMENT_CANCELLED, target=d,
                 label=d.fund.name, data={"reason": d.closing_reason, "was": old, "via": "need"})
    return d


@service
def disbursement_pay(*, actor: Actor, disbursement: Disbursement,
                     payment_ref: str = "") -> Disbursement:
    """Pay an approved disbursement: the ledger entry moves the money out of the fund."""
    access.require(actor, access.MANAGE, disbursement.fund)
    payment_ref = short_text(payment_ref, field="payment_ref", label_zh="付款凭证号",
                             label_en="Payment voucher", max_length=60)
    accounts, d = _locked(disbursement)
    if d.status != DisbursementStatus.APPROVED:
        raise IllegalTransition("该支出尚未批准或已支付", "This disbursement is not approved or is already paid")
    # Its own amount is among the committed; the other commitments must stay covered.
    free = accounts[d.source].balance - (selectors.committed(d.fund_id, d.source) - d.amount)
    if free < d.amount:
        raise _insufficient(free)
    expense = (AccountCode.CHARITABLE if d.category == DisbursementCategory.CHARITABLE
               else AccountCode.MANAGEMENT)
    d.entry = chain.post(
        fund=d.fund, kind="disbursement", ref=f"disbursement:{d.pk}", actor=actor,
        memo=d.get_category_display(),
        lines=[chain.Line(d.fund_id, expense, debit=d.amount),
               chain.Line(d.fund_id, d.source, credit=d.amount)],
        accounts=accounts)
    d.status = DisbursementStatus.PAID
    d.paid_at = timezone.now()
    d.paid_by = signed_in(actor)
    d.payment_ref = payment_ref
    d.save(update_fields=["entry", "status", "paid_at", "paid_by", "payment_ref", "updated_at"])
    audit.record(actor=actor, action=CharityAction.DISBURSEMENT_PAID, target=d,
                 label=d.fund.name, data={"amount": str(d.amount), "entry": d.entry.seq})
    linkage.disbursement_paid(d, actor=actor)
    return d


@service
def disbursement_reverse(*, actor: Actor, disbursement: Disbursement, reason: str) -> Disbursement:
    """A payment made in error (returned, duplicated): reversed by a new entry."""
    access.require(actor, access.APPROVE, disbursement.fund)
    reason = short_text(reason, field="reason", label_zh="冲正原因", label_en="Reason",
                        max_length=200, required=True)
    accounts, d = _locked(disbursement)
    if d.status != DisbursementStatus.PAID or d.entry is None:
        raise IllegalTransition("只有已支付的支出可以冲正", "Only a paid disbursement can be reversed")
    entry = chain.reverse(original=d.entry, memo=f"冲正:{reason}", actor=actor,
                          accounts=accounts)
    d.status = DisbursementStatus.REVERSED
    d.reversal_entry = entry
    d.closing_reason = reason
    d.save(update_fields=["status", "reversal_entry", "closing_reason", "updated_at"])
    audit.record(actor=actor, action=CharityAction.DISBURSEMENT_REVERSED, target=d,
                 label=d.fund.name, data={"reason": reason, "entry": entry.seq})
    linkage.disbursement_undone(d, actor=actor, reason="基金支出已冲正 / disbursement reversed")
    return d
