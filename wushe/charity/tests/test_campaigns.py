"""Online fundraising campaigns: statements imported into donations on the ledger, re-import
adds nothing, reconciliation differences, anonymous donors never named, scope, hostile cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from wushe.audit.models import AuditEvent
from wushe.charity.models import (
    Campaign,
    CampaignTransaction,
    Donation,
    LedgerEntry,
    StatementImport,
)
from wushe.charity.services.campaigns import (
    StatementRejected,
    campaign_create,
    campaign_set_reported_total,
    statement_import,
)
from wushe.core.errors import NotFound, ValidationFailed

HEADER = ["交易号", "交易时间", "金额", "捐赠人", "同意公开姓名"]


def xlsx(rows: list[list[Any]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def day(n: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=n)


@pytest.fixture
def campaign(admin, special) -> Campaign:
    return campaign_create(actor=admin, fund=special, title="情暖夕阳·关爱独居老人",
                           platform="tencent", platform_ref="TC-2024-0501",
                           target_group="elderly", target="100000", starts_on=day(30),
                           ends_on=day(1), public_url="https://gongyi.qq.com/succor/detail.htm?id=1")


ROWS = [
    ["TX001", f"{day(20)} 10:30", "100.00", "张大爷的女儿", "是"],
    ["TX002", f"{day(19)} 11:00", 50, "李秘密", "否"],
    ["TX003", f"{day(18)} 09:00", "20.5", None, None],
]


def test_import_makes_donations_and_ledger_entries(admin, campaign):
    before = LedgerEntry.objects.unscoped().count()
    result = statement_import(actor=admin, campaign=campaign, source=xlsx(ROWS))
    assert (result.rows, result.added, result.already, result.refused) == (3, 3, 0, [])
    txns = CampaignTransaction.objects.unscoped().filter(campaign=campaign)
    assert sorted(t.txn_id for t in txns) == ["TX001", "TX002", "TX003"]
    donations = Donation.objects.unscoped().filter(campaign_transaction__campaign=campaign)
    assert sorted(d.amount for d in donations) == [Decimal("20.50"), Decimal("50.00"),
                                                   Decimal("100.00")]
    assert all(d.channel == "online" and d.entry_id for d in donations)
    assert LedgerEntry.objects.unscoped().count() == before + 3
    assert AuditEvent.objects.unscoped().filter(action="charity.campaign.statement_imported").count() == 1


def test_reimport_adds_nothing(admin, campaign):
    statement_import(actor=admin, campaign=campaign, source=xlsx(ROWS))
    entries = LedgerEntry.objects.unscoped().count()
    again = statement_import(actor=admin, campaign=campaign, source=xlsx(ROWS))
    assert (again.added, again.already, again.refused) == (0, 3, [])
    assert CampaignTransaction.objects.unscoped().filter(campaign=campaign).count() == 3
    assert LedgerEntry.objects.unscoped().count() == entries


def test_refused_transactions_are_listed_for_reconciliation(admin, campaign):
    statement_import(actor=admin, campaign=campaign, source=xlsx(ROWS[:1]))
    rows = [
        ["TX001", f"{day(20)} 10:30", "999", "x", "否"],       # already imported, other amount
        ["TX010", f"{day(10)} 10:00", "30", None, None],
        ["TX010", f"{day(10)} 10:05", "30", None, None],        # repeated in the file
        ["TX011", f"{day(9)} 10:00", "-30", None, None],        # refund
        ["TX012", f"{day(60)} 10:00", "40", None, None],        # before the campaign
    ]
    result = statement_import(actor=admin, campaign=campaign, source=xlsx(rows))
    assert result.added == 1
    assert [(r["txn_id"], r["reason"]) for r in result.refused] == [
        ("TX001", "duplicate"), ("TX010", "duplicate"), ("TX011", "negative"),
        ("TX012", "outside_dates")]
    assert result.statement_total == Decimal("1069")
    campaign_set_reported_total(actor=admin, campaign=campaign, total="200")
    c = Client()
    c.force_login(admin, backend="wushe.accounts.backends.LockoutBackend")
    page = c.get(f"/charity/campaigns/{campaign.pk}/reconcile").content.decode()
    assert "TX011" in page and "TX012" in page and "70.00" in page  # 200 reported - 130 raised


@pytest.mark.parametrize("cells", [
    ["TX100", "2024-05-01 10:00", "十元", None, None],            # amount not a number
    ["TX100", "2024-05-01 10:00", "1.234", None, None],           # fractions of a fen
    ["TX١٢٣", "2024-05-01 10:00", "10", None, None],              # Arabic-Indic digits in the id
    ["TX100", "2024-05-01 10:00", "١٠", None, None],              # Arabic-Indic digits in the amount
    ["TX\u200b100", "2024-05-01 10:00", "10", None, None],        # zero-width space in the id
    ["TX100", "2024-05-01 10:00", "10", "13912345678", "是"],    # a phone number as public name
    ["TX100", "昨天", "10", None, None],
    ["TX100", "2024-05-01 10:00", "10", None, "也许"],
])
def test_hostile_cells_refuse_the_whole_statement(admin, campaign, cells):
    entries = LedgerEntry.objects.unscoped().count()
    with pytest.raises(StatementRejected) as exc:
        statement_import(actor=admin, campaign=campaign, source=xlsx([ROWS[0], cells]))
    assert exc.value.rows and exc.value.rows[0].row == 3
    assert exc.value.as_dict()["message"]["zh"]
    assert not CampaignTransaction.objects.unscoped().exists()
    assert not StatementImport.objects.unscoped().exists()
    assert LedgerEntry.objects.unscoped().count() == entries


def test_anonymous_donors_are_never_named_on_the_public_page(admin, campaign):
    statement_import(actor=admin, campaign=campaign, source=xlsx(ROWS))
    page = Client().get(f"/charity/public/campaigns/{campaign.pk}/").content.decode()
    assert "张大爷的女儿" in page
    assert "李秘密" not in page
    assert "170.50" in page and "gongyi.qq.com" in page
    index = Client().get("/charity/public/").content.decode()
    assert campaign.title in index


def test_out_of_scope_is_not_found(campaign, make_user, community_a, street_staff):
    outsider = make_user("community_staff", community_a, "outsider_cmp")
    with pytest.raises(NotFound):
        statement_import(actor=outsider, campaign=campaign, source=xlsx(ROWS))
    c = Client()
    c.force_login(outsider, backend="wushe.accounts.backends.LockoutBackend")
    for url in [f"/charity/campaigns/{campaign.pk}/", f"/charity/campaigns/{campaign.pk}/reconcile",
                f"/charity/campaigns/{campaign.pk}/import"]:
        assert c.get(url).status_code == 404, url
    assert campaign.title not in c.get("/charity/campaigns/").content.decode()


def test_fund_manager_of_the_fund_sees_the_campaign(campaign, manager):
    c = Client()
    c.force_login(manager, backend="wushe.accounts.backends.LockoutBackend")
    assert c.get(f"/charity/campaigns/{campaign.pk}/").status_code == 200
    assert campaign.title in c.get("/charity/campaigns/").content.decode()


@pytest.mark.parametrize(("field", "value"), [
    ("platform", "wushe"), ("public_url", "https://evil.example/gongyi.qq.com"),
    ("public_url", "http://gongyi.qq.com/x"), ("platform_ref", "TC٠١"), ("target", "-5"),
    ("target_group", "everyone")])
def test_campaign_create_refuses_bad_input(admin, special, field, value):
    data = {"title": "t", "platform": "tencent", "platform_ref": "TC-1", "target_group": "minor",
            "target": "1000", "starts_on": day(5), "ends_on": day(1),
            "public_url": "https://gongyi.qq.com/x", field: value}
    with pytest.raises(ValidationFailed):
        campaign_create(actor=admin, fund=special, **data)
    assert not Campaign.objects.unscoped().exists()
