"""Every charity write leaves its audit event in the same transaction; a fund manager of one
area cannot read, change or even confirm another area's fund and its money (404)."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.accounts.services import grant_add
from wushe.audit.models import AuditEvent
from wushe.charity import selectors, services
from wushe.charity.models import Disbursement, Donation
from wushe.charity.tests.conftest import key, seat_committee
from wushe.charity.tests.test_views_charity import client_for
from wushe.core.errors import NotFound


def actions() -> list[str]:
    return list(AuditEvent.objects.unscoped().filter(action__startswith="charity.")
                .order_by("id").values_list("action", flat=True))


def test_each_service_write_records_its_event(admin, manager, district, street_staff,
                                              community_a, enterprise):
    before = len(actions())
    fund = services.fund_create(actor=admin, region=district, name="审计测试基金", kind="project",
                                parent_org_name="区慈善会")
    services.fund_update(actor=admin, fund=fund, purpose="新用途")
    services.fund_set_status(actor=admin, fund=fund, status="active")
    donor = services.donor_create(actor=admin, region=district, kind="person", name="李四",
                                  phone="13800001111")
    services.donor_unmask(actor=admin, donor=donor, purpose="寄送票据")
    d = services.donation_receive(actor=admin, fund=fund, donor=donor, kind="cash",
                                  amount="5000", idempotency_key_value=key())
    services.receipt_pdf(actor=admin, donation=d)
    r = services.disbursement_request(actor=admin, fund=fund, amount="100", purpose="慰问",
                                      beneficiary_kind="project", beneficiary_label="慰问活动")
    grant_add(actor=None, user=manager, role="fund_manager", region=district, fund=fund)
    services.disbursement_approve(actor=manager, disbursement=r)
    services.disbursement_pay(actor=admin, disbursement=r)
    services.disbursement_reverse(actor=admin, disbursement=r, reason="退回")
    r2 = services.disbursement_request(actor=admin, fund=fund, amount="50", purpose="慰问",
                                       beneficiary_kind="project", beneficiary_label="慰问活动")
    services.disbursement_reject(actor=manager, disbursement=r2, reason="材料不全")
    r3 = services.disbursement_request(actor=admin, fund=fund, amount="50", purpose="慰问",
                                       beneficiary_kind="project", beneficiary_label="慰问活动")
    services.disbursement_cancel(actor=admin, disbursement=r3, reason="重复")
    services.donation_reverse(actor=admin, donation=d, reason="退款")
    community = services.fund_create(actor=street_staff, region=community_a, name="社区基金",
                                     kind="community", parent_org_name="街道")
    seat_committee(street_staff, community, n=5)
    member = community.committee.unscoped().first()
    services.committee_member_remove(actor=street_staff, member=member)
    services.donations_export(actor=admin)
    services.disbursements_export(actor=admin)
    year = dt.date.today().year - 1
    services.disclosure_publish(actor=admin, fund=fund, kind="annual", period_start=f"{year}-01-01")
    got = actions()[before:]
    assert got == [
        "charity.fund.created", "charity.fund.updated", "charity.fund.status_changed",
        "charity.donor.created", "charity.donor.unmasked", "charity.donation.received",
        "charity.receipt.printed", "charity.disbursement.requested",
        "charity.disbursement.approved", "charity.disbursement.paid",
        "charity.disbursement.reversed", "charity.disbursement.requested",
        "charity.disbursement.rejected", "charity.disbursement.requested",
        "charity.disbursement.cancelled", "charity.donation.reversed", "charity.fund.created",
        *["charity.committee.member_added"] * 5, "charity.committee.member_removed",
        "charity.donation.exported", "charity.disbursement.exported",
        "charity.disclosure.published",
    ]
    assert all(e.region_path for e in AuditEvent.objects.unscoped().filter(
        action__startswith="charity.").exclude(action__endswith="exported"))


@pytest.fixture
def outsider(make_user, community_b, street_staff):
    """A fund manager of the neighbouring community, bound to that community's fund."""
    fund = services.fund_create(actor=street_staff, region=community_b, name="西郊阳光基金",
                                kind="community", parent_org_name="街道")
    user = make_user("fund_manager", community_b, "manager_b")
    grant_add(actor=None, user=user, role="fund_manager", region=community_b, fund=fund)
    return user


def test_other_area_fund_is_not_found_for_a_fund_manager(community_fund, outsider, enterprise,
                                                          give, street_staff, admin):
    give(community_fund, enterprise, "2000")
    d = services.disbursement_request(actor=street_staff, fund=community_fund, amount="300",
                                      purpose="活动", beneficiary_kind="project",
                                      beneficiary_label="邻里节")
    donation = Donation.objects.unscoped().get(fund=community_fund)
    with pytest.raises(NotFound):
        selectors.fund_get(actor=outsider, fund_id=community_fund.pk)
    with pytest.raises(NotFound):
        services.disbursement_approve(actor=outsider, disbursement=d)
    c = client_for(outsider)
    for url in [f"/charity/funds/{community_fund.pk}/", f"/charity/funds/{community_fund.pk}/ledger",
                f"/charity/donations/{donation.pk}/", f"/charity/disbursements/{d.pk}/",
                f"/charity/donations/{donation.pk}/receipt.pdf",
                f"/api/v1/charity/funds/{community_fund.pk}",
                f"/api/v1/charity/donations/{donation.pk}",
                f"/api/v1/charity/disbursements/{d.pk}",
                f"/api/v1/charity/funds/{community_fund.pk}/entries"]:
        assert c.get(url).status_code == 404, url
    assert c.post(f"/charity/disbursements/{d.pk}/approve", {}).status_code == 404
    assert c.post(f"/api/v1/charity/disbursements/{d.pk}/approve", {},
                  content_type="application/json").status_code == 404
    assert Disbursement.objects.unscoped().get(pk=d.pk).status == "requested"
    listed = c.get("/api/v1/charity/donations").json()
    assert listed["count"] == 0
    # A missing id answers exactly the same.
    assert c.get("/api/v1/charity/funds/999999").json() == \
        c.get(f"/api/v1/charity/funds/{community_fund.pk}").json()
