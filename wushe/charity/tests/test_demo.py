"""The charity step of the small demo district: the seed's funds, donors and magnitudes,
a ledger that verifies, a fund manager bound to its funds, work waiting for it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum

from wushe.accounts import scope
from wushe.accounts.models import User
from wushe.charity import demo_data, selectors
from wushe.charity.models import (
    Campaign,
    CampaignTransaction,
    Disbursement,
    Donation,
    Fund,
    LedgerAccount,
    Receipt,
)
from wushe.charity.stats import charity_figures
from wushe.charity.verify import verify
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.regions.models import Region


@pytest.mark.django_db
def test_small_demo_charity(tmp_path: Path) -> None:
    summary = build_demo(profile="small", seed=2026, out_dir=tmp_path)
    assert summary.steps["charity"]["funds"] >= 250
    with scopes_disabled():
        special = set(Fund.objects.filter(kind="special").values_list("name", flat=True))
        assert {"慈善纾困基金", "“渝之匠·儿童关爱”专项基金", "未成年人保护专项基金"} <= special
        assert len(special) == 5
        places = Region.objects.filter(level__in=["street", "community"]).count()
        assert Fund.objects.filter(kind="community", status="active").count() == places
        figures = charity_figures("500107")
        assert figures["charity.community_fund_coverage"] == 1.0
        # "已汇聚爱心企业资源85个": the enterprises that run community complexes donate their
        # reinvested profit to the community funds (wushe/complexes/demo.py) and are among the
        # 85; the charity step's own enterprise donors are the rest.
        from wushe.complexes.models import Complex

        operators = (Complex.objects.exclude(operator_donor=None)
                     .values("operator_donor").distinct().count())
        assert operators > 0
        giving = set(Donation.objects.filter(donor__kind="enterprise", status="received")
                     .values_list("donor_id", flat=True))
        assert set(Complex.objects.values_list("operator_donor", flat=True)) <= giving
        assert figures["charity.donors.enterprise"] == demo_data.ENTERPRISES
        # "2020年以来,累计募集资金5000余万元", the online campaigns included.
        assert 50_000_000 <= figures["charity.raised_yuan"] < 60_000_000
        campaigns = Campaign.objects.all()
        assert {c.target_group for c in campaigns} == {"elderly", "minor", "hardship"}
        assert min(c.starts_on.year for c in campaigns) == 2020
        online = CampaignTransaction.objects.aggregate(t=Sum("amount"))["t"]
        assert online == sum(c.reported_total for c in campaigns) == Decimal("3000000")
        assert not CampaignTransaction.objects.filter(donation__entry__isnull=True).exists()
        # Every balance stays at or above zero, and the chain verifies.
        assert not LedgerAccount.objects.filter(code__in=["cash", "goods"], balance__lt=0).exists()
        assert verify().ok
        # Receipt numbers: one per donation, consecutive within each year.
        assert Receipt.objects.count() == Donation.objects.count()
        for year in Receipt.objects.values_list("year", flat=True).distinct():
            seqs = sorted(Receipt.objects.filter(year=year).values_list("seq", flat=True))
            assert seqs == list(range(1, len(seqs) + 1))
        relief = Disbursement.objects.filter(fund__name="慈善纾困基金", beneficiary_kind="person",
                                             status="paid").count()
        assert relief >= 300
    manager = User.objects.get(username="fund_manager")
    relief_fund = Fund.objects.unscoped().get(name="慈善纾困基金")
    assert relief_fund.pk in scope.object_ids(manager, "fund", "charity.approve")
    waiting = selectors.disbursement_list(
        actor=manager, filters=selectors.DisbursementFilters(awaiting_me=True))
    assert waiting.count() >= 2
