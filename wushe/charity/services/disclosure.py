"""Publishing a fund's periodic and annual reports (frozen figures, anchored to the ledger)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.charity import access, figures
from wushe.charity.audit_codes import CharityAction
from wushe.charity.models import Disclosure, DisclosureKind, Fund, FundStatus, LedgerHead
from wushe.charity.services._common import parse_date, short_text
from wushe.core.errors import Conflict, IllegalTransition, ValidationFailed
from wushe.core.services import service

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _bounds(fund: Fund, kind: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The period a report starting on ``start`` covers; refuse a start that is no period's."""
    if kind == DisclosureKind.ANNUAL:
        if (start.month, start.day) != (1, 1):
            raise ValidationFailed("年度报告从 1 月 1 日开始", "An annual report starts on 1 January",
                                   field="period_start")
        return start, dt.date(start.year, 12, 31)
    first, last = figures.period_of(start, figures.period_months(fund))
    if first != start:
        raise ValidationFailed(f"公开周期应从 {first} 开始", f"The period starts on {first}",
                               field="period_start")
    return first, last


@service
def disclosure_publish(*, actor: Actor, fund: Fund, kind: str, period_start: Any,
                       note: str = "") -> Disclosure:
    """Publish the report of a finished period; its figures are computed from the ledger and
    frozen, and it records the chain's tip so later tampering is visible."""
    access.require(actor, access.APPROVE, fund)
    if kind not in DisclosureKind.values:
        raise ValidationFailed("报告类型无效", "Unknown report kind", field="kind")
    fund = Fund.objects.get(pk=fund.pk)  # the caller's copy may be stale
    if fund.status == FundStatus.DRAFT:
        raise IllegalTransition("基金尚未运行", "The fund is not active yet")
    start = parse_date(period_start, field="period_start", label_zh="起始日期",
                       label_en="Period start", default_today=False)
    start, end = _bounds(fund, kind, start)
    if end >= timezone.localdate():
        raise ValidationFailed("该期间尚未结束,结束后才能公开", "The period has not ended yet",
                               code="period_open", field="period_start")
    if Disclosure.objects.filter(fund=fund, kind=kind, period_start=start).exists():
        raise Conflict("该期间的报告已公开", "This period's report is already published",
                       field="period_start")
    data = (figures.annual_figures(fund, start.year) if kind == DisclosureKind.ANNUAL
            else figures.period_figures(fund, start, end))
    head = LedgerHead.objects.filter(pk=1).first()
    disclosure = Disclosure.objects.create(
        fund=fund, kind=kind, period_start=start, period_end=end, figures=data,
        note=short_text(note, field="note", label_zh="说明", label_en="Note", max_length=300),
        published_at=timezone.now(), published_by=user_or_none(actor),
        anchor_seq=head.seq if head else 0, anchor_hash=head.hash if head else "",
        region_path=fund.region_path)
    audit.record(actor=actor, action=CharityAction.DISCLOSURE_PUBLISHED, target=disclosure,
                 label=fund.name, data={"kind": kind, "from": str(start), "to": str(end),
                                        "anchor": disclosure.anchor_seq})
    return disclosure
