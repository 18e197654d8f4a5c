"""The renovation pages: the list and details show the figures; out of scope is 404; a form
refusal changes nothing and shows the message; an acceptance with its document works."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wushe.renovation.models import Progress, Renovation, Spending
from wushe.renovation.tests.conftest import PDF, RenovationWorld

pytestmark = pytest.mark.django_db


def test_pages_show_the_programme_and_hide_other_streets(rw: RenovationWorld):
    admin = rw.client("admin")
    listing = admin.get(reverse("renovation:programmes"))
    assert listing.status_code == 200 and "强基赋能三年行动" in listing.content.decode()
    detail = admin.get(reverse("renovation:programme", args=[rw.programme.pk])).content.decode()
    assert rw.centre_a.name in detail and rw.centre_c.name in detail
    street_b = rw.client("street_b")
    page = street_b.get(reverse("renovation:programme", args=[rw.programme.pk])).content.decode()
    assert rw.centre_c.name in page and rw.centre_a.name not in page
    for name in ("renovation", "spending_add", "advance", "document_add", "contract"):
        assert street_b.get(reverse(f"renovation:{name}", args=[rw.reno_a.pk])).status_code == 404
    assert rw.client("volunteer").get(
        reverse("renovation:programme", args=[rw.programme.pk])).status_code in (403, 404)


def test_overspending_form_is_refused_with_the_message_and_nothing_changes(rw: RenovationWorld):
    street = rw.client("street")
    url = reverse("renovation:spending_add", args=[rw.reno_a.pk])
    response = street.post(url, {"spent_on": "2021-10-01", "amount": "10",
                                 "voucher_number": "PZ-1"})
    assert response.status_code == 400
    assert "超过合同金额" in response.content.decode() or "contract" in response.content.decode()
    assert Spending.objects.unscoped().count() == 0


def test_acceptance_through_the_pages(rw: RenovationWorld):
    street = rw.client("street")
    assert street.post(reverse("renovation:advance", args=[rw.reno_a.pk]),
                       {"on": "2021-09-01"}).status_code == 302
    response = street.post(reverse("renovation:advance", args=[rw.reno_a.pk]), {
        "on": "2022-06-01", "document": SimpleUploadedFile("验收.pdf", PDF)})
    assert response.status_code == 302
    row = Renovation.objects.unscoped().get(pk=rw.reno_a.pk)
    assert row.progress == Progress.ACCEPTED
    page = street.get(reverse("renovation:renovation", args=[row.pk])).content.decode()
    assert "验收.pdf" in page
    download = street.get(reverse("renovation:document", args=[row.acceptance_document_id]))
    assert download.status_code == 200 and download.content == PDF
    assert rw.client("street_b").get(
        reverse("renovation:document", args=[row.acceptance_document_id])).status_code == 404
