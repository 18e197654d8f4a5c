"""The organisation and fund providers: candidates from the other societies, with reasons."""

from __future__ import annotations

from decimal import Decimal

from wushe.charity.linkage import FundProvider
from wushe.needs.linkage import PROVIDERS
from wushe.orgs.linkage import OrganisationProvider


class FakeNeed:
    def __init__(self, path: str, category: str = "counselling", group: str = "elderly"):
        self.region_path, self.category, self.target_group = path, category, group


def test_providers_are_registered():
    assert isinstance(PROVIDERS["organisation"], OrganisationProvider)
    assert isinstance(PROVIDERS["fund"], FundProvider)


def test_organisations_ranked_by_place_and_fit(root, street, community_a, community_b):
    from wushe.orgs.models import SocialOrganization

    def org(name, region, category):
        return SocialOrganization.objects.create(
            name=name, region=region, region_path=region.path, category=category,
            status="filed")

    near = org("杨坪心理服务社", community_a, "social_work")
    org("街道环保协会", street, "governance")
    org("西郊社区服务社", community_b, "social_work")  # another community: not a candidate
    found = OrganisationProvider().suggest(FakeNeed(community_a.path), limit=10)
    assert [c.label for c in found] == ["杨坪心理服务社", "街道环保协会"]
    assert found[0].object_id == str(near.pk)
    assert {p.code for p in found[0].parts} == {"near", "fit"}
    assert all(p.zh and p.en for c in found for p in c.parts)


def test_funds_need_balance_and_eligibility(root, street, community_a):
    from wushe.charity.models import Fund
    from wushe.charity.models.ledger import LedgerAccount

    def fund(name, region, balance, **kw):
        f = Fund.objects.create(name=name, region=region, region_path=region.path,
                                kind="community", status="active", parent_org_name="慈善会",
                                second_approval_above=Decimal("20000"),
                                created_by=root, **kw)
        LedgerAccount.objects.create(fund=f, code="cash", balance=Decimal(balance),
                                     region_path=region.path)
        return f

    fund("杨坪阳光基金", community_a, "5000")
    fund("空基金", community_a, "0")
    fund("助学基金", street, "90000", target_groups=["minor"])
    fund("街道阳光基金", street, "100000")
    found = FundProvider().suggest(FakeNeed(community_a.path), limit=10)
    assert [c.label for c in found] == ["街道阳光基金", "杨坪阳光基金"]
    assert found[1].parts[0].code == "near" and found[1].parts[0].points == 40


def test_fund_charter_wording_covers_need_categories():
    from wushe.charity.linkage import covers_category

    assert covers_category(["助老服务", "助餐"], "elderly_care")
    assert covers_category(["临时救助"], "temporary_relief")
    assert covers_category(["legal_aid"], "legal_aid")
    assert not covers_category(["助学"], "elderly_care")
