"""Online fundraising campaigns on designated platforms: registering one, the platform's
reported total, and importing the platform's statements into donations on the ledger.

A statement is read whole before anything is written: a malformed cell (an amount that is
not a number, an id with digits of another script) refuses the whole file with its row
errors and writes nothing. Well-formed transactions that cannot be donations (a repeated id,
a negative amount, a date outside the campaign) are refused one by one and kept on the
import for the reconciliation page; the others each become one donation through
``donation_receive`` (receipt, ledger entry, audit), keyed by the platform's transaction id,
so a re-import adds nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.charity import access
from wushe.charity.audit_codes import CharityAction
from wushe.charity.models import (
    Campaign,
    CampaignTransaction,
    DonationChannel,
    DonationKind,
    Donor,
    DonorKind,
    Fund,
    StatementImport,
    TargetGroup,
)
from wushe.charity.platforms import platform_label, platforms
from wushe.charity.services._common import parse_date, parse_money, public_label, short_text
from wushe.charity.services.donations import donation_receive
from wushe.core.errors import ValidationFailed
from wushe.core.excel import Column, RowError, read_rows
from wushe.core.ids import identifier_text
from wushe.core.services import service

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

_TXN = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
_REF = re.compile(r"^[A-Za-z0-9_-]{1,50}$")
_YES = {"是", "同意", "公开", "y", "yes", "true", "1"}
_NO = {"否", "不同意", "匿名", "不公开", "n", "no", "false", "0"}

COLUMNS = [
    Column("txn_id", "交易号", "Transaction id", required=True, example="TX20240501001",
           aliases=("交易流水号", "订单号", "流水号", "transaction")),
    Column("time", "交易时间", "Time", required=True, example="2024-05-01 10:30",
           aliases=("时间", "捐赠时间", "支付时间")),
    Column("amount", "金额", "Amount", required=True, example="100.00",
           aliases=("捐赠金额", "金额(元)", "amount (yuan)")),
    Column("name", "捐赠人", "Donor display name", example="爱心网友",
           aliases=("昵称", "捐赠人昵称", "donor")),
    Column("named", "同意公开姓名", "Agrees to be named", example="否",
           aliases=("是否公开", "是否同意公开", "同意署名", "named")),
]


class StatementRejected(ValidationFailed):
    """A statement with malformed cells: nothing imported; ``rows`` says where."""

    code = "statement_rejected"

    def __init__(self, rows: list[RowError]) -> None:
        super().__init__(f"对账单有 {len(rows)} 处错误,未导入任何交易",
                         f"The statement has {len(rows)} errors; nothing was imported")
        self.rows = rows

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "rows": [r.as_dict() for r in self.rows]}


@dataclass(frozen=True)
class StatementRow:
    row: int
    txn_id: str
    at: dt.datetime
    amount: Decimal  # negative for a refund line
    name: str
    named: bool


@service
def campaign_create(*, actor: Actor, fund: Fund, title: Any, platform: Any, platform_ref: Any,
                     target_group: Any, target: Any, starts_on: Any, ends_on: Any,
                     public_url: Any) -> Campaign:
    access.require(actor, access.MANAGE, fund)
    fund = Fund.objects.get(pk=fund.pk)
    known = platforms()
    if platform not in known:
        raise ValidationFailed("该平台不是民政部指定的互联网公开募捐信息平台",
                               "This is not a designated online fundraising platform",
                               code="unknown_platform", field="platform")
    ref = identifier_text(platform_ref, what_zh="平台项目编号", what_en="platform's campaign number",
                          field="platform_ref")
    if not _REF.match(ref):
        raise ValidationFailed("平台项目编号应为 1-50 位字母、数字、_ 或 -",
                               "The platform's campaign number must be 1-50 letters, digits, _ or -",
                               code="invalid_platform_ref", field="platform_ref")
    if target_group not in TargetGroup.values:
        raise ValidationFailed("受益群体无效", "Unknown beneficiary group", field="target_group")
    value = parse_money(target, field="target", label_zh="筹款目标", label_en="Target")
    start = parse_date(starts_on, field="starts_on", label_zh="开始日期", label_en="Start date",
                       allow_future=True, default_today=False)
    end = parse_date(ends_on, field="ends_on", label_zh="结束日期", label_en="End date",
                     allow_future=True, default_today=False)
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", "The end date cannot be before the start date",
                               code="invalid_date", field="ends_on")
    url = short_text(public_url, field="public_url", label_zh="平台页面地址",
                     label_en="Platform page", max_length=300, required=True)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    domain = known[platform][2]
    if parts.scheme != "https" or not (host == domain or host.endswith("." + domain)):
        raise ValidationFailed(f"平台页面地址应为 https://…{domain} 下的页面",
                               f"The platform page must be an https address under {domain}",
                               code="invalid_url", field="public_url")
    if Campaign.objects.unscoped(reason="uniqueness check, no row shown").filter(platform=platform, platform_ref=ref).exists():
        raise ValidationFailed("该平台项目编号已登记", "This platform campaign is already registered",
                               code="duplicate", field="platform_ref")
    name = short_text(title, field="title", label_zh="项目名称", label_en="Title", max_length=120,
                      required=True)
    donor = Donor.objects.create(kind=DonorKind.PERSON, name=f"{known[platform][0]}网友",
                                 anonymous=True, region_id=fund.region_id,
                                 region_path=fund.region_path, note=f"{known[platform][0]} {ref}",
                                 created_by=user_or_none(actor))
    campaign = Campaign.objects.create(
        fund=fund, title=name, platform=platform, platform_ref=ref, target_group=target_group,
        target=value, starts_on=start, ends_on=end, public_url=url, donor=donor,
        region_path=fund.region_path, created_by=user_or_none(actor))
    audit.record(actor=actor, action=CharityAction.CAMPAIGN_CREATED, target=campaign,
                 label=name, data={"fund": fund.pk, "platform": platform, "platform_ref": ref,
                                   "target": str(value)})
    return campaign


@service
def campaign_set_reported_total(*, actor: Actor, campaign: Campaign, total: Any) -> Campaign:
    access.require(actor, access.MANAGE, campaign.fund)
    value = parse_money(total, field="reported_total", label_zh="平台公布的筹款总额",
                        label_en="Total reported by the platform", allow_zero=True)
    old = campaign.reported_total
    campaign.reported_total = value
    campaign.save(update_fields=["reported_total", "updated_at"])
    audit.record(actor=actor, action=CharityAction.CAMPAIGN_REPORTED_TOTAL_SET, target=campaign,
                 label=campaign.title, data={"old": None if old is None else str(old),
                                             "new": str(value)})
    return campaign


def _when(raw: Any, rownum: int) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, dt.date):
        value = dt.datetime.combine(raw, dt.time(0))
    else:
        text = identifier_text(raw, what_zh="交易时间", what_en="time", field="time")
        try:
            value = dt.datetime.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise ValidationFailed("交易时间格式应为 年-月-日 时:分", "The time must be YYYY-MM-DD HH:MM",
                                   code="invalid_date", field="time") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _amount(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValidationFailed("金额不是有效的数字", "Amount is not a valid number",
                               code="invalid_amount", field="amount")
    text = "" if raw is None else (repr(raw) if isinstance(raw, float) else str(raw))
    text = identifier_text(text, what_zh="金额", what_en="amount", field="amount")
    negative = text.startswith("-")
    value = parse_money(text.removeprefix("-"), field="amount", label_zh="金额", label_en="Amount")
    return -value if negative else value


def _named(raw: Any) -> bool:
    if raw is None or raw == "":
        return False
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationFailed("“同意公开姓名”应填 是 或 否", "“Agrees to be named” must be yes or no",
                           field="named")


def _parse(row: dict[str, Any], rownum: int) -> StatementRow:
    txn = identifier_text(row.get("txn_id"), what_zh="交易号", what_en="transaction id",
                          field="txn_id")
    if not _TXN.match(txn):
        raise ValidationFailed("交易号应为 1-48 位字母、数字、_ 或 -",
                               "The transaction id must be 1-48 letters, digits, _ or -",
                               code="invalid_txn_id", field="txn_id")
    name = row.get("name")
    display = public_label(name, field="name", label_zh="捐赠人", label_en="Donor display name") \
        if name not in (None, "") else ""
    return StatementRow(rownum, txn, _when(row.get("time"), rownum), _amount(row.get("amount")),
                        display[:60], _named(row.get("named")))


def _read_statement(source: IO[bytes] | str) -> list[StatementRow]:
    """Every row parsed, or StatementRejected with every malformed cell."""
    _header, records, _sheet = read_rows(source, COLUMNS)
    rows, errors = [], []
    for rownum, row in records:
        try:
            rows.append(_parse(row, rownum))
        except ValidationFailed as exc:
            errors.append(RowError(rownum, next((c.zh for c in COLUMNS if c.key == exc.field),
                                                exc.field or ""), exc.zh, exc.en))
    if errors:
        raise StatementRejected(errors)
    return rows


def _refuse(r: StatementRow, reason: str, zh: str, en: str) -> dict[str, Any]:
    return {"row": r.row, "txn_id": r.txn_id, "amount": str(r.amount), "reason": reason,
            "zh": zh, "en": en}


@service
def statement_import(*, actor: Actor, campaign: Campaign, source: IO[bytes] | str) -> StatementImport:
    access.require(actor, access.MANAGE, campaign.fund)
    campaign = Campaign.objects.select_related("fund", "donor").get(pk=campaign.pk)
    rows = _read_statement(source)
    known = dict(CampaignTransaction.objects.unscoped(reason="children of a row read in scope").filter(campaign=campaign)
                 .values_list("txn_id", "amount"))
    today = timezone.localdate()
    seen: set[str] = set()
    refused, fresh, already = [], [], 0
    for r in rows:
        day = timezone.localtime(r.at).date()
        if r.txn_id in seen:
            refused.append(_refuse(r, "duplicate", "交易号在对账单中重复", "Transaction id repeated in the statement"))
            continue
        seen.add(r.txn_id)
        if r.amount < 0:
            refused.append(_refuse(r, "negative", "金额为负(退款),不计入捐赠", "Negative amount (a refund); not a donation"))
        elif not campaign.starts_on <= day <= campaign.ends_on or day > today:
            refused.append(_refuse(r, "outside_dates", "交易日期不在项目起止日期内", "Transaction date outside the campaign's dates"))
        elif r.txn_id in known:
            if known[r.txn_id] == r.amount:
                already += 1
            else:
                refused.append(_refuse(r, "duplicate", "交易号已导入,金额不同", "Transaction id already imported with another amount"))
        else:
            fresh.append(r)
    label = platform_label(campaign.platform)
    for r in fresh:
        donation = donation_receive(
            actor=actor, fund=campaign.fund, donor=campaign.donor, kind=DonationKind.CASH,
            amount=r.amount, channel=DonationChannel.ONLINE,
            idempotency_key_value=f"cmp{campaign.pk}:{r.txn_id}",
            received_on=timezone.localtime(r.at).date(), note=f"{label} {r.txn_id}")
        CampaignTransaction.objects.create(
            campaign=campaign, txn_id=r.txn_id, occurred_at=r.at, amount=r.amount,
            display_name=r.name, named=r.named, donation=donation,
            region_path=campaign.region_path)
    result = StatementImport.objects.create(
        campaign=campaign, rows=len(rows), added=len(fresh), already=already,
        statement_total=sum((r.amount for r in rows), Decimal(0)), refused=refused,
        region_path=campaign.region_path, actor=user_or_none(actor))
    audit.record(actor=actor, action=CharityAction.CAMPAIGN_STATEMENT_IMPORTED, target=campaign,
                 label=campaign.title,
                 data={"import": result.pk, "rows": len(rows), "added": len(fresh),
                       "already": already, "refused": len(refused),
                       "statement_total": str(result.statement_total)})
    return result
