"""Disclosures: periods from the local rule, figures from the ledger, spending ratios, anchors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from wushe.audit.models import AppendOnlyError
from wushe.charity import chain, figures, services
from wushe.charity.models import Disclosure, LedgerHead
from wushe.charity.verify import verify
from wushe.core.errors import Conflict, ValidationFailed
from wushe.regions.services import rule_set


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def book(fund, day: dt.date, kind: str, amount: str) -> None:
    """Generated past entries (the services always post at the present moment)."""
    value = Decimal(amount)
    lines = {"income": (chain.Line(fund.pk, "cash", debit=value),
                        chain.Line(fund.pk, "income", credit=value)),
             "charitable": (chain.Line(fund.pk, "charitable", debit=value),
                            chain.Line(fund.pk, "cash", credit=value)),
             "management": (chain.Line(fund.pk, "management", debit=value),
                            chain.Line(fund.pk, "cash", credit=value))}[kind]
    chain.append_many([chain.BulkEntry(fund.pk, fund.region_path, "donation" if kind == "income"
                                       else "disbursement", f"test:{kind}", "", at(day), lines)])


@pytest.fixture
def history(special):
    year = timezone.localdate().year
    book(special, dt.date(year - 2, 6, 1), "income", "100000")
    book(special, dt.date(year - 1, 2, 10), "income", "50000")
    book(special, dt.date(year - 1, 3, 5), "charitable", "60000")
    book(special, dt.date(year - 1, 8, 5), "charitable", "15000")
    book(special, dt.date(year - 1, 9, 1), "management", "9000")
    return special


def test_period_of_is_calendar_aligned():
    assert figures.period_of(dt.date(2025, 5, 17), 3) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert figures.period_of(dt.date(2025, 12, 31), 3) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert figures.period_of(dt.date(2025, 2, 1), 1) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert figures.last_closed_period(3, dt.date(2025, 1, 15)) == (dt.date(2024, 10, 1),
                                                                   dt.date(2024, 12, 31))


def test_annual_report_with_ratios(history, admin):
    year = timezone.localdate().year - 1
    r = services.disclosure_publish(actor=admin, fund=history, kind="annual",
                                    period_start=f"{year}-01-01")
    f = r.figures
    assert f["income"] == "50000.00" and f["charitable"] == "75000.00"
    assert f["management"] == "9000.00" and f["last_year_income"] == "100000.00"
    assert f["spending_ratio"] == "0.7500" and f["spending_ok"] is True
    assert f["management_ratio"] == "0.1071" and f["management_ok"] is False  # above 10 %
    assert f["cash_end"] == str(Decimal("66000.00"))
    head = LedgerHead.objects.get()
    assert (r.anchor_seq, r.anchor_hash) == (head.seq, head.hash)


def test_ratio_thresholds_are_local_rules(history, admin, root, district):
    rule_set(actor=root, region=district, key="charity.max_management_cost_ratio", raw="0.12")
    rule_set(actor=root, region=district, key="charity.min_charitable_spending_ratio", raw="0.8")
    f = figures.annual_figures(history, timezone.localdate().year - 1)
    assert f["management_ok"] is True and f["spending_ok"] is False


def test_periodic_report_follows_the_rule(history, admin, root, district):
    year = timezone.localdate().year - 1
    r = services.disclosure_publish(actor=admin, fund=history, kind="periodic",
                                    period_start=f"{year}-01-01")
    assert r.period_end == dt.date(year, 3, 31)
    assert r.figures["income"] == "50000.00" and r.figures["charitable"] == "60000.00"
    with pytest.raises(ValidationFailed):  # not a quarter's start
        services.disclosure_publish(actor=admin, fund=history, kind="periodic",
                                    period_start=f"{year}-02-01")
    with pytest.raises(Conflict):
        services.disclosure_publish(actor=admin, fund=history, kind="periodic",
                                    period_start=f"{year}-01-01")
    rule_set(actor=root, region=district, key="charity.disclosure_period_months", raw="1")
    monthly = services.disclosure_publish(actor=admin, fund=history, kind="periodic",
                                          period_start=f"{year}-02-01")
    assert monthly.period_end == dt.date(year, 2, 28) or monthly.period_end == dt.date(year, 2, 29)


def test_open_period_cannot_be_published(special, admin):
    start, _end = figures.period_of(timezone.localdate(), 3)
    with pytest.raises(ValidationFailed) as exc:
        services.disclosure_publish(actor=admin, fund=special, kind="periodic",
                                    period_start=start)
    assert exc.value.code == "period_open"


def test_published_reports_are_frozen_and_anchor_the_chain(history, admin):
    year = timezone.localdate().year - 1
    r = services.disclosure_publish(actor=admin, fund=history, kind="annual",
                                    period_start=f"{year}-01-01")
    r.figures = {}
    with pytest.raises(AppendOnlyError):
        r.save()
    assert verify().ok
    # A rewritten chain no longer matches what the public saw.
    Disclosure.objects.unscoped().filter(pk=r.pk)  # (the row itself is append-only)
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER charity_disclosure_no_update")
        else:
            cur.execute("DROP TRIGGER charity_disclosure_append_only ON charity_disclosure")
        cur.execute("UPDATE charity_disclosure SET anchor_hash = %s", ["f" * 64])
    assert [p.code for p in verify().problems] == ["anchor"]


def test_manager_publishes_for_its_fund_only(history, manager, community_fund):
    year = timezone.localdate().year - 1
    services.disclosure_publish(actor=manager, fund=history, kind="annual",
                                period_start=f"{year}-01-01")
    with pytest.raises(Exception) as exc:
        services.disclosure_publish(actor=manager, fund=community_fund, kind="annual",
                                    period_start=f"{year}-01-01")
    assert exc.value.status == 403
