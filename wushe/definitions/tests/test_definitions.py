"""The KPI dictionary (统计口径): derived from the declarations, proposed and approved by two
district admins, exported as a real workbook and a PDF, cited by the annual report."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from wushe.audit.models import AuditEvent
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.definitions import dictionary, services
from wushe.definitions.models import DictionaryVersion, VersionState
from wushe.regions.services import region_create
from wushe.reports.annual import build_document, render
from wushe.reports.annual.narrative import keys_used
from wushe.reports.charts import cockpit
from wushe.reports.kpis import KPIS, Kpi, Unit

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


@pytest.fixture
def admins(make_user: Callable[..., Any], district: Any) -> tuple[Any, Any]:
    return make_user("district_admin", district, "admin_a"), make_user("district_admin",
                                                                        district, "admin_b")


@pytest.fixture
def approved(admins: tuple[Any, Any], district: Any) -> DictionaryVersion:
    proposer, approver = admins
    version = services.version_propose(actor=proposer, region=district)
    return services.version_approve(actor=approver, version=version)


def _export_keys(content: bytes) -> tuple[set[str], list[list[Any]]]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    sheet = wb.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    code = rows[0].index("统计编码")
    record = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    return {r[code] for r in rows[1:]}, record


def test_the_xlsx_export_lists_every_kpi_the_cockpit_and_the_annual_report_show(
        approved: DictionaryVersion, district: Any, staff_a: Any) -> None:
    year = timezone.localdate().year
    with scopes_disabled():
        shown = cockpit(district, year, None)
        doc = build_document(district, year, "zh")
    cockpit_keys = {h["key"] for h in [*shown["headline"], *shown["figures"]]}
    labels = {KPIS[k].zh: k for k in KPIS}
    for chart in shown["charts"]:
        names = [*chart["categories"]] + [s["name"] for s in chart["series"]]
        names += [d["name"] for s in chart["series"] for d in s["data"] if isinstance(d, dict)]
        cockpit_keys |= {labels[n] for n in names if n in labels}
    report_keys = {n.key for n in doc.notes} | set(keys_used("zh")) | set(keys_used("en"))
    assert len(cockpit_keys) > 40 and len(report_keys) > 40  # the walk found the figures

    response = client_for(staff_a).get(f"/definitions/{approved.pk}/export.xlsx")
    assert response.status_code == 200
    keys, record = _export_keys(response.content)
    assert cockpit_keys <= keys, cockpit_keys - keys
    assert report_keys <= keys, report_keys - keys
    assert keys == set(KPIS)
    assert ["版本", "1"] in record
    assert any(row[1] == approved.approval_text("zh") for row in record)
    assert AuditEvent.objects.unscoped().filter(action="definitions.version.exported").exists()


def test_entries_say_the_point_in_time_and_the_records_from_the_declaration() -> None:
    by_key = {e["key"]: e for e in dictionary.entries()}
    received = by_key["needs.total"]
    assert received["kind"] == "flow"
    assert re.fullmatch(r"按.+计入期间", received["time_zh"])
    assert received["records_zh"] == "受理的群众诉求"
    assert by_key["regions.streets"]["time_zh"] == "统计时点的现状"
    assert by_key["regions.streets"]["scope_zh"].startswith("所选地区及其下辖")


def test_the_proposer_cannot_approve_their_own_version(admins: tuple[Any, Any],
                                                        district: Any) -> None:
    proposer, _other = admins
    version = services.version_propose(actor=proposer, region=district)
    with pytest.raises(PermissionDenied) as exc:
        services.version_approve(actor=proposer, version=version)
    assert exc.value.code == "four_eyes"
    assert exc.value.message["zh"] and exc.value.message["en"]
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT and version.approved_by is None
    assert not AuditEvent.objects.unscoped().filter(
        action="definitions.version.approved").exists()


def test_the_proposer_is_refused_on_the_page_too(admins: tuple[Any, Any],
                                                 district: Any) -> None:
    proposer, _other = admins
    version = services.version_propose(actor=proposer, region=district)
    response = client_for(proposer).post(f"/definitions/{version.pk}/approve", follow=True)
    assert "提出者不能批准" in response.content.decode()
    version.refresh_from_db()
    assert version.state == VersionState.DRAFT


def test_approval_is_audited_and_supersedes_the_previous_version(
        approved: DictionaryVersion, admins: tuple[Any, Any], district: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    proposer, approver = admins
    event = AuditEvent.objects.unscoped().get(action="definitions.version.approved")
    assert event.actor == approver and event.data["number"] == 1
    with pytest.raises(ValidationFailed) as unchanged:
        services.version_propose(actor=proposer, region=district)
    assert unchanged.value.code == "unchanged"
    monkeypatch.setitem(KPIS, "test.extra", Kpi("test.extra", "测试", "Test", Unit.COUNT,
                                                "测试口径", "Test definition",
                                                custom=lambda *_a: 0, section="services"))
    second = services.version_propose(actor=approver, region=district)
    services.version_approve(actor=proposer, version=second)
    states = dict(DictionaryVersion.objects.unscoped().values_list("number", "state"))
    assert states == {1: VersionState.SUPERSEDED, 2: VersionState.APPROVED}


def test_street_staff_cannot_propose(make_user: Callable[..., Any], street: Any,
                                     district: Any) -> None:
    staff = make_user("street_staff", street)
    with pytest.raises(NotFound):
        services.version_propose(actor=staff, region=district)
    assert not DictionaryVersion.objects.unscoped().exists()


def test_the_page_shows_the_approved_version_grouped_by_section(
        approved: DictionaryVersion, staff_a: Any) -> None:
    text = client_for(staff_a).get("/definitions/").content.decode()
    assert approved.approval_text("zh") in text
    assert "创新社区治理体系" in text and "拓宽社区资源渠道" in text
    assert KPIS["needs.total"].zh in text
    assert 'data-testid="definitions-differs"' not in text


def test_the_page_says_when_the_code_differs_from_the_approved_version(
        approved: DictionaryVersion, staff_a: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(KPIS, "test.extra", Kpi("test.extra", "测试", "Test", Unit.COUNT,
                                                "测试口径", "Test definition",
                                                custom=lambda *_a: 0, section="services"))
    text = client_for(staff_a).get("/definitions/").content.decode()
    assert 'data-testid="definitions-differs"' in text


def test_the_annual_report_appendix_cites_the_approved_version(
        admins: tuple[Any, Any], district: Any) -> None:
    year = timezone.localdate().year
    with scopes_disabled():
        before = build_document(district, year, "zh")
    assert before.dictionary == "统计口径:尚无经批准的版本"
    proposer, approver = admins
    version = services.version_approve(
        actor=approver, version=services.version_propose(actor=proposer, region=district))
    with scopes_disabled():
        doc = build_document(district, year, "zh")
        en = build_document(district, year, "en")
    day = timezone.localtime(version.approved_at).strftime("%Y-%m-%d")
    assert doc.dictionary == f"统计口径:第1版,{day} 经 {approver} 批准"
    assert doc.dictionary in render.html_page(doc)
    assert en.dictionary.startswith("KPI dictionary version 1, approved on")


def test_the_pdf_export_is_a_pdf_carrying_the_version(approved: DictionaryVersion,
                                                      staff_a: Any) -> None:
    response = client_for(staff_a).get(f"/definitions/{approved.pk}/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert f"v{approved.number} sha256:{approved.content_hash}".encode() in content
    assert len(content) > 5000  # a table of every figure, not an empty page


def test_an_unknown_version_is_404(approved: DictionaryVersion, staff_a: Any) -> None:
    c = client_for(staff_a)
    for suffix in ("", "export.xlsx", "export.pdf"):
        assert c.get(f"/definitions/999999/{suffix}").status_code == 404


def test_another_districts_version_is_404(approved: DictionaryVersion, root: Any,
                                          make_user: Callable[..., Any]) -> None:
    other = region_create(actor=root, code="500108000000", name="南岸区", kind="district",
                          parent=None, population=0)
    outsider = make_user("district_admin", other)
    c = client_for(outsider)
    assert c.get(f"/definitions/{approved.pk}/").status_code == 404
    assert c.get(f"/definitions/{approved.pk}/export.pdf").status_code == 404
    assert c.post(f"/definitions/{approved.pk}/approve").status_code == 404
    assert 'data-testid="definitions-none"' in c.get("/definitions/").content.decode()


def test_the_demo_step_approves_version_1_by_two_district_admins(
        make_user: Callable[..., Any], district: Any) -> None:
    from wushe.definitions import demo
    from wushe.demo.profiles import get_profile
    from wushe.demo.steps import DemoContext

    make_user("district_admin", district, demo.PROPOSER)
    make_user("district_admin", district, demo.APPROVER)
    ctx = DemoContext(get_profile("small"), 1, {district.code: district}, lambda _m: None)
    assert demo.build_definitions(ctx)["versions"] == 1
    version = DictionaryVersion.objects.unscoped().get()
    assert version.number == 1 and version.state == VersionState.APPROVED
    assert version.proposed_by.username != version.approved_by.username  # type: ignore[union-attr]


def test_opening_balances_are_mentioned_where_they_apply() -> None:
    from django.apps import apps

    by_key = {e["key"]: e for e in dictionary.entries()}
    assert "opening_zh" not in by_key["regions.streets"]  # a stock never takes one
    assert "opening_zh" not in by_key["needs.on_time_rate"]  # nor a rate
    assert ("opening_zh" in by_key["needs.total"]) == apps.is_installed("wushe.openings")


def test_a_draft_waits_in_the_second_admins_inbox_not_the_proposers(
        admins: tuple[Any, Any], district: Any, staff_a: Any) -> None:
    from wushe.inbox.registry import PRODUCERS

    proposer, other = admins
    version = services.version_propose(actor=proposer, region=district)
    producer = PRODUCERS["definitions.version.approve"]
    assert list(producer.query(other)) == [version]
    assert list(producer.query(proposer)) == []
    assert list(producer.query(staff_a)) == []  # reads the dictionary, may not approve it
    assert producer.item(version).link == f"/definitions/{version.pk}/"
    services.version_approve(actor=other, version=version)
    assert list(producer.query(other)) == []
