"""The charity API: scoped reads, service-backed writes, idempotent intake, the public list."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from wushe.charity import services
from wushe.charity.models import Donation
from wushe.charity.tests.test_views_charity import ID_NUMBER, PHONE, client_for
from wushe.people.services import person_create


@pytest.fixture
def api(admin) -> Client:
    return client_for(admin)


def test_fund_list_detail_and_create(api, funded, community_fund, district):
    r = api.get("/api/v1/charity/funds?limit=10")
    assert r.status_code == 200 and r.json()["count"] == 2
    item = next(i for i in r.json()["items"] if i["id"] == funded.pk)
    assert item["totals"]["raised"] == "10000.00" and item["totals"]["cash"] == "10000.00"
    r = api.get(f"/api/v1/charity/funds/{community_fund.pk}")
    assert r.status_code == 200 and len(r.json()["committee"]) == 5
    assert r.json()["committee_problems"] == []
    r = api.post("/api/v1/charity/funds", {
        "region_code": district.code, "name": "重阳敬老项目", "kind": "project",
        "parent_org_name": "区慈善会", "target_groups": ["elderly"], "cap_per_case": "800"},
        content_type="application/json")
    assert r.status_code == 201 and r.json()["status"] == "draft"
    r = api.post("/api/v1/charity/funds", {"region_code": district.code, "name": "x",
                                           "kind": "alien", "parent_org_name": "y"},
                 content_type="application/json")
    assert r.status_code == 400 and r.json()["message"]["zh"]
    r = api.post("/api/v1/charity/funds", {"region_code": district.code, "name": "y",
                                           "kind": "special", "parent_org_name": "y",
                                           "parent_org_id": 424242},
                 content_type="application/json")
    assert r.status_code == 404  # an organisation that does not exist (or is out of scope)


def test_out_of_scope_fund_is_404(funded, community_fund, staff_b):
    c = client_for(staff_b)
    assert c.get(f"/api/v1/charity/funds/{community_fund.pk}").status_code == 404
    assert c.get(f"/api/v1/charity/funds/{funded.pk}").status_code == 404
    assert c.get("/api/v1/charity/funds").json()["count"] == 0


def test_donation_intake_is_idempotent_over_the_api(api, funded, enterprise):
    key = uuid.uuid4().hex
    body = {"fund_id": funded.pk, "donor_id": enterprise.pk, "amount": "1234.50"}
    first = api.post("/api/v1/charity/donations", body, content_type="application/json",
                     headers={"Idempotency-Key": key})
    again = api.post("/api/v1/charity/donations", body, content_type="application/json",
                     headers={"Idempotency-Key": key})
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["receipt"]["number"] == again.json()["receipt"]["number"]
    assert Donation.objects.unscoped().filter(idempotency_key=key).count() == 1
    missing = api.post("/api/v1/charity/donations", body, content_type="application/json")
    assert missing.status_code == 400
    other = api.post("/api/v1/charity/donations", {**body, "amount": "1"},
                     content_type="application/json", headers={"Idempotency-Key": key})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_conflict"
    noted = api.post("/api/v1/charity/donations", {**body, "note": "补录"},
                     content_type="application/json", headers={"Idempotency-Key": key})
    assert noted.status_code == 409 and noted.json()["code"] == "idempotency_conflict"
    assert noted.json()["message"]["zh"] and noted.json()["message"]["en"]
    assert Donation.objects.unscoped().filter(idempotency_key=key).get().note == ""


def test_receipt_pdf_and_reverse(api, funded, enterprise):
    d = Donation.objects.unscoped().get()
    r = api.get(f"/api/v1/charity/donations/{d.pk}/receipt.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = api.post(f"/api/v1/charity/donations/{d.pk}/reverse", {"reason": "录入错误"},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "reversed"
    assert r.json()["receipt"]["status"] == "void"


def test_disbursement_workflow(api, funded, manager, staff_a, community_a):
    person = person_create(actor=staff_a, region=community_a, name="欧阳娜娜",
                           id_number=ID_NUMBER, phone=PHONE)
    r = api.post("/api/v1/charity/disbursements", {
        "fund_id": funded.pk, "amount": "2500", "purpose": "大病救助", "beneficiary_kind": "person",
        "person_id": person.pk}, content_type="application/json")
    assert r.status_code == 201, r.json()
    d = r.json()
    assert d["approvals_required"] == 2 and d["beneficiary"] == "欧*娜娜"
    assert ID_NUMBER not in r.content.decode()
    m = client_for(manager)
    self_approve = api.post(f"/api/v1/charity/disbursements/{d['id']}/approve", {},
                            content_type="application/json")
    assert self_approve.status_code == 403
    r = m.post(f"/api/v1/charity/disbursements/{d['id']}/approve", {"comment": "同意"},
               content_type="application/json")
    assert r.json()["status"] == "requested" and r.json()["approvals"] == 1
    awaiting = m.get("/api/v1/charity/disbursements?awaiting_me=true").json()
    assert awaiting["count"] == 0  # it has already approved
    assert api.get("/api/v1/charity/disbursements?status=requested").json()["count"] == 1


def test_ledger_entries_and_verify(api, funded, auditor, staff_a):
    r = api.get(f"/api/v1/charity/funds/{funded.pk}/entries")
    entry = r.json()["items"][0]
    assert entry["seq"] == 1 and len(entry["postings"]) == 2 and len(entry["hash"]) == 64
    assert client_for(auditor).get("/api/v1/charity/ledger/verify").json()["ok"] is True
    assert client_for(staff_a).get("/api/v1/charity/ledger/verify").status_code == 403


def test_exports_over_the_api(api, funded):
    r = api.get("/api/v1/charity/donations/export.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_public_funds_need_no_account_and_mask_beneficiaries(funded, admin, manager, staff_a,
                                                             community_a):
    person = person_create(actor=staff_a, region=community_a, name="欧阳娜娜",
                           id_number=ID_NUMBER, phone=PHONE)
    d = services.disbursement_request(actor=admin, fund=funded, amount="500", purpose="欧阳娜娜医疗",
                                      beneficiary_kind="person", person=person)
    services.disbursement_approve(actor=manager, disbursement=d)
    services.disbursement_pay(actor=admin, disbursement=d)
    r = Client().get("/api/v1/public/funds")
    assert r.status_code == 200
    body = r.content.decode()
    fund = next(f for f in r.json() if f["id"] == funded.pk)
    assert fund["raised"] == "10000.00" and fund["disbursed"] == "500.00"
    assert fund["recent"][0]["beneficiary"] == "欧某"
    assert fund["recent"][0]["community"] == community_a.name
    for secret in (ID_NUMBER, PHONE, "欧阳娜娜"):
        assert secret not in body
    assert not re.search(r"1[3-9]\d{9}", body)
    detail = Client().get(f"/api/v1/public/funds/{funded.pk}").json()
    assert detail["enterprise_donors"] == ["重庆爱心实业有限公司"]
    assert Client().get("/api/v1/public/funds/99999").status_code == 404
    assert Client().get("/api/v1/charity/funds").status_code == 401


def test_fund_can_name_its_registered_parent_organisation(api, admin, district, street_b,
                                                          make_user, street):
    from wushe.charity.models import Fund
    from wushe.orgs.tests.factories import registered

    org = registered(admin, district, name="九龙坡区慈善与公益事业促进会")
    r = api.post("/api/v1/charity/funds", {
        "region_code": district.code, "name": "助医专项基金", "kind": "special",
        "parent_org_name": org.name, "parent_org_id": org.pk}, content_type="application/json")
    assert r.status_code == 201
    assert Fund.objects.unscoped().get(pk=r.json()["id"]).parent_org_id == org.pk
    # An organisation outside the actor's area is "not found", whatever its id.
    other = registered(admin, street_b, name="黄桷坪社工服务中心")
    staff = client_for(make_user("street_staff", street))
    r = staff.post("/api/v1/charity/funds", {
        "region_code": street.code, "name": "街道助学基金", "kind": "special",
        "parent_org_name": "x", "parent_org_id": other.pk}, content_type="application/json")
    assert r.status_code == 404
