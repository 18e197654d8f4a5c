"""Donations and disbursements as real .xlsx workbooks (write-only, bounded memory).

Personal data stays masked in exports: individual donors and beneficiaries by masked name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone

from wushe.accounts.labels import user_label
from wushe.charity.models import BeneficiaryKind, Disbursement, Donation
from wushe.core.excel import workbook_bytes

MAX_ROWS = 200_000

DONATION_HEADERS = ["捐赠日期 Date", "基金 Fund", "捐赠人 Donor", "捐赠人类型 Donor kind",
                    "方式 Kind", "渠道 Channel", "金额(元) Amount", "物资 Goods", "数量 Quantity",
                    "估值依据 Valuation basis", "票据号码 Receipt", "状态 Status",
                    "分录号 Entry", "登记人 Recorded by"]
DISBURSEMENT_HEADERS = ["申请时间 Requested", "基金 Fund", "类别 Category", "来源 Source",
                        "金额(元) Amount", "用途 Purpose", "受益对象 Beneficiary",
                        "受益人数 People", "状态 Status", "审批人数 Approvals",
                        "支付时间 Paid", "付款凭证 Voucher", "分录号 Entry"]


def _donation_rows(rows: Iterable[Donation]) -> Iterator[list[object]]:
    for n, d in enumerate(rows):
        if n >= MAX_ROWS:
            break
        receipt = getattr(d, "receipt", None)
        yield [d.received_on.isoformat(), d.fund.name, d.donor.display_name,
               d.donor.get_kind_display(), d.get_kind_display(), d.get_channel_display(),
               d.amount, d.goods_description, d.goods_quantity, d.valuation_basis,
               receipt.number if receipt else "", d.get_status_display(),
               d.entry_id or "", user_label(d.created_by)]


def beneficiary_text(d: Disbursement) -> str:
    """Masked: a person by masked name, a need or project by its public label."""
    if d.beneficiary_kind == BeneficiaryKind.PERSON and d.person is not None:
        return d.person.masked_name
    if d.beneficiary_kind == BeneficiaryKind.NONE:
        return "—"
    return d.beneficiary_label


def _disbursement_rows(rows: Iterable[Disbursement]) -> Iterator[list[object]]:
    for n, d in enumerate(rows):
        if n >= MAX_ROWS:
            break
        yield [timezone.localtime(d.requested_at).strftime("%Y-%m-%d %H:%M"), d.fund.name,
               d.get_category_display(), d.get_source_display(), d.amount, d.purpose,
               beneficiary_text(d), d.beneficiary_count, d.get_status_display(),
               f"{d.n_approvals}/{d.approvals_required}" if hasattr(d, "n_approvals")
               else d.approvals_required,
               timezone.localtime(d.paid_at).strftime("%Y-%m-%d %H:%M") if d.paid_at else "",
               d.payment_ref, d.entry_id or ""]


def donations_xlsx(rows: Iterable[Donation]) -> bytes:
    return workbook_bytes([("donations", DONATION_HEADERS, _donation_rows(rows))])


def disbursements_xlsx(rows: Iterable[Disbursement]) -> bytes:
    return workbook_bytes([("disbursements", DISBURSEMENT_HEADERS, _disbursement_rows(rows))])
