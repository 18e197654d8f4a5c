"""Money figures read from the ledger: totals, period flows, balances at a date, annual ratios.

Everything here is computed from postings (or the cached balances verify keeps honest), never
from the donation or disbursement tables, so disclosures show what the ledger holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from wushe.charity import rules
from wushe.charity.chain import ZERO, money
from wushe.charity.models import (
    AccountCode,
    Disbursement,
    DisbursementCategory,
    DisbursementStatus,
    Donation,
    Fund,
    LedgerAccount,
    LedgerPosting,
)
from wushe.regions import rules as region_rules


@dataclass
class Totals:
    """Where a fund stands now (from the cached balances)."""

    raised: Decimal = ZERO  # donation income, net of reversals
    charitable: Decimal = ZERO
    management: Decimal = ZERO
    cash: Decimal = ZERO
    goods: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.cash + self.goods


def totals(fund_ids: Iterable[int]) -> dict[int, Totals]:
    out: dict[int, Totals] = {}
    for fund_id, code, balance in (LedgerAccount.objects.unscoped(reason="kpi: filtered by the region path")
                                   .filter(fund_id__in=list(fund_ids))
                                   .values_list("fund_id", "code", "balance")):
        t = out.setdefault(fund_id, Totals())
        if code == AccountCode.INCOME:
            t.raised = -balance
        else:
            setattr(t, code, balance)
    return out


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of a local day (periods are local calendar days)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def flows(fund_ids: list[int] | None, start: dt.date | None, end: dt.date) -> dict[int, dict[str, Decimal]]:
    """Per fund and account, debits minus credits of entries in [start, end) (local days)."""
    qs = LedgerPosting.objects.unscoped(reason="kpi: filtered by the region path").filter(entry__occurred_at__lt=day_start(end))
    if start is not None:
        qs = qs.filter(entry__occurred_at__gte=day_start(start))
    if fund_ids is not None:
        qs = qs.filter(account__fund_id__in=fund_ids)
    out: dict[int, dict[str, Decimal]] = {}
    for row in qs.values("account__fund_id", "account__code").annotate(
            d=Sum("debit"), c=Sum("credit")).order_by():
        out.setdefault(row["account__fund_id"], {})[row["account__code"]] = \
            (row["d"] or ZERO) - (row["c"] or ZERO)
    return out


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole <= 0 else (part / whole).quantize(Decimal("0.0001"))


def period_figures(fund: Fund, start: dt.date, end_inclusive: dt.date) -> dict[str, Any]:
    """The figures a disclosure publishes for [start, end_inclusive]."""
    end = end_inclusive + dt.timedelta(days=1)
    moved = flows([fund.pk], start, end).get(fund.pk, {})
    held = flows([fund.pk], None, end).get(fund.pk, {})
    start_at, end_at = day_start(start), day_start(end)
    donations = Donation.objects.unscoped(reason="kpi: filtered by the region path").filter(
        fund=fund, entry__occurred_at__gte=start_at, entry__occurred_at__lt=end_at).count()
    paid = Disbursement.objects.unscoped(reason="kpi: filtered by the region path").filter(
        fund=fund, category=DisbursementCategory.CHARITABLE,
        status=DisbursementStatus.PAID, paid_at__gte=start_at, paid_at__lt=end_at).aggregate(
        n=Count("pk"), people=Sum("beneficiary_count"))
    income = -moved.get(AccountCode.INCOME, ZERO)
    charitable = moved.get(AccountCode.CHARITABLE, ZERO)
    management = moved.get(AccountCode.MANAGEMENT, ZERO)
    return {
        "income": money(income), "charitable": money(charitable),
        "management": money(management),
        "cash_end": money(held.get(AccountCode.CASH, ZERO)),
        "goods_end": money(held.get(AccountCode.GOODS, ZERO)),
        "donations": donations, "disbursements": paid["n"] or 0,
        "beneficiaries": paid["people"] or 0,
    }


def annual_figures(fund: Fund, year: int) -> dict[str, Any]:
    """The year's figures plus the spending ratios against the local rules."""
    figures = period_figures(fund, dt.date(year, 1, 1), dt.date(year, 12, 31))
    last = flows([fund.pk], dt.date(year - 1, 1, 1), dt.date(year, 1, 1)).get(fund.pk, {})
    last_income = -last.get(AccountCode.INCOME, ZERO)
    charitable = Decimal(figures["charitable"])
    management = Decimal(figures["management"])
    spending = _ratio(charitable, last_income)
    mgmt = _ratio(management, charitable + management)
    minimum = Decimal(str(region_rules.value(rules.MIN_SPENDING_RATIO.key, fund.region_path)))
    maximum = Decimal(str(region_rules.value(rules.MAX_MANAGEMENT_RATIO.key, fund.region_path)))
    figures.update({
        "year": year, "last_year_income": money(last_income),
        "spending_ratio": None if spending is None else str(spending),
        "spending_ratio_min": str(minimum),
        "spending_ok": spending is None or spending >= minimum,
        "management_ratio": None if mgmt is None else str(mgmt),
        "management_ratio_max": str(maximum),
        "management_ok": mgmt is None or mgmt <= maximum,
    })
    return figures


# --- disclosure periods ---------------------------------------------------------------------

def period_months(fund: Fund) -> int:
    return int(region_rules.value(rules.DISCLOSURE_PERIOD_MONTHS.key, fund.region_path))


def period_of(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The period holding ``day``: calendar-year aligned blocks of ``months`` (the last one of
    a year is cut at 31 December)."""
    index = (day.month - 1) // months
    first_month = index * months + 1
    start = dt.date(day.year, first_month, 1)
    last_month = first_month + months
    end = (dt.date(day.year + 1, 1, 1) if last_month > 12
           else dt.date(day.year, last_month, 1)) - dt.timedelta(days=1)
    return start, end


def last_closed_period(months: int, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    start, _end = period_of(today, months)
    return period_of(start - dt.timedelta(days=1), months)

