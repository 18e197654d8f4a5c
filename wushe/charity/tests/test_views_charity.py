"""Pages: every page renders for its users, forms show errors next to fields, out-of-scope is
404, the public pages need no account and show no personal data."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from wushe.charity import services
from wushe.charity.models import Disbursement, Donation, Donor, Fund
from wushe.charity.tests.conftest import credit_code
from wushe.people.services import person_create

ID_NUMBER = "11010519491231002X"
PHONE = "13987654321"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


@pytest.fixture
def world(funded, community_fund, admin, manager, street_staff, staff_a, enterprise,
          individual, give, community_a):
    person = person_create(actor=staff_a, region=community_a, name="欧阳娜娜",
                           id_number=ID_NUMBER, phone=PHONE)
    give(community_fund, individual, "3000")
    d = services.disbursement_request(actor=admin, fund=funded, amount="1500", purpose="突发疾病救助",
                                      beneficiary_kind="person", person=person)
    services.disbursement_approve(actor=manager, disbursement=d)
    services.disbursement_pay(actor=admin, disbursement=d)
    pending = services.disbursement_request(actor=street_staff, fund=community_fund, amount="200",
                                            purpose="困境儿童慰问", beneficiary_kind="project",
                                            project_id=9, beneficiary_label="暑期关爱项目",
                                            beneficiary_count=20)
    return {"person": person, "paid": d, "pending": pending}


PAGES = ["/charity/", "/charity/donors/", "/charity/donations/", "/charity/disbursements/"]


@pytest.mark.parametrize("username", ["district_admin", "fund_manager", "street_staff",
                                      "staff_a", "auditor"])
def test_lists_render_for_each_role(world, username, django_user_model, auditor):
    c = client_for(django_user_model.objects.get(username=username))
    for url in PAGES:
        assert c.get(url).status_code == 200, url
    assert c.get("/charity/", headers={"HX-Request": "true"}).status_code == 200


def test_detail_pages_render(world, admin, funded):
    c = client_for(admin)
    donation = Donation.objects.unscoped().filter(fund=funded).first()
    for url in [f"/charity/funds/{funded.pk}/", f"/charity/funds/{funded.pk}/ledger",
                f"/charity/funds/{funded.pk}/edit", f"/charity/funds/{funded.pk}/donate",
                f"/charity/funds/{funded.pk}/disburse", f"/charity/donations/{donation.pk}/",
                f"/charity/donors/{donation.donor_id}/",
                f"/charity/disbursements/{world['paid'].pk}/",
                f"/charity/disbursements/{world['pending'].pk}/", "/charity/funds/new",
                "/charity/donors/new"]:
        r = c.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        assert ID_NUMBER not in body and PHONE not in body and "欧阳娜娜" not in body, url


def test_community_staff_sees_its_fund_not_the_district_fund(world, staff_a, staff_b, funded,
                                                              community_fund):
    a = client_for(staff_a)
    assert a.get(f"/charity/funds/{community_fund.pk}/").status_code == 200
    assert a.get(f"/charity/funds/{funded.pk}/").status_code == 404
    assert a.get(f"/charity/disbursements/{world['paid'].pk}/").status_code == 404
    b = client_for(staff_b)  # the neighbouring community
    assert b.get(f"/charity/funds/{community_fund.pk}/").status_code == 404
    assert b.get(f"/charity/disbursements/{world['pending'].pk}/").status_code == 404
    assert "杨坪社区阳光基金" not in b.get("/charity/").content.decode()


def test_create_fund_form_shows_errors_next_to_fields(admin, district):
    c = client_for(admin)
    r = c.post("/charity/funds/new", {"region": district.code, "name": "<script>x</script>",
                                      "kind": "special", "parent_org_name": "区慈善会",
                                      "cap_per_case": "-1"})
    assert r.status_code == 400
    assert "is-invalid" in r.content.decode() and not Fund.objects.unscoped().exists()
    r = c.post("/charity/funds/new", {"region": district.code, "name": "助学基金",
                                      "kind": "special", "parent_org_name": "区慈善会",
                                      "target_groups": ["minor"], "cap_per_case": "2000"})
    assert r.status_code == 302
    assert Fund.objects.unscoped().get(name="助学基金").target_groups == ["minor"]


def test_donation_form_is_idempotent(funded, admin, enterprise):
    c = client_for(admin)
    key = uuid.uuid4().hex
    data = {"idempotency_key": key, "donor": enterprise.pk, "kind": "cash", "channel": "bank",
            "amount": "2,000.00"}
    first = c.post(f"/charity/funds/{funded.pk}/donate", data)
    second = c.post(f"/charity/funds/{funded.pk}/donate", data)  # double submit
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Donation.objects.unscoped().filter(idempotency_key=key).count() == 1


def test_donation_form_refuses_bad_amount(funded, admin, enterprise):
    r = client_for(admin).post(f"/charity/funds/{funded.pk}/donate", {
        "idempotency_key": uuid.uuid4().hex, "donor": enterprise.pk, "kind": "cash",
        "channel": "bank", "amount": "-3"})
    assert r.status_code == 400 and "必须大于零" in r.content.decode()


def test_receipt_pdf_download(world, admin, funded):
    donation = Donation.objects.unscoped().filter(fund=funded).first()
    r = client_for(admin).get(f"/charity/donations/{donation.pk}/receipt.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")


def test_disbursement_flow_through_pages(funded, admin, manager, street_staff):
    c = client_for(admin)
    r = c.post(f"/charity/funds/{funded.pk}/disburse", {
        "category": "charitable", "source": "cash", "amount": "900", "purpose": "慰问困境儿童",
        "beneficiary_kind": "project", "project_id": "5", "beneficiary_label": "困境儿童慰问",
        "beneficiary_count": "12"})
    assert r.status_code == 302
    d = Disbursement.objects.unscoped().get()
    # The requester gets no approve button; a manager approves.
    assert 'data-testid="approve"' not in c.get(f"/charity/disbursements/{d.pk}/").content.decode()
    assert c.post(f"/charity/disbursements/{d.pk}/approve", {}).status_code == 403
    m = client_for(manager)
    assert m.post(f"/charity/disbursements/{d.pk}/approve", {"comment": "同意"}).status_code == 302
    assert c.post(f"/charity/disbursements/{d.pk}/pay", {"payment_ref": "PZ-9"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "paid"
    r = c.post(f"/charity/disbursements/{d.pk}/reverse", {"reason": ""})
    assert r.status_code == 400


def test_disbursement_over_balance_shows_the_available_amount(funded, admin):
    r = client_for(admin).post(f"/charity/funds/{funded.pk}/disburse", {
        "category": "charitable", "source": "cash", "amount": "20000", "purpose": "救助",
        "beneficiary_kind": "project", "project_id": "5", "beneficiary_label": "项目"})
    body = r.content.decode()
    assert r.status_code == 409 and ("10000.00" in body or "10,000.00" in body)


def test_committee_and_status_pages(street_staff, admin, community_a):
    fund = services.fund_create(actor=street_staff, region=community_a, name="西郊阳光基金",
                                kind="community", parent_org_name="街道")
    c = client_for(street_staff)
    r = c.get(f"/charity/funds/{fund.pk}/")
    assert 'data-testid="committee-problems"' in r.content.decode()
    for i, name in enumerate(["甲乙", "丙丁", "戊己", "庚辛", "壬癸"]):
        c.post(f"/charity/funds/{fund.pk}/committee",
               {"name": name, "role": "supervisor" if i == 0 else "member"})
    r = client_for(admin).post(f"/charity/funds/{fund.pk}/status", {"status": "active"})
    assert r.status_code == 302
    fund.refresh_from_db()
    assert fund.status == "active"


def test_exports_are_xlsx_and_audited(world, admin):
    c = client_for(admin)
    for url in ["/charity/donations/export.xlsx", "/charity/disbursements/export.xlsx"]:
        r = c.get(url)
        assert r.status_code == 200 and r.content[:2] == b"PK"
    from wushe.audit.models import AuditEvent

    assert AuditEvent.objects.unscoped().filter(action__in=[
        "charity.donation.exported", "charity.disbursement.exported"]).count() == 2


def test_donor_phone_reveal_needs_a_purpose(individual, admin):
    c = client_for(admin)
    r = c.post(f"/charity/donors/{individual.pk}/reveal", {"purpose": ""})
    assert r.status_code == 400 and "13912345678" not in r.content.decode()
    r = c.post(f"/charity/donors/{individual.pk}/reveal", {"purpose": "寄送票据"})
    assert r.status_code == 200 and "13912345678" in r.content.decode()


def test_donor_form_validates_credit_code(admin, district):
    c = client_for(admin)
    r = c.post("/charity/donors/new", {"kind": "enterprise", "region": district.code,
                                        "name": "某公司", "credit_code": "123"})
    assert r.status_code == 400 and not Donor.objects.unscoped().exists()
    r = c.post("/charity/donors/new", {"kind": "enterprise", "region": district.code,
                                        "name": "某公司", "credit_code": credit_code()})
    assert r.status_code == 302


def _no_personal_data(body: str) -> None:
    assert ID_NUMBER not in body and PHONE not in body
    assert "欧阳娜娜" not in body and "王小明" not in body  # beneficiary, individual donor
    assert not re.search(r"\d{17}[\dX]", body)  # no ID number at all
    assert not re.search(r"1[3-9]\d{9}", body)  # no mobile number at all


def test_public_pages_need_no_login_and_show_no_personal_data(world, funded):
    c = Client()
    r = c.get("/charity/public/")
    assert r.status_code == 200
    body = r.content.decode()
    _no_personal_data(body)
    assert "欧某" in body and "慈善纾困基金" in body
    r = c.get(f"/charity/public/funds/{funded.pk}/")
    body = r.content.decode()
    _no_personal_data(body)
    assert "重庆爱心实业有限公司" in body  # enterprises are named
    assert c.get("/charity/public/funds/999999/").status_code == 404


def test_draft_funds_are_not_public(admin, district):
    draft = services.fund_create(actor=admin, region=district, name="筹备中基金", kind="project",
                                 parent_org_name="区慈善会")
    assert Client().get(f"/charity/public/funds/{draft.pk}/").status_code == 404
    assert "筹备中基金" not in Client().get("/charity/public/").content.decode()


def test_staff_pages_need_login(funded):
    assert Client().get("/charity/").status_code == 302
    assert Client().get(f"/charity/funds/{funded.pk}/").status_code == 302


def test_fund_page_says_when_a_report_is_due(special, admin):
    from wushe.charity import figures

    c = client_for(admin)
    assert 'data-testid="report-due"' not in c.get(f"/charity/funds/{special.pk}/").content.decode()
    services.fund_update(actor=admin, fund=special, established_on="2021-03-01")
    assert 'data-testid="report-due"' in c.get(f"/charity/funds/{special.pk}/").content.decode()
    start, _end = figures.last_closed_period(figures.period_months(special))
    r = c.post(f"/charity/funds/{special.pk}/disclosures",
               {"kind": "periodic", "period_start": start.isoformat()})
    assert r.status_code == 302
    assert 'data-testid="report-due"' not in c.get(f"/charity/funds/{special.pk}/").content.decode()
    assert Client().get(f"/charity/public/funds/{special.pk}/").content.decode().count(
        start.strftime("%Y-%m-%d")) >= 1


def test_fund_manager_registers_donors_but_sets_up_no_fund(manager, special):
    c = client_for(manager)
    assert "/charity/funds/new" not in c.get("/charity/").content.decode()
    assert c.get("/charity/funds/new").status_code == 403
    r = c.get("/charity/donors/new")
    assert r.status_code == 200 and special.region.name in r.content.decode()


def test_fund_list_filters_by_region_and_kind(funded, community_fund, admin, community_a,
                                              community_b):
    c = client_for(admin)
    body = c.get(f"/charity/?region={community_a.code}").content.decode()
    assert "杨坪社区阳光基金" in body and "慈善纾困基金" not in body
    body = c.get(f"/charity/?region={community_b.code}").content.decode()
    assert "杨坪社区阳光基金" not in body
    body = c.get("/charity/?kind=special").content.decode()
    assert "慈善纾困基金" in body and "杨坪社区阳光基金" not in body
    assert c.get("/charity/?kind=alien").status_code == 400
