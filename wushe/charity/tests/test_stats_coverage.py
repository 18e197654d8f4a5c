"""``wushe stats`` figures of the charity block, each against an independent query, and the
"no community fund" coverage check."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from wushe.charity import services
from wushe.charity.models import Disbursement, Fund, LedgerPosting, Receipt
from wushe.charity.stats import charity_figures
from wushe.charity.tests.conftest import seat_committee
from wushe.core.figures import collect_stats
from wushe.people.services import person_create
from wushe.regions.coverage import coverage
from wushe.regions.models import Region


def test_stats_match_independent_queries(funded, community_fund, admin, manager, street_staff,
                                         enterprise, individual, give, staff_a, community_a,
                                         district):
    give(community_fund, individual, "3000")
    give(funded, individual, "500")
    reversed_ = give(funded, enterprise, "700")
    services.donation_reverse(actor=admin, donation=reversed_, reason="录错")
    person = person_create(actor=staff_a, region=community_a, name="张三")
    for amount in ("100", "200"):  # the same person twice: one beneficiary
        d = services.disbursement_request(actor=admin, fund=funded, amount=amount,
                                          purpose="救助", beneficiary_kind="person", person=person)
        services.disbursement_approve(actor=manager, disbursement=d)
        services.disbursement_pay(actor=admin, disbursement=d)
    p = services.disbursement_request(actor=street_staff, fund=community_fund, amount="400",
                                      purpose="活动", beneficiary_kind="project", project_id=1,
                                      beneficiary_label="邻里节", beneficiary_count=40)
    services.disbursement_approve(actor=admin, disbursement=p)
    services.disbursement_pay(actor=street_staff, disbursement=p)
    m = services.disbursement_request(actor=admin, fund=funded, amount="50",
                                      category="management", beneficiary_kind="none",
                                      purpose="票据印制")
    services.disbursement_approve(actor=manager, disbursement=m)
    services.disbursement_pay(actor=admin, disbursement=m)

    figures = charity_figures(district.path)
    # `wushe stats` reads the KPI module: the same numbers, plus its breakdowns
    printed = collect_stats(district.path)
    assert {k: printed[k] for k in figures} == figures
    assert printed["charity.raised_yuan.community"] == 3000.0

    def ledger(code: str, side: str) -> float:
        agg = LedgerPosting.objects.unscoped().filter(account__code=code).aggregate(
            d=Sum("debit"), c=Sum("credit"))
        value = (agg["c"] or 0) - (agg["d"] or 0) if side == "credit" else \
            (agg["d"] or 0) - (agg["c"] or 0)
        return float(Decimal(value))

    established = Fund.objects.unscoped().exclude(status="draft")
    for kind in ("special", "community", "project"):
        assert figures[f"charity.funds.{kind}"] == established.filter(kind=kind).count()
    assert (figures["charity.funds.special"], figures["charity.funds.community"],
            figures["charity.funds.project"]) == (1, 1, 0)
    assert figures["charity.raised_yuan"] == ledger("income", "credit") == 13500.0
    assert figures["charity.disbursed_yuan"] == ledger("charitable", "debit") == 700.0
    # Beneficiaries, from the ledger's side: the paid entries' disbursements.
    paid = Disbursement.objects.unscoped().filter(
        entry__isnull=False, reversal_entry__isnull=True, category="charitable")
    persons = {d.person_id for d in paid if d.person_id}
    counted = sum(d.beneficiary_count for d in paid if not d.person_id)
    assert figures["charity.beneficiaries"] == len(persons) + counted == 1 + 40
    # Donors, from the receipts that stand (a reversed gift voids its receipt).
    standing = Receipt.objects.unscoped().filter(status="issued").select_related(
        "donation__donor")
    for kind in ("enterprise", "person"):
        donors = {r.donation.donor_id for r in standing if r.donation.donor.kind == kind}
        assert figures[f"charity.donors.{kind}"] == len(donors) == 1
    places = set(Region.objects.unscoped().filter(level__in=["street", "community"])
                 .values_list("pk", flat=True))
    funded_places = set(Fund.objects.unscoped().filter(kind="community", status="active")
                        .values_list("region_id", flat=True)) & places
    assert figures["charity.community_fund_coverage"] == round(len(funded_places) / len(places), 4)
    assert figures["charity.community_fund_coverage"] == 0.5  # the street has none


def test_stats_of_a_community_count_only_its_subtree(community_fund, funded, community_b,
                                                     community_a):
    a = charity_figures(community_a.path)
    assert a["charity.funds.community"] == 1 and a["charity.funds.special"] == 0
    assert a["charity.raised_yuan"] == 0.0 and a["charity.community_fund_coverage"] == 1.0
    b = charity_figures(community_b.path)
    assert b["charity.funds.community"] == 0 and b["charity.community_fund_coverage"] == 0.0


def test_draft_funds_are_not_counted(admin, district):
    services.fund_create(actor=admin, region=district, name="筹备", kind="project",
                         parent_org_name="区慈善会")
    assert charity_figures(district.path)["charity.funds.project"] == 0


def test_coverage_lists_streets_and_communities_without_a_fund(root, district, street,
                                                              community_a, community_b,
                                                              street_staff, admin):
    def missing() -> dict[str, list[str]]:
        return {r.check.code: [m.code for m in r.missing]
                for r in coverage(actor=admin, region=district)
                if r.check.code.endswith("community_fund")}

    assert missing() == {"street_without_community_fund": [street.code],
                         "community_without_community_fund": [community_a.code, community_b.code]}
    fund = services.fund_create(actor=street_staff, region=community_b, name="西郊阳光基金",
                                kind="community", parent_org_name="街道")
    assert missing()["community_without_community_fund"] == [community_a.code, community_b.code]
    seat_committee(street_staff, fund)
    services.fund_set_status(actor=admin, fund=fund, status="active")  # only an active fund counts
    assert missing()["community_without_community_fund"] == [community_a.code]
