"""Entrusted-processing agreements (PIPL Art. 21, #22 item 4): recorded by those who manage
the organisation, with the signed document capped before it is read, audited; the list and
form on the organisation's page; the demo's organisations that receive needs have one."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wushe.audit.models import AuditEvent
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.orgs.models import ProcessingAgreement
from wushe.orgs.services import agreement_record
from wushe.orgs.services.agreement import MAX_DOCUMENT_BYTES
from wushe.orgs.tests.conftest import OrgWorld
from wushe.orgs.tests.factories import SIGNED_PDF


def pdf(data: bytes = SIGNED_PDF, name: str = "协议.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def record(ow: OrgWorld, user: str = "street", **kw: object) -> ProcessingAgreement:
    values: dict[str, object] = {"starts_on": "2026-01-01", "ends_on": "2027-12-31",
                                 "purposes": ["needs_handling", "service_delivery"],
                                 "document": pdf()}
    values.update(kw)
    return agreement_record(actor=ow.users[user], org=ow.orgs["a"], **values)  # type: ignore[arg-type]


def count() -> int:
    return ProcessingAgreement.objects.unscoped().count()


def test_a_manager_records_an_agreement_with_its_document_audited(ow: OrgWorld) -> None:
    a = record(ow)
    assert (a.starts_on, a.ends_on) == (dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    assert a.purposes == ["needs_handling", "service_delivery"]
    assert bytes(a.document) == SIGNED_PDF and a.document_type == "application/pdf"
    assert a.document_sha256 == hashlib.sha256(SIGNED_PDF).hexdigest()
    assert a.recorded_by == ow.users["street"] and a.region_path == ow.orgs["a"].region_path
    event = AuditEvent.objects.unscoped().get(action="orgs.agreement.recorded")
    assert event.actor == ow.users["street"]
    assert event.data["document_sha256"] == a.document_sha256
    assert event.data["purposes"] == ["needs_handling", "service_delivery"]
    assert a.in_force(dt.date(2026, 1, 1)) and a.in_force(dt.date(2027, 12, 31))
    assert not a.in_force(dt.date(2028, 1, 1)) and not a.in_force(dt.date(2025, 12, 31))


def test_only_those_who_manage_the_organisation_record_one(ow: OrgWorld) -> None:
    with pytest.raises(PermissionDenied):  # its own staff edit it but do not manage it
        record(ow, "org_staff")
    with pytest.raises(PermissionDenied):  # the auditor sees it, does not manage it
        record(ow, "auditor")
    with pytest.raises(NotFound):  # another street's staff: missing
        record(ow, "street_b")
    assert count() == 0 and not AuditEvent.objects.unscoped().filter(
        action="orgs.agreement.recorded").exists()


@pytest.mark.parametrize(("kw", "field", "code"), [
    ({"ends_on": "2025-12-31"}, "ends_on", "date_range"),
    ({"ends_on": "2040-01-01"}, "ends_on", "date_range"),
    ({"starts_on": "2026-02-30"}, "starts_on", "date_format"),
    ({"starts_on": ""}, "starts_on", "required"),
    ({"purposes": []}, "purposes", "required"),
    ({"purposes": ["selling_data"]}, "purposes", "choice"),
    ({"document": None}, "document", "required"),
    ({"document": pdf(b"")}, "document", "empty"),
    ({"document": pdf(b"MZ\x90\x00 not a pdf", "协议.pdf")}, "document", "document_type"),
    ({"document": pdf(b"<html><script>alert(1)</script>", "a.pdf")}, "document", "document_type"),
])
def test_bad_input_is_refused_in_both_languages_and_writes_nothing(
        ow: OrgWorld, kw: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        record(ow, **kw)
    assert (exc.value.field, exc.value.code) == (field, code)
    assert exc.value.zh and exc.value.en
    assert count() == 0


class HugeUpload(io.BytesIO):
    """An upload that declares more than the cap; reading it would be the bug."""

    name = "huge.pdf"
    size = MAX_DOCUMENT_BYTES + 1

    def read(self, *args: object) -> bytes:  # pragma: no cover - must not be reached
        raise AssertionError("the document was read before its size was checked")


class LyingUpload(io.BytesIO):
    """An upload that declares no size: the cap holds while reading."""

    name = "big.pdf"
    size = 0


def test_the_document_is_capped_before_and_while_it_is_read(ow: OrgWorld) -> None:
    with pytest.raises(ValidationFailed) as exc:
        record(ow, document=HugeUpload())
    assert exc.value.code == "too_large"
    with pytest.raises(ValidationFailed) as exc:
        record(ow, document=LyingUpload(b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES))
    assert exc.value.code == "too_large"
    assert count() == 0


def test_the_page_lists_records_and_serves_the_document(ow: OrgWorld) -> None:
    org = ow.orgs["a"]
    detail = reverse("orgs:detail", args=[org.pk])
    street = ow.client("street")
    html = street.get(detail).content.decode()
    assert 'data-testid="no-agreement"' in html
    add = reverse("orgs:agreement_add", args=[org.pk])
    assert add in html
    r = street.get(add)
    assert r.status_code == 200 and 'enctype="multipart/form-data"' in r.content.decode()
    today = timezone.localdate()
    r = street.post(add, {"starts_on": (today - dt.timedelta(days=1)).isoformat(),
                          "ends_on": (today + dt.timedelta(days=365)).isoformat(),
                          "purposes": ["needs_handling"], "document": pdf()})
    assert r.status_code == 302
    a = ProcessingAgreement.objects.unscoped().get(org=org)
    html = street.get(detail).content.decode()
    assert 'data-testid="agreement"' in html and "协议.pdf" in html
    doc = street.get(reverse("orgs:agreement_document", args=[a.pk]))
    assert doc.status_code == 200 and doc.content == SIGNED_PDF
    assert doc["Content-Type"] == "application/pdf" and "attachment" in doc["Content-Disposition"]
    assert AuditEvent.objects.unscoped().filter(action="orgs.agreement.document_read",
                                                actor=ow.users["street"]).count() == 1
    # the form refuses next to the field, writes nothing
    r = street.post(add, {"starts_on": "2026-01-01", "ends_on": "2027-01-01",
                          "purposes": ["needs_handling"],
                          "document": SimpleUploadedFile("a.exe", b"MZ\x90\x00", "application/pdf")})
    assert r.status_code == 400 and count() == 1
    # the organisation's own staff see the list, not the form nor the document
    own = ow.client("org_staff")
    html = own.get(detail).content.decode()
    assert 'data-testid="agreement"' in html and add not in html
    assert own.get(add).status_code == 403
    assert own.get(reverse("orgs:agreement_document", args=[a.pk])).status_code == 403
    # another street: missing, like an agreement that does not exist
    other = ow.client("street_b")
    assert other.get(reverse("orgs:agreement_document", args=[a.pk])).status_code == 404
    assert other.get(reverse("orgs:agreement_document", args=[a.pk + 999])).status_code == 404
    assert other.post(add, {"starts_on": "2026-01-01"}).status_code == 404


def test_the_api_lists_and_records_agreements(ow: OrgWorld) -> None:
    org = ow.orgs["a"]
    url = f"/api/v1/orgs/{org.pk}/agreements"
    street = ow.client("street")
    assert street.get(url).json() == []
    r = street.post(url, {"starts_on": "2026-01-01", "ends_on": "2030-12-31",
                          "purposes": ["needs_handling", "follow_up"], "document": pdf()})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["purposes"] == ["needs_handling", "follow_up"] and body["document_size"] == len(
        SIGNED_PDF) and "document" not in body
    assert [a["id"] for a in street.get(url).json()] == [body["id"]]
    # refused: bilingual, nothing written
    r = street.post(url, {"starts_on": "2026-01-01", "ends_on": "2025-01-01",
                          "purposes": ["needs_handling"], "document": pdf()})
    assert r.status_code == 400
    err = r.json()
    assert err["code"] == "date_range" and err["message"]["zh"] and err["message"]["en"]
    assert count() == 1
    # its own staff read the list but may not record; another street: missing
    assert ow.client("org_staff").get(url).status_code == 200
    r = ow.client("org_staff").post(url, {"starts_on": "2026-01-01", "ends_on": "2027-01-01",
                                          "purposes": ["needs_handling"], "document": pdf()})
    assert r.status_code == 403 and count() == 1
    assert ow.client("street_b").get(url).status_code == 404
