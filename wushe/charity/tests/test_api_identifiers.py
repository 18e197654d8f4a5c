"""Amounts and credit codes through the charity API: Arabic-Indic or Devanagari digits (which
Decimal() reads as digits) and zero-width spaces are refused, bilingual, nothing written;
full-width digits are read as ASCII."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from wushe.charity.models import Donation, Donor, LedgerEntry
from wushe.charity.tests.conftest import credit_code
from wushe.charity.tests.test_views_charity import client_for
from wushe.core.tests.scripts import REFUSED, full_width


def donate(admin, fund, donor, amount: str):  # type: ignore[no-untyped-def]
    return client_for(admin).post(
        "/api/v1/charity/donations", {"fund_id": fund.pk, "donor_id": donor.pk,
                                      "amount": amount},
        content_type="application/json", headers={"Idempotency-Key": uuid.uuid4().hex})


@pytest.mark.parametrize("script", sorted(REFUSED))
def test_a_donation_amount_in_another_script_is_refused(admin, special, enterprise,
                                                        script) -> None:
    entries = LedgerEntry.objects.unscoped().count()
    response = donate(admin, special, enterprise, REFUSED[script]("100.5"))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "not_ascii" and response.json()["field"] == "amount"
    assert response.json()["message"]["zh"] and response.json()["message"]["en"]
    assert not Donation.objects.unscoped().exists()
    assert LedgerEntry.objects.unscoped().count() == entries


def test_a_full_width_amount_is_accepted(admin, special, enterprise) -> None:
    response = donate(admin, special, enterprise, full_width("100") + "．５")
    assert response.status_code == 201, response.content
    assert Donation.objects.unscoped().get().amount == Decimal("100.50")


@pytest.mark.parametrize("script", sorted(REFUSED))
def test_a_donor_credit_code_in_another_script_is_refused(admin, district, script) -> None:
    before = Donor.objects.unscoped().count()
    response = client_for(admin).post("/api/v1/charity/donors", {
        "region_code": district.code, "kind": "enterprise", "name": "重庆某某科技有限公司",
        "credit_code": REFUSED[script](credit_code(777))}, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "not_ascii"
    assert Donor.objects.unscoped().count() == before


def test_a_full_width_credit_code_is_stored_as_ascii(admin, district) -> None:
    code = credit_code(778)
    response = client_for(admin).post("/api/v1/charity/donors", {
        "region_code": full_width(district.code), "kind": "enterprise",
        "name": "重庆某某科技有限公司", "credit_code": full_width(code)},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert Donor.objects.unscoped().get(pk=response.json()["id"]).credit_code == code
