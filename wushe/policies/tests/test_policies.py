"""The policy library: refused files change nothing, scope answers 404, the pages answer, the
rules page reads as people read it, the demo's library and the KPI of documents in force."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wushe.audit.models import AuditEvent
from wushe.core.errors import NotFound, ValidationFailed
from wushe.demo.profiles import get_profile
from wushe.demo.steps import DemoContext
from wushe.policies import demo, files, services
from wushe.policies.models import PolicyDocument
from wushe.regions.rules import RULES
from wushe.regions.services import region_create
from wushe.reports.kpis import KPIS, Period
from wushe.reports.kpis.base import compute_many
from wushe.reports.rawsql import raw_value

PDF = demo.pdf("test")


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def _nothing_written() -> None:
    assert PolicyDocument.objects.unscoped().count() == 0
    assert not AuditEvent.objects.unscoped().filter(action__startswith="policies.").exists()


def _add(actor: Any, region: Any, **kw: Any) -> PolicyDocument:
    fields: dict[str, Any] = {"title": "社区基金管理办法", "issuer": "九龙坡区民政局",
                              "number": "九龙坡民发〔2022〕39号", "issued_on": "2022-09-14",
                              "key": "", "file": io.BytesIO(PDF)}
    fields.update(kw)
    return services.policy_add(actor=actor, region=region, **fields)


class _Big(io.BytesIO):
    size = 21 * 1024 * 1024  # declared by the upload before a byte is read


@pytest.mark.django_db
@pytest.mark.parametrize(("upload", "code"), [
    (io.BytesIO(b"MZ\x90\x00 an executable"), "document_type"),
    (_Big(b"%PDF-1.7"), "too_large"),
    (io.BytesIO(b""), "empty"),
])
def test_a_refused_file_writes_nothing_and_says_why_in_both_languages(
        make_user: Any, district: Any, upload: io.BytesIO, code: str) -> None:
    admin = make_user("district_admin", district)
    with pytest.raises(ValidationFailed) as exc:
        _add(admin, district, file=upload)
    assert exc.value.code == code and exc.value.field == "file"
    assert "政策文件" in exc.value.zh and "policy file" in exc.value.en
    _nothing_written()


@pytest.mark.django_db
def test_the_add_page_refuses_a_wrong_file_and_keeps_the_library_unchanged(
        make_user: Any, district: Any) -> None:
    admin = make_user("district_admin", district)
    response = client_for(admin).post("/policies/new", {
        "title": "假文件", "issuer": "某局", "issued_on": "2024-01-02",
        "file": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", "application/pdf")})
    assert response.status_code == 400
    assert "政策文件应为PDF、DOCX或OFD" in response.content.decode()
    _nothing_written()
    ok = client_for(admin).post("/policies/new", {
        "title": "真文件", "issuer": "某局", "issued_on": "2024-01-02",
        "file": SimpleUploadedFile("x.pdf", PDF, "application/pdf")})
    assert ok.status_code == 302
    assert PolicyDocument.objects.unscoped().get().file_type == "application/pdf"


@pytest.mark.django_db
def test_a_community_staff_cannot_add_and_another_districts_document_is_missing(
        root: Any, make_user: Any, district: Any, staff_a: Any) -> None:
    with pytest.raises(NotFound):
        _add(staff_a, district)
    _nothing_written()
    assert client_for(staff_a).get("/policies/new").status_code == 404
    other = region_create(actor=root, code="500108000000", name="南岸区", kind="district",
                          parent=None, population=0)
    foreign = _add(root, other)
    admin = make_user("district_admin", district)
    c = client_for(admin)
    for url in (f"/policies/{foreign.pk}/", f"/policies/{foreign.pk}/file",
                f"/policies/{foreign.pk}/repeal"):
        response = c.post(url, {"repealed_on": "2025-01-01"}) if url.endswith("repeal") \
            else c.get(url)
        assert response.status_code == 404, url
    assert "南岸" not in c.get("/policies/?q=社区基金").content.decode()
    foreign.refresh_from_db()
    assert foreign.repealed_on is None


@pytest.mark.django_db
def test_the_pages_answer_for_a_district_admin(make_user: Any, district: Any,
                                               staff_a: Any) -> None:
    admin = make_user("district_admin", district)
    doc = _add(admin, district, key="sunshine-fund")
    c = client_for(admin)
    for url in ("/policies/", "/policies/?q=社区基金", "/policies/?q=39号",
                "/policies/?issuer=九龙坡区民政局", "/policies/?year=2022", "/policies/?year=abc",
                f"/policies/{doc.pk}/", "/policies/new"):
        response = c.get(url)
        assert response.status_code == 200, url
    assert "社区基金管理办法" in c.get("/policies/?year=2022").content.decode()
    assert "社区基金管理办法" not in c.get("/policies/?year=2021").content.decode()
    assert "社区基金管理办法" not in c.get("/policies/?q=慈善").content.decode()
    file = c.get(f"/policies/{doc.pk}/file")
    assert file.status_code == 200 and file.content == PDF
    assert file["Content-Type"] == "application/pdf"
    export = c.get("/policies/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    detail = c.get(f"/policies/{doc.pk}/").content.decode()
    cited = [r for r in RULES.values() if r.doc == "sunshine-fund"]
    assert cited and all(r.label() in html.unescape(detail) for r in cited)
    assert 'data-testid="policy-repeal"' in detail
    assert c.post(f"/policies/{doc.pk}/repeal", {"repealed_on": "2020-01-01"}).status_code == 302
    doc.refresh_from_db()
    assert doc.repealed_on is None  # before the date issued: refused, nothing changed
    # the district's documents are read inside it, but only a district admin repeals them
    staff_page = client_for(staff_a).get(f"/policies/{doc.pk}/")
    assert staff_page.status_code == 200
    assert 'data-testid="policy-repeal"' not in staff_page.content.decode()
    assert client_for(staff_a).post(f"/policies/{doc.pk}/repeal",
                                    {"repealed_on": "2024-01-01"}).status_code == 404
    assert c.post(f"/policies/{doc.pk}/repeal", {"repealed_on": "2024-01-01"}).status_code == 302
    doc.refresh_from_db()
    assert doc.repealed_on == dt.date(2024, 1, 1)


def _demo_library(district: Any) -> dict[str, int]:
    ctx = DemoContext(profile=get_profile("seed"), seed=2026, regions={district.code: district},
                      say=lambda _m: None)
    return demo.build_policies(ctx)


def _visible_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.django_db
def test_the_rules_page_shows_labels_values_and_documents_never_keys_or_notes(
        make_user: Any, district: Any) -> None:
    _demo_library(district)
    admin = make_user("district_admin", district)
    page = client_for(admin).get("/regions/rules/").content.decode()
    table = page.split('data-testid="rules-table"', 1)[1].split("</table>", 1)[0]
    text = _visible_text(table)
    docs = {d.key: d for d in PolicyDocument.objects.unscoped()}
    rules = [r for r in RULES.values() if not r.key.startswith("test.")]
    for rule in rules:
        assert rule.label() in text, rule.key
        assert rule.key not in text, rule.key
        if rule.doc:
            doc = docs[rule.doc]  # every cited key is in the library
            assert f'href="/policies/{doc.pk}/"' in table, rule.key
    assert "issue" not in text.lower()
    assert "signing,midterm,final" not in text and "签约、中期评估、末期评估" in text
    # only the retention periods (another part, see the report) still cite no document
    assert all(r.key.startswith("retention.") for r in rules if not r.doc)


@pytest.mark.django_db
def test_the_demo_library_holds_every_cited_document_with_a_readable_pdf(
        district: Any) -> None:
    assert _demo_library(district) == {"policy_documents": len(demo.DOCUMENTS)}
    docs = list(PolicyDocument.objects.unscoped())
    cited = {r.doc for r in RULES.values() if r.doc}
    assert cited <= {d.key for d in docs}
    for d in docs:
        data = bytes(d.file or b"")
        assert files.read_file(io.BytesIO(data))[1] == "application/pdf"
        assert data.rstrip().endswith(b"%%EOF") and d.file_size == len(data)
        assert d.title and d.issuer and d.region_path == district.path
    value = compute_many([KPIS["policies.documents"]], district.path, Period.all())
    assert 12 <= value["policies.documents"] <= 19  # 十余项政策文件


@pytest.mark.django_db
def test_documents_in_force_counts_neither_repealed_nor_not_yet_effective(
        make_user: Any, district: Any) -> None:
    admin = make_user("district_admin", district)
    today = dt.date.today()
    kpi = KPIS["policies.documents"]

    def count() -> int:
        value = int(compute_many([kpi], district.path, Period.all())["policies.documents"])
        assert raw_value("policies.documents", district.path, Period.year(today.year)) == value
        return value

    old = _add(admin, district, title="旧办法", number="1号", issued_on="2016-06-15")
    _add(admin, district, title="新办法", number="2号", issued_on="2021-07-12")
    _add(admin, district, title="将施行", number="3号", issued_on=today.isoformat(),
         effective_on=(today + dt.timedelta(days=30)).isoformat())
    assert count() == 2
    services.policy_repeal(actor=admin, policy=old, repealed_on=today.isoformat())
    assert count() == 1
    assert AuditEvent.objects.unscoped().filter(action="policies.document.repealed").count() == 1


def test_the_list_export_is_audited_and_an_account_without_the_view_permission_is_refused(
        make_user: Any, district: Any) -> None:
    from wushe.accounts.services import user_create
    from wushe.conftest import PASSWORD

    admin = make_user("district_admin", district)
    services.documents_exported(actor=admin, rows=3)
    exported = AuditEvent.objects.unscoped().filter(action="policies.document.exported")
    assert list(exported.values_list("data", flat=True)) == [{"rows": 3}]
    nobody = user_create(actor=None, username="no_grants", password=PASSWORD, grants=[],
                         check_password=False)
    with pytest.raises(NotFound):
        services.documents_exported(actor=nobody, rows=3)
    assert exported.count() == 1
