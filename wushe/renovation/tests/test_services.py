"""The renovation programme's rules: progress one step at a time, acceptance with its proof,
spending within the contract unless overridden, site budgets within the programme total,
documents capped and typed, scope, and an audit row for every write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wushe.audit.models import AuditEvent
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.renovation import selectors, services
from wushe.renovation.models import Progress, Renovation, Spending
from wushe.renovation.tests.conftest import PDF, RenovationWorld

pytestmark = pytest.mark.django_db


def pdf(name: str = "验收.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def actions(target_id: int | None = None) -> list[str]:
    qs = AuditEvent.objects.unscoped().filter(action__startswith="renovation.")
    return list(qs.order_by("id").values_list("action", flat=True))


def test_progress_moves_one_step_at_a_time_and_acceptance_needs_proof(rw: RenovationWorld):
    street = rw.users["street"]
    with pytest.raises(ValidationFailed) as exc:  # planned → accepted skips a step
        services.renovation_advance(actor=street, renovation=rw.reno_a, to="accepted",
                                    on="2022-06-01", document=pdf())
    assert exc.value.code == "illegal_transition"
    services.renovation_advance(actor=street, renovation=rw.reno_a, to="under_way",
                                on="2021-09-01")
    with pytest.raises(ValidationFailed) as exc:  # no date
        services.renovation_advance(actor=street, renovation=rw.reno_a, to="accepted",
                                    document=pdf())
    assert exc.value.field == "on"
    with pytest.raises(ValidationFailed) as exc:  # no document
        services.renovation_advance(actor=street, renovation=rw.reno_a, to="accepted",
                                    on="2022-06-01")
    assert exc.value.field == "document"
    with pytest.raises(ValidationFailed):  # not back to planned by advancing
        services.renovation_advance(actor=street, renovation=rw.reno_a, to="planned")
    row = services.renovation_advance(actor=street, renovation=rw.reno_a, to="accepted",
                                      on="2022-06-01", document=pdf())
    assert row.progress == Progress.ACCEPTED and row.accepted_on == dt.date(2022, 6, 1)
    assert row.acceptance_document is not None and row.acceptance_document.kind == "acceptance"
    with pytest.raises(ValidationFailed):  # nothing after accepted
        services.renovation_advance(actor=street, renovation=rw.reno_a, to="accepted",
                                    on="2022-06-02", document=pdf())
    assert list(row.transitions.unscoped().values_list("from_progress", "to_progress")) == [
        ("planned", "under_way"), ("under_way", "accepted")]
    assert actions().count("renovation.site.advanced") == 2


def test_reopen_goes_back_one_step_with_a_reason_for_the_district_only(rw: RenovationWorld):
    admin, street = rw.users["admin"], rw.users["street"]
    services.renovation_advance(actor=street, renovation=rw.reno_a, to="under_way",
                                on="2021-09-01")
    services.renovation_advance(actor=street, renovation=rw.reno_a, to="accepted",
                                on="2022-06-01", document=pdf())
    with pytest.raises(PermissionDenied):
        services.renovation_reopen(actor=street, renovation=rw.reno_a, reason="验收不合格")
    with pytest.raises(ValidationFailed):
        services.renovation_reopen(actor=admin, renovation=rw.reno_a, reason="")
    row = services.renovation_reopen(actor=admin, renovation=rw.reno_a, reason="验收不合格")
    assert row.progress == Progress.UNDER_WAY and row.accepted_on is None
    event = AuditEvent.objects.unscoped().get(action="renovation.site.reopened")
    assert event.data["reason"] == "验收不合格" and event.data["from"] == "accepted"
    assert row.transitions.unscoped().last().reason == "验收不合格"


def test_spending_past_the_contract_is_refused_without_a_reason(rw: RenovationWorld):
    street = rw.users["street"]
    services.renovation_contract_set(actor=street, renovation=rw.reno_a, contractor="重庆某建设公司",
                                     contract_number="HT-2021-01", contract_amount="1000000")
    services.spending_record(actor=street, renovation=rw.reno_a, spent_on="2021-10-01",
                             amount="600000", voucher_number="PZ-001")
    with pytest.raises(ValidationFailed) as exc:
        services.spending_record(actor=street, renovation=rw.reno_a, spent_on="2021-11-01",
                                 amount="400000.01", voucher_number="PZ-002")
    assert exc.value.code == "over_contract"
    assert Spending.objects.unscoped().count() == 1
    with pytest.raises(ValidationFailed) as exc:  # the same voucher twice
        services.spending_record(actor=street, renovation=rw.reno_a, spent_on="2021-11-01",
                                 amount="1", voucher_number="PZ-001")
    assert exc.value.code == "duplicate"
    services.spending_record(actor=street, renovation=rw.reno_a, spent_on="2021-11-01",
                             amount="400000", voucher_number="PZ-002")  # exactly the contract
    entry = services.spending_record(actor=street, renovation=rw.reno_a, spent_on="2021-12-01",
                                     amount="5000", voucher_number="PZ-003",
                                     override_reason="设计变更增加消防通道")
    assert entry.override_reason == "设计变更增加消防通道"
    override = AuditEvent.objects.unscoped().get(action="renovation.spending.overridden")
    assert override.data["reason"] == "设计变更增加消防通道"
    assert actions().count("renovation.spending.recorded") == 3
    with pytest.raises(ValidationFailed) as exc:  # contract lowered below what is spent
        services.renovation_contract_set(actor=street, renovation=rw.reno_a, contractor="x",
                                         contract_number="y", contract_amount="900000")
    assert exc.value.code == "below_spent"


def test_site_budgets_may_not_exceed_the_programme_total(rw: RenovationWorld, root):
    from wushe.regions.services import site_create

    extra = site_create(actor=root, region=rw.centre_a.region, kind="party_centre",
                        name="第二党群服务中心")
    admin = rw.users["admin"]
    with pytest.raises(ValidationFailed) as exc:  # 1.2m + 0.5m + 0.3m01 > 2m
        services.renovation_add(actor=admin, programme=rw.programme, site=extra,
                                budget="300000.01")
    assert exc.value.code == "over_budget"
    assert Renovation.objects.unscoped().count() == 2
    services.renovation_add(actor=admin, programme=rw.programme, site=extra, budget="300000")
    with pytest.raises(ValidationFailed) as exc:
        services.renovation_add(actor=admin, programme=rw.programme, site=rw.room_a, budget="1")
    assert exc.value.code in {"site_kind", "over_budget"}


def test_only_a_party_centre_can_be_added(rw: RenovationWorld):
    with pytest.raises(ValidationFailed) as exc:
        services.renovation_add(actor=rw.users["admin"], programme=rw.programme,
                                site=rw.room_a, budget="1")
    assert exc.value.code == "site_kind"


def test_documents_are_capped_and_typed(rw: RenovationWorld):
    street = rw.users["street"]
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * services.MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationFailed) as exc:
        services.renovation_document_add(actor=street, renovation=rw.reno_a, kind="contract",
                                         document=big)
    assert exc.value.code == "too_large"
    # a stream that lies about its size is still stopped after the cap
    liar = BytesIO(PDF + b"0" * services.MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationFailed) as exc:
        services.renovation_document_add(actor=street, renovation=rw.reno_a, kind="contract",
                                         document=liar)
    assert exc.value.code == "too_large"
    with pytest.raises(ValidationFailed) as exc:
        services.renovation_document_add(
            actor=street, renovation=rw.reno_a, kind="contract",
            document=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))
    assert exc.value.code == "document_type"
    doc = services.renovation_document_add(
        actor=street, renovation=rw.reno_a, kind="photo",
        document=SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"1" * 10))
    assert doc.content_type == "image/png" and doc.size == 18
    assert actions() .count("renovation.document.added") == 1
    assert services.document_read(actor=rw.users["admin"], document=doc).startswith(b"\x89PNG")
    with pytest.raises(NotFound):
        services.document_read(actor=rw.users["street_b"], document=doc)


def test_a_street_sees_and_writes_only_its_own_centres(rw: RenovationWorld):
    street_b = rw.users["street_b"]
    with pytest.raises(NotFound):
        selectors.renovation_get(actor=street_b, renovation_id=rw.reno_a.pk)
    with pytest.raises(NotFound):
        services.spending_record(actor=street_b, renovation=rw.reno_a, spent_on="2021-10-01",
                                 amount="1", voucher_number="X")
    with pytest.raises(NotFound):
        services.renovation_advance(actor=street_b, renovation=rw.reno_a, to="under_way")
    assert selectors.renovation_get(actor=street_b, renovation_id=rw.reno_c.pk) == rw.reno_c
    # the programme shows, with only the street's centre in it
    programme = selectors.programme_get(actor=street_b, programme_id=rw.programme.pk)
    assert [r.pk for r in selectors.programme_renovations(actor=street_b, programme=programme)
            ] == [rw.reno_c.pk]
    with pytest.raises(NotFound):
        selectors.programme_get(actor=rw.users["volunteer"], programme_id=rw.programme.pk)
    with pytest.raises(NotFound):  # a street may not create a district programme's sites
        services.renovation_add(actor=street_b, programme=rw.programme, site=rw.centre_c,
                                budget="1")


def test_figures_count_accepted_centres_and_spent_yuan_per_region_and_period(
        rw: RenovationWorld):
    from wushe.reports.kpis.base import Period

    admin = rw.users["admin"]
    for reno, day in ((rw.reno_a, "2022-06-01"), (rw.reno_c, "2023-03-01")):
        services.renovation_contract_set(actor=admin, renovation=reno, contractor="公司",
                                         contract_number=f"HT-{reno.pk}",
                                         contract_amount="400000")
        services.renovation_advance(actor=admin, renovation=reno, to="under_way", on="2021-09-01")
        services.spending_record(actor=admin, renovation=reno, spent_on=day, amount="250000.50",
                                 voucher_number="PZ-1")
        services.renovation_advance(actor=admin, renovation=reno, to="accepted", on=day,
                                    document=pdf())
    assert selectors.renovated_sites(None, rw.district, None) == 2
    assert selectors.renovated_sites(admin, rw.district, Period.year(2022)) == 1
    assert selectors.renovated_sites(admin, rw.street_b, None) == 1
    assert selectors.renovated_sites(rw.users["street"], rw.district, None) == 1
    assert selectors.invested_yuan(None, rw.district, None) == Decimal("500001.00")
    assert selectors.invested_yuan(admin, rw.district, Period.year(2023)) == Decimal("250000.50")
    assert selectors.invested_yuan(rw.users["street_b"], rw.district, None) == Decimal(
        "250000.50")
    figures = selectors.programme_figures(actor=admin, programme=rw.programme)
    assert figures.by_progress["accepted"] == 2 and figures.spent == Decimal("500001.00")
    assert figures.budget == Decimal("1700000") and figures.contracted == Decimal("800000")


def test_programme_create_refuses_bad_years_and_audits(rw: RenovationWorld):
    with pytest.raises(ValidationFailed):
        services.programme_create(actor=rw.users["admin"], region=rw.district, name="x",
                                  department="y", start_year=2023, end_year=2021,
                                  total_budget="1")
    with pytest.raises(NotFound):
        services.programme_create(actor=rw.users["street"], region=rw.district, name="x",
                                  department="y", start_year=2021, end_year=2023,
                                  total_budget="1")
    assert actions()[:3] == ["renovation.programme.created", "renovation.site.added",
                             "renovation.site.added"]
