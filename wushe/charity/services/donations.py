"""Donation intake (idempotent, receipted, posted to the ledger) and its reversal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.charity import access, chain, receipts, selectors
from wushe.charity.audit_codes import CharityAction
from wushe.charity.models import (
    AccountCode,
    Donation,
    DonationChannel,
    DonationKind,
    DonationStatus,
    Donor,
    Fund,
    FundStatus,
    ReceiptStatus,
)
from wushe.charity.services._common import (
    idempotency_key,
    parse_date,
    parse_money,
    short_text,
)
from wushe.core.errors import Conflict, IllegalTransition, ValidationFailed
from wushe.core.idempotency import IdempotencyConflict, body_hash, check_replay
from wushe.core.services import service

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _actor_name(actor: Actor) -> str:
    return (getattr(actor, "display_name", "") or getattr(actor, "username", "")) or "系统"


def _same_request(d: Donation, fund: Fund, donor: Donor, amount: Any, kind: str) -> bool:
    return d.fund_id == fund.pk and d.donor_id == donor.pk and d.amount == amount \
        and d.kind == kind


@service
def donation_receive(*, actor: Actor, fund: Fund, donor: Donor, kind: str, amount: Any,
                     idempotency_key_value: str, channel: str = DonationChannel.BANK,
                     received_on: Any = None, goods_description: str = "",
                     goods_quantity: str = "", valuation_basis: str = "",
                     note: str = "") -> Donation:
    """Record a donation, issue its receipt and post it, in one transaction.

    Idempotent: a retry with the same key and the same content returns the first donation
    (same receipt number, nothing counted twice); the same key with different content (any
    field) is refused with 409 ``idempotency_conflict`` and nothing is written."""
    access.require(actor, access.MANAGE, fund)
    key = idempotency_key(idempotency_key_value)
    if kind not in DonationKind.values:
        raise ValidationFailed("捐赠方式无效", "Unknown donation kind", field="kind")
    if channel not in DonationChannel.values:
        raise ValidationFailed("捐赠渠道无效", "Unknown channel", field="channel")
    value = parse_money(amount, label_zh="捐赠金额" if kind == DonationKind.CASH else "物资估值",
                        label_en="Amount" if kind == DonationKind.CASH else "Valuation")
    content = body_hash({
        "fund": fund.pk, "donor": donor.pk, "kind": kind, "channel": channel, "amount": value,
        "received_on": "" if received_on in (None, "") else str(received_on).strip(),
        "goods_description": str(goods_description or "").strip(),
        "goods_quantity": str(goods_quantity or "").strip(),
        "valuation_basis": str(valuation_basis or "").strip(), "note": str(note or "").strip()})
    accounts = chain.lock_accounts(fund.pk)
    first = Donation.objects.select_related("receipt").filter(idempotency_key=key).first()
    if first is not None:
        # A donation stored before the content hash was kept is compared on its main fields.
        check_replay(first.idempotency_body, content)
        if _same_request(first, fund, donor, value, kind):
            return first
        raise IdempotencyConflict("该幂等键已用于另一笔捐赠", "This idempotency key was used for "
                                  "another donation")
    fund = Fund.objects.get(pk=fund.pk)
    if fund.status != FundStatus.ACTIVE:
        raise IllegalTransition("基金未在运行,不能接收捐赠", "The fund is not active and cannot receive donations")
    goods = {"goods_description": "", "goods_quantity": "", "valuation_basis": ""}
    if kind == DonationKind.IN_KIND:
        goods = {
            "goods_description": short_text(goods_description, field="goods_description",
                                            label_zh="物资名称", label_en="Goods", max_length=200,
                                            required=True),
            "goods_quantity": short_text(goods_quantity, field="goods_quantity", label_zh="数量",
                                         label_en="Quantity", max_length=60),
            "valuation_basis": short_text(valuation_basis, field="valuation_basis",
                                          label_zh="估值依据", label_en="Valuation basis",
                                          max_length=100, required=True),
        }
    donation = Donation(
        fund=fund, donor=donor, kind=kind, channel=channel, amount=value,
        received_on=parse_date(received_on, field="received_on", label_zh="捐赠日期",
                               label_en="Received on"),
        note=short_text(note, field="note", label_zh="备注", label_en="Note", max_length=200),
        idempotency_key=key, idempotency_body=content, region_path=fund.region_path,
        created_by=user_or_none(actor), **goods)
    try:
        with transaction.atomic():
            donation.save()
    except IntegrityError:
        # The same key, committed meanwhile for another fund (whose lock we do not hold).
        raise IdempotencyConflict("该幂等键已用于另一笔捐赠", "This idempotency key was used for "
                                  "another donation") from None
    debit = AccountCode.CASH if kind == DonationKind.CASH else AccountCode.GOODS
    donation.entry = chain.post(
        fund=fund, kind="donation", ref=f"donation:{donation.pk}", actor=actor,
        memo=f"{donor.public_name} 捐赠" if kind == DonationKind.CASH else f"{donor.public_name} 捐赠物资",
        lines=[chain.Line(fund.pk, debit, debit=value),
               chain.Line(fund.pk, AccountCode.INCOME, credit=value)],
        accounts=accounts)
    donation.save(update_fields=["entry"])
    receipt = receipts.issue(donation, issuer=_actor_name(actor))
    audit.record(actor=actor, action=CharityAction.DONATION_RECEIVED, target=donation,
                 label=fund.name,
                 data={"fund": fund.pk, "donor": donor.pk, "kind": kind, "amount": str(value),
                       "receipt": receipt.number, "entry": donation.entry.seq,
                       "idempotency_key": key})
    return donation


@service
def donation_reverse(*, actor: Actor, donation: Donation, reason: str) -> Donation:
    """A donation recorded by mistake: a reversing entry, the receipt voided (its number is
    never reused). Refused when the money has already been spent or promised."""
    fund = donation.fund
    access.require(actor, access.APPROVE, fund)
    reason = short_text(reason, field="reason", label_zh="冲正原因", label_en="Reason",
                        max_length=200, required=True)
    accounts = chain.lock_accounts(fund.pk)
    donation = Donation.objects.select_related("entry", "fund").get(pk=donation.pk)
    if donation.status != DonationStatus.RECEIVED or donation.entry is None:
        raise IllegalTransition("该捐赠已冲正", "This donation has already been reversed")
    source = AccountCode.CASH if donation.kind == DonationKind.CASH else AccountCode.GOODS
    if selectors.available(accounts, fund.pk, source) < donation.amount:
        raise Conflict("基金可用余额不足以冲正这笔捐赠(款物已支出或已批准支出)",
                       "The fund's available balance cannot cover this reversal (the money is "
                       "spent or promised)", code="insufficient_balance")
    entry = chain.reverse(original=donation.entry, memo=f"冲正:{reason}", actor=actor,
                          accounts=accounts)
    donation.status = DonationStatus.REVERSED
    donation.reversal_entry = entry
    donation.reverse_reason = reason
    donation.save(update_fields=["status", "reversal_entry", "reverse_reason", "updated_at"])
    receipt = getattr(donation, "receipt", None)
    if receipt is not None:
        receipt.status = ReceiptStatus.VOID
        receipt.voided_at = timezone.now()
        receipt.save(update_fields=["status", "voided_at"])
    audit.record(actor=actor, action=CharityAction.DONATION_REVERSED, target=donation,
                 label=fund.name, data={"reason": reason, "entry": entry.seq,
                                        "amount": str(donation.amount)})
    return donation


@service
def receipt_pdf(*, actor: Actor, donation: Donation) -> bytes:
    """The printable receipt; printing is recorded (it carries the donor's name)."""
    access.require(actor, access.MANAGE, donation.fund)
    receipt = donation.receipt
    content = receipts.render_pdf(receipt)
    audit.record(actor=actor, action=CharityAction.RECEIPT_PRINTED, target=donation,
                 label=receipt.number, data={"receipt": receipt.number})
    return content
