"""Generated history of the charity demo: donations since 2020, spending that keeps the
70 % rule, goods handed out, all in time order; written in bulk with their receipts and the
hash-chained ledger entries ``chain.append_many`` computes exactly as the services would."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from wushe.charity import chain, demo_data, receipts
from wushe.charity.models import (
    Disbursement,
    DisbursementApproval,
    Donation,
    Donor,
    Fund,
    LedgerHead,
    Receipt,
    ReceiptCounter,
)


@dataclass
class Event:
    at: dt.datetime
    fund: Fund
    kind: str  # "donation" or "disbursement"
    data: dict[str, Any] = field(default_factory=dict)


def _when(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8 + rng.randrange(10),
                                                                rng.randrange(60))))


def _split(total: Decimal, weights: list[float], unit: int = 1) -> list[Decimal]:
    """Whole-``unit`` amounts proportional to weights, summing to about ``total``."""
    whole = sum(weights) or 1.0
    return [Decimal(max(unit, round(float(total) * w / whole / unit) * unit)) for w in weights]


def donation_events(rng: random.Random, funds: list[Fund], shares: list[float], donors: list[Donor],
               count: int, raised: Decimal, start: dt.date, end: dt.date) -> list[Event]:
    enterprises = [d for d in donors if d.kind == "enterprise"]
    people = [d for d in donors if d.kind == "person"]
    events = []
    for _ in range(count):
        fund = rng.choices(funds, weights=shares)[0]
        big = rng.random() < 0.3
        donor = rng.choice(enterprises if big else people)
        weight = rng.choice((2, 5, 10, 20, 50, 100)) if big else rng.choice((0.05, 0.1, 0.2, 0.5, 1))
        data: dict[str, Any] = {"donor": donor, "weight": weight, "kind": "cash",
                                "channel": rng.choice(("bank", "online", "online", "cash"))}
        if big and rng.random() < 0.08:
            item, measure, basis = rng.choice(demo_data.ITEMS)
            data.update(kind="in_kind", channel="goods", goods=item, basis=basis, unit=measure)
        events.append(Event(_when(rng, start, end), fund, "donation", data))
    step_yuan = 100 if count < 2000 else 10
    for e, amount in zip(events, _split(raised, [e.data["weight"] for e in events], step_yuan),
                         strict=True):
        e.data["amount"] = amount
        if e.data["kind"] == "in_kind":
            e.data["quantity"] = f"{max(1, int(amount) // 150)}{e.data['unit']}"
    return events


def income_by_year(events: Iterable[Event]) -> dict[tuple[int, int], Decimal]:
    out: dict[tuple[int, int], Decimal] = {}
    for e in events:
        if e.kind == "donation":
            key = (e.fund.pk, timezone.localtime(e.at).year)
            out[key] = out.get(key, Decimal(0)) + e.data["amount"]
    return out


def _spending(rng: random.Random, fund: Fund, income: dict[tuple[int, int], Decimal],
              start: dt.date, end: dt.date) -> list[tuple[int, Decimal]]:
    """(year, charitable spending target): 75–92 % of the year before's income (the 70 %
    rule), half of the first year's; the running year pro rata."""
    out = []
    for year in range(start.year, end.year + 1):
        base = income.get((fund.pk, year - 1))
        target = (base * Decimal(str(rng.uniform(0.75, 0.92))) if base
                  else income.get((fund.pk, year), Decimal(0)) * Decimal("0.5"))
        if year == end.year:
            target *= Decimal(end.timetuple().tm_yday) / Decimal(365)
        out.append((year, target.quantize(Decimal(1))))
    return out


def spending_events(rng: random.Random, fund: Fund, spec: demo_data.FundSpec | None,
                   income: dict[tuple[int, int], Decimal], start: dt.date, end: dt.date,
                   persons: list[tuple[int, int]], services: int, people: int) -> list[Event]:
    """A fund's charitable spending, year by year, plus its management costs. A community
    fund spends on ``services`` activities reaching about ``people`` residents each."""
    events: list[Event] = []
    plan = _spending(rng, fund, income, start, end)
    total = sum((t for _y, t in plan), Decimal(0)) or Decimal(1)
    helped = list(persons)
    for year, target in plan:
        y_start, y_end = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        if target <= 0 or y_start > y_end:
            continue
        spent = Decimal(0)
        if spec and spec.persons and helped:
            n, low, high, _minors = spec.persons
            for _ in range(round(n * float(target / total))):
                if not helped:
                    break
                pk, region_id = helped.pop()
                amount = Decimal(rng.randrange(low // 100, high // 100 + 1) * 100)
                events.append(Event(_when(rng, y_start, y_end), fund, "disbursement", {
                    "amount": amount, "kind": "person", "person": pk, "region": region_id,
                    "purpose": rng.choice(spec.categories) if spec else "救助",
                    "aim": demo_data.PERSON_AIMS.get(spec.name, "other")}))
                spent += amount
        if spec is None:  # community fund: its services this year, with the people reached
            n = max(1, round(services * float(target / total)))
            counts = [max(1, round(people * rng.uniform(0.3, 1.7))) for _ in range(n)]
            for amount, count in zip(_split(target, [rng.uniform(0.5, 1.5) for _ in range(n)]),
                                     counts, strict=True):
                events.append(Event(_when(rng, y_start, y_end), fund, "disbursement", {
                    "amount": amount, "kind": "project", "count": count,
                    "aim": demo_data.COMMUNITY_AIM, "label": rng.choice(("邻里守望互助活动", "社区助老餐桌", "四点半课堂",
                                         "困难家庭节日慰问", "楼栋微更新", "社区志愿服务"))}))
            continue
        while spent < target:
            amount = min(Decimal(rng.randrange(50, 480) * 100), target - spent + 100)
            events.append(Event(_when(rng, y_start, y_end), fund, "disbursement", {
                "amount": amount, "kind": "project", "count": rng.randrange(3, 40),
                "label": rng.choice(spec.project_labels)}))
            spent += amount
        for _ in range(2):  # management costs: a few percent of the spending
            amount = (target * Decimal(str(rng.uniform(0.01, 0.025)))).quantize(Decimal(1))
            if amount > 0:
                events.append(Event(_when(rng, y_start, y_end), fund, "disbursement", {
                    "amount": amount, "kind": "management"}))
    return events


def goods_handed_out(rng: random.Random, events: list[Event], end: dt.date) -> list[Event]:
    """Donated goods are handed out within two months (a goods disbursement)."""
    out = []
    for e in events:
        if e.kind == "donation" and e.data["kind"] == "in_kind":
            at = min(e.at + dt.timedelta(days=rng.randrange(3, 60)),
                     timezone.make_aware(dt.datetime.combine(end, dt.time(17))))
            out.append(Event(at, e.fund, "disbursement", {
                "amount": e.data["amount"], "kind": "project", "source": "goods",
                "count": rng.randrange(20, 200), "label": f"{e.data['goods']}发放"}))
    return out


def feasible(events: list[Event]) -> list[Event]:
    """Chronological; a payment that the balance at its moment cannot cover is dropped."""
    held: dict[tuple[int, str], Decimal] = {}
    kept = []
    for e in sorted(events, key=lambda e: (e.at, e.kind != "donation")):
        if e.kind == "donation":
            key = (e.fund.pk, "cash" if e.data["kind"] == "cash" else "goods")
            held[key] = held.get(key, Decimal(0)) + e.data["amount"]
        else:
            key = (e.fund.pk, e.data.get("source", "cash"))
            if held.get(key, Decimal(0)) < e.data["amount"]:
                continue
            held[key] -= e.data["amount"]
        kept.append(e)
    return kept


def write_history(events: list[Event], requester_of: dict[int, Any], approver: Any) -> dict[str, int]:
    """Donations, receipts, disbursements and approvals in bulk; then their ledger entries."""
    donations = [e for e in events if e.kind == "donation"]
    payouts = [e for e in events if e.kind == "disbursement"]
    rows = []
    for n, e in enumerate(donations):
        d = e.data
        rows.append(Donation(
            fund=e.fund, donor=d["donor"], kind=d["kind"], channel=d["channel"],
            amount=d["amount"], goods_description=d.get("goods", ""),
            goods_quantity=d.get("quantity", ""), valuation_basis=d.get("basis", ""),
            received_on=timezone.localtime(e.at).date(), idempotency_key=f"demo-donation-{n:07d}",
            region_path=e.fund.region_path))
    Donation.objects.bulk_create(rows, batch_size=2000)
    outs = []
    for e in payouts:
        d = e.data
        kind = d["kind"]
        outs.append(Disbursement(
            fund=e.fund, category="management" if kind == "management" else "charitable",
            source=d.get("source", "cash"), amount=d["amount"],
            purpose={"person": d.get("purpose", ""), "management": "票据印制、审计等管理费用"}.get(
                kind, d.get("label", "")),
            beneficiary_kind={"management": "none"}.get(kind, kind),
            person_id=d.get("person"), beneficiary_region_id=d.get("region"),
            beneficiary_label=d.get("label", ""),
            beneficiary_count={"person": 1, "management": 0}.get(kind, d.get("count", 1)),
            aim=d.get("aim", "other"), status="paid", approvals_required=1, requested_by=requester_of[e.fund.pk],
            requested_at=e.at - dt.timedelta(days=2), approved_at=e.at - dt.timedelta(days=1),
            paid_at=e.at, paid_by=requester_of[e.fund.pk], region_path=e.fund.region_path))
    Disbursement.objects.bulk_create(outs, batch_size=2000)
    DisbursementApproval.objects.bulk_create([
        DisbursementApproval(disbursement=o, approver=approver, decision="approve",
                             at=e.at - dt.timedelta(days=1))
        for e, o in zip(payouts, outs, strict=True)], batch_size=2000)
    by_event: dict[int, Any] = {id(e): row for e, row in zip(donations, rows, strict=True)}
    by_event.update((id(e), row) for e, row in zip(payouts, outs, strict=True))
    head = LedgerHead.objects.get(pk=1).seq
    entries = []
    links: dict[str, list[tuple[int, int]]] = {"donation": [], "disbursement": []}
    for i, e in enumerate(events):
        row = by_event[id(e)]
        f, amount = e.fund.pk, e.data["amount"]
        if e.kind == "donation":
            debit = "cash" if e.data["kind"] == "cash" else "goods"
            lines = (chain.Line(f, debit, debit=amount), chain.Line(f, "income", credit=amount))
            memo = f"{row.donor.public_name} 捐赠"
        else:
            expense = "management" if e.data["kind"] == "management" else "charitable"
            lines = (chain.Line(f, expense, debit=amount),
                     chain.Line(f, e.data.get("source", "cash"), credit=amount))
            memo = str(row.get_category_display())
        entries.append(chain.BulkEntry(f, e.fund.region_path, e.kind, f"{e.kind}:{row.pk}", memo,
                                       e.at, lines))
        links[e.kind].append((head + i + 1, row.pk))
    chain.append_many(entries)
    with connection.cursor() as cur:
        for kind, table in (("donation", Donation), ("disbursement", Disbursement)):
            cur.executemany(f"UPDATE {table._meta.db_table} SET entry_id = %s WHERE id = %s",  # noqa: S608
                            links[kind])
    _receipts(donations, rows)
    return {"donations": len(rows), "disbursements": len(outs), "entries": len(entries)}


def _receipts(events: list[Event], rows: list[Donation]) -> None:
    counters: dict[int, int] = dict(ReceiptCounter.objects.values_list("year", "last"))
    out = []
    for e, d in zip(events, rows, strict=True):
        year = timezone.localtime(e.at).year
        counters[year] = counters.get(year, 0) + 1
        donor, fund = e.data["donor"], e.fund
        out.append(Receipt(
            donation=d, year=year, seq=counters[year], number=f"{year}{counters[year]:08d}",
            issued_at=e.at, donor_name=donor.name, item=fund.name if d.kind == "cash"
            else f"{fund.name}·{d.goods_description}", kind=d.kind, quantity=d.goods_quantity,
            donor_code=donor.credit_code or "", amount=d.amount,
            amount_in_words=receipts.amount_in_words(d.amount), recipient=fund.parent_org_name,
            issuer="区慈善会财务", region_path=d.region_path))
    Receipt.objects.bulk_create(out, batch_size=2000)
    for year, last in counters.items():
        ReceiptCounter.objects.update_or_create(year=year, defaults={"last": last})
