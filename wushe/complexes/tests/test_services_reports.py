"""report_submit / report_approve / report_reject: the flow, the share into the community fund
on the charity ledger exactly once, none on a loss, rounding, scope and audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wushe.accounts.models import User
from wushe.audit.models import AuditEvent
from wushe.charity.models import Donation, Fund, LedgerEntry
from wushe.charity.verify import verify
from wushe.complexes import selectors, services, shares
from wushe.complexes.models import Complex, ReportStatus, RevenueReport
from wushe.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from wushe.regions.models import Region
from wushe.regions.rules import RULES
from wushe.regions.services import site_create


def _submit(actor: User, c: Complex, revenue: str = "100000.00", costs: str = "60000.00",
            quarter: int = 1) -> RevenueReport:
    return services.report_submit(actor=actor, complex_=c, year=2024, quarter=quarter,
                                  revenue=revenue, costs=costs)


def test_community_staff_submits_and_street_approves_the_share_into_the_fund(
        staff_a: User, street_staff: User, complex_a: Complex, community_fund: Fund) -> None:
    report = _submit(staff_a, complex_a)
    assert report.status == ReportStatus.SUBMITTED
    assert report.profit == Decimal("40000.00")
    report = services.report_approve(actor=street_staff, report=report)
    assert report.status == ReportStatus.APPROVED
    assert report.share_percent == Decimal("10")  # the local rule's default
    assert report.reinvested == Decimal("4000.00")
    donation = Donation.objects.unscoped().get(pk=report.donation_id)
    assert (donation.fund_id, donation.donor_id, donation.amount) == (
        community_fund.pk, complex_a.operator_donor_id, Decimal("4000.00"))
    assert donation.entry is not None and donation.entry.ref == f"donation:{donation.pk}"
    assert verify().ok
    figures = selectors.complex_figures(complex_=complex_a)
    assert figures["reinvested"] == Decimal("4000.00")
    assert figures["revenue"] == Decimal("100000.00")


def test_share_is_posted_exactly_once(staff_a: User, street_staff: User,
                                      complex_a: Complex) -> None:
    report = services.report_approve(actor=street_staff, report=_submit(staff_a, complex_a))
    entries = LedgerEntry.objects.unscoped().count()
    with pytest.raises(IllegalTransition):
        services.report_approve(actor=street_staff, report=report)
    assert LedgerEntry.objects.unscoped().count() == entries
    assert Donation.objects.unscoped().filter(donor=complex_a.operator_donor).count() == 1
    assert verify().ok


def test_no_share_on_a_loss_or_break_even(staff_a: User, street_staff: User,
                                          complex_a: Complex) -> None:
    entries = LedgerEntry.objects.unscoped().count()
    loss = services.report_approve(actor=street_staff, report=_submit(
        staff_a, complex_a, revenue="50000", costs="70000.50"))
    even = services.report_approve(actor=street_staff, report=_submit(
        staff_a, complex_a, revenue="100", costs="100", quarter=2))
    assert loss.profit == Decimal("-20000.50")
    assert (loss.reinvested, loss.donation_id) == (Decimal("0"), None)
    assert (even.reinvested, even.donation_id) == (Decimal("0"), None)
    assert LedgerEntry.objects.unscoped().count() == entries


def test_share_is_rounded_to_the_fen_half_up(staff_a: User, street_staff: User,
                                             complex_a: Complex) -> None:
    complex_a.share_percent = Decimal("12.5")
    complex_a.save(update_fields=["share_percent"])
    # 12.5% of 1234.57 is 154.32125 → 154.32; of 0.05 is 0.00625 → 0.01.
    r1 = services.report_approve(actor=street_staff, report=_submit(
        staff_a, complex_a, revenue="2234.57", costs="1000"))
    assert r1.reinvested == Decimal("154.32")
    r2 = services.report_approve(actor=street_staff, report=_submit(
        staff_a, complex_a, revenue="0.05", costs="0", quarter=2))
    assert r2.reinvested == Decimal("0.01")
    assert shares.share_of(Decimal("0.03"), Decimal("10")) == Decimal("0.00")
    assert shares.share_of(Decimal("100.05"), Decimal("10")) == Decimal("10.01")  # 10.005 up
    assert Donation.objects.unscoped().get(pk=r1.donation_id).amount == Decimal("154.32")


def test_local_rule_override_sets_the_share(staff_a: User, street_staff: User, root: User,
                                            complex_a: Complex, street: Region) -> None:
    from wushe.regions.services import rule_set

    rule_set(actor=root, region=street, key="complexes.reinvest_percent", raw="20")
    report = services.report_approve(actor=street_staff, report=_submit(staff_a, complex_a))
    assert report.share_percent == Decimal("20")
    assert report.reinvested == Decimal("8000.00")
    assert "complexes.reinvest_percent" in RULES


def test_community_staff_cannot_approve(staff_a: User, complex_a: Complex) -> None:
    from wushe.core.errors import PermissionDenied

    report = _submit(staff_a, complex_a)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=staff_a, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_rejected_report_can_be_resubmitted(staff_a: User, street_staff: User,
                                            complex_a: Complex) -> None:
    report = services.report_reject(actor=street_staff, report=_submit(staff_a, complex_a),
                                    reason="成本缺少票据")
    assert report.status == ReportStatus.REJECTED
    again = _submit(staff_a, complex_a, costs="55000")
    assert again.pk == report.pk and again.status == ReportStatus.SUBMITTED
    with pytest.raises(Conflict):
        _submit(staff_a, complex_a)


@pytest.mark.parametrize(("field", "kwargs"), [
    ("revenue", {"revenue": "abc"}), ("costs", {"costs": "-1"}),
    ("revenue", {"revenue": "1.001"}), ("quarter", {"quarter": 5}),
    ("year", {"year": "二〇二四"}),
])
def test_hostile_input_is_refused_and_writes_nothing(staff_a: User, complex_a: Complex,
                                                     field: str, kwargs: dict[str, object]) -> None:
    args: dict[str, object] = {"year": 2024, "quarter": 1, "revenue": "10", "costs": "5"}
    args.update(kwargs)
    with pytest.raises(ValidationFailed) as exc:
        services.report_submit(actor=staff_a, complex_=complex_a, **args)
    assert exc.value.field == field
    assert not RevenueReport.objects.unscoped().exists()


def test_approval_without_a_fund_changes_nothing(staff_a: User, street_staff: User,
                                                 complex_a: Complex) -> None:
    Complex.objects.unscoped().filter(pk=complex_a.pk).update(fund=None)
    complex_a.refresh_from_db()
    report = _submit(staff_a, complex_a)
    with pytest.raises(Conflict):
        services.report_approve(actor=street_staff, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not AuditEvent.objects.unscoped().filter(action="complexes.report.approved").exists()


def test_outside_scope_is_not_found(complex_a: Complex, staff_b: User, other_street_staff: User,
                                    staff_a: User) -> None:
    with pytest.raises(NotFound):
        selectors.complex_get(actor=staff_b, complex_id=complex_a.pk)
    assert list(selectors.complex_list(actor=staff_b)) == []
    with pytest.raises(NotFound):
        services.report_submit(actor=staff_b, complex_=complex_a, year=2024, quarter=1,
                               revenue="1", costs="0")
    report = _submit(staff_a, complex_a)
    with pytest.raises(NotFound):
        services.report_approve(actor=other_street_staff, report=report)
    assert selectors.complex_get(actor=staff_a, complex_id=complex_a.pk) == complex_a


def test_complex_needs_a_community_complex_site(street_staff: User, community_a: Region,
                                                street: Region) -> None:
    site = site_create(actor=street_staff, region=community_a, kind="sw_room", name="社工室")
    with pytest.raises(ValidationFailed):
        services.complex_create(actor=street_staff, site=site, operator_name="某企业",
                                operator_kind="caring_enterprise")
    assert not Complex.objects.unscoped().exists()


def test_each_write_is_audited(staff_a: User, street_staff: User, complex_a: Complex) -> None:
    services.service_line_add(actor=staff_a, complex_=complex_a, kind="welfare",
                              name="共享奶奶", description="老人照看放学儿童",
                              opening_hours="周一至周五 16:00-18:30")
    report = services.report_approve(actor=street_staff, report=_submit(staff_a, complex_a))
    actions = list(AuditEvent.objects.unscoped().filter(action__startswith="complexes.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["complexes.complex.created", "complexes.line.added",
                       "complexes.report.submitted", "complexes.report.approved"]
    approved = AuditEvent.objects.unscoped().get(action="complexes.report.approved")
    assert approved.data["reinvested"] == "4000.00"
    assert approved.data["donation"] == report.donation_id
