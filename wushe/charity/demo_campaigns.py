"""Online fundraising campaigns of the demo district (上线筹款): campaigns for 一老、一小、一困
on designated platforms every 99公益日 since 2020, with their platform transactions reconciled
into donations on the ledger (bulk, like the rest of the charity history).

Seed text: "2020年以来,累计募集资金5000余万元". The charity step already raises 5020万元 for
the district funds and 308万元 for the community funds; the campaigns add ``RAISED`` on top,
so the district's cumulative raised figure stays in 5000-5999万元 at every profile."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from wushe.charity import chain, receipts
from wushe.charity.models import (
    Campaign,
    CampaignTransaction,
    Donation,
    Donor,
    Fund,
    LedgerHead,
    Receipt,
    ReceiptCounter,
    StatementImport,
)
from wushe.demo.steps import DemoContext, step

RAISED = Decimal("3000000")  # 300万元 in all, on top of the charity step's 5328万元
PROJECT_FUND = "“一老一小一困”网络募捐项目"
# Transactions per profile (the money is the same at every size, as in the charity step).
SIZES = {"small": 300, "seed": 3000, "city": 30000}
GROUPS = (("elderly", "tencent", "情暖夕阳·关爱空巢老人"),
          ("minor", "alipay", "护苗成长·困境儿童关爱"),
          ("hardship", "shuidi", "山城暖心·困难群众帮扶"))
URLS = {"tencent": "https://gongyi.qq.com/succor/detail.htm?id={ref}",
        "alipay": "https://love.alipay.com/donate/itemDetail.htm?name={ref}",
        "shuidi": "https://www.shuidi.com/gongyi/project/{ref}"}
NICKNAMES = ("爱心网友", "山城小雨", "嘉陵江畔", "一路阳光", "九龙坡居民", "小橘子", "晨跑的人",
             "蓝天白云", "老李家", "向日葵")


def _split(total: Decimal, n: int, rng: random.Random) -> list[Decimal]:
    weights = [rng.paretovariate(1.6) for _ in range(n)]
    scale = total / Decimal(str(sum(weights)))
    parts = [max(Decimal("1.00"), (Decimal(str(w)) * scale).quantize(Decimal("0.01")))
             for w in weights]
    parts[-1] += total - sum(parts)
    if parts[-1] <= 0:  # the rounding fell on a tiny last share: take it from the largest
        i = parts.index(max(parts))
        parts[i] += parts[-1] - Decimal("1.00")
        parts[-1] = Decimal("1.00")
    return parts


def _receipts(rows: list[tuple[Campaign, str, dt.datetime, Decimal, str, bool]],
              donations: list[Donation], fund: Fund) -> None:
    """Receipts (公益事业捐赠票据) of the platform donations, numbered after the year's last."""
    counters: dict[int, int] = dict(ReceiptCounter.objects.values_list("year", "last"))
    out = []
    for (c, _txn, at, amount, _name, _named), d in zip(rows, donations, strict=True):
        year = timezone.localtime(at).year
        counters[year] = counters.get(year, 0) + 1
        out.append(Receipt(
            donation=d, year=year, seq=counters[year], number=f"{year}{counters[year]:08d}",
            issued_at=at, donor_name=c.donor.name, item=fund.name, kind="cash",
            amount=amount, amount_in_words=receipts.amount_in_words(amount),
            recipient=fund.parent_org_name, issuer="区慈善会财务", region_path=d.region_path))
    Receipt.objects.bulk_create(out, batch_size=2000)
    for year, last in counters.items():
        ReceiptCounter.objects.update_or_create(year=year, defaults={"last": last})


@step("charity_campaigns", order=51)
def build(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("charity_campaigns")
    shared = ctx.shared.get("charity", {}).get("funds", {})
    if PROJECT_FUND not in shared:
        return {"campaigns": 0}
    fund = Fund.objects.unscoped(reason="demo: builds the whole district").get(pk=shared[PROJECT_FUND])
    end = timezone.localdate() - dt.timedelta(days=1)
    specs = [(year, group, platform, title)
             for year in range(2020, end.year + 1) for group, platform, title in GROUPS
             if dt.date(year, 9, 30) <= end]
    if not specs:
        return {"campaigns": 0}
    weights = [rng.uniform(0.7, 1.3) * (1 + 0.15 * (year - 2020)) for year, *_ in specs]
    totals = _split(RAISED, len(specs), random.Random(rng.random()))
    totals = sorted(totals)  # later years raise more
    order = sorted(range(len(specs)), key=lambda i: weights[i])
    raised = {i: totals[rank] for rank, i in enumerate(order)}
    donors = [Donor(kind="person", name=f"{('腾讯公益', '支付宝公益', '水滴公益')[i % 3]}网友",
                    anonymous=True, region_id=fund.region_id, region_path=fund.region_path,
                    note="上线筹款") for i in range(len(specs))]
    Donor.objects.bulk_create(donors)
    campaigns = []
    for i, (year, group, platform, title) in enumerate(specs):
        ref = f"{platform[:2].upper()}{year}{i:04d}"
        total = raised[i]
        campaigns.append(Campaign(
            fund=fund, title=f"{year}年99公益日·{title}", platform=platform, platform_ref=ref,
            target_group=group, target=(total * Decimal("1.2") / 10000).quantize(Decimal(1)) * 10000 + 10000,
            starts_on=dt.date(year, 9, 1), ends_on=dt.date(year, 9, 30),
            public_url=URLS[platform].format(ref=ref), reported_total=total,
            donor=donors[i], region_path=fund.region_path))
    Campaign.objects.bulk_create(campaigns)
    n = SIZES.get(ctx.profile.name, SIZES["seed"])
    per = [max(1, round(n * float(raised[i] / RAISED))) for i in range(len(specs))]
    rows: list[tuple[Campaign, str, dt.datetime, Decimal, str, bool]] = []
    for i, c in enumerate(campaigns):
        for k, amount in enumerate(_split(raised[i], per[i], rng)):
            at = timezone.make_aware(dt.datetime.combine(
                c.starts_on + dt.timedelta(days=min(29, int(rng.expovariate(0.4)))),
                dt.time(rng.randrange(7, 23), rng.randrange(60))))
            named = rng.random() < 0.3
            rows.append((c, f"T{c.platform_ref}{k:06d}", at, amount,
                         rng.choice(NICKNAMES) if named else "", named))
    donations = [Donation(fund=fund, donor=c.donor, kind="cash", channel="online", amount=amount,
                          received_on=timezone.localtime(at).date(), note=f"{c.platform} {txn}",
                          idempotency_key=f"cmp{c.pk}:{txn}", region_path=fund.region_path)
                 for c, txn, at, amount, _name, _named in rows]
    Donation.objects.bulk_create(donations, batch_size=2000)
    head = LedgerHead.objects.get(pk=1).seq
    entries, links = [], []
    for k, ((_c, _txn, at, amount, _name, _named), d) in enumerate(zip(rows, donations, strict=True)):
        entries.append(chain.BulkEntry(fund.pk, fund.region_path, "donation", f"donation:{d.pk}",
                                       "爱心网友 捐赠", at,
                                       (chain.Line(fund.pk, "cash", debit=amount),
                                        chain.Line(fund.pk, "income", credit=amount))))
        links.append((head + k + 1, d.pk))
    chain.append_many(entries)
    with connection.cursor() as cur:
        cur.executemany(f"UPDATE {Donation._meta.db_table} SET entry_id = %s WHERE id = %s",  # noqa: S608
                        links)
    CampaignTransaction.objects.bulk_create([
        CampaignTransaction(campaign=c, txn_id=txn, occurred_at=at, amount=amount,
                            display_name=name, named=named, donation=d,
                            region_path=fund.region_path)
        for (c, txn, at, amount, name, named), d in zip(rows, donations, strict=True)],
        batch_size=2000)
    _receipts(rows, donations, fund)
    StatementImport.objects.bulk_create([
        StatementImport(campaign=c, rows=per[i], added=per[i], statement_total=raised[i],
                        region_path=fund.region_path) for i, c in enumerate(campaigns)])
    return {"campaigns": len(campaigns), "campaign_donations": len(donations)}
