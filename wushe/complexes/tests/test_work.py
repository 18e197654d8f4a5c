"""The work item: submitted reports wait for the street staff of the complex's street only,
and close when approved."""

from __future__ import annotations

from wushe.accounts.models import User
from wushe.complexes import services
from wushe.complexes.models import Complex
from wushe.complexes.work import reports_to_approve


def test_reports_to_approve_reach_the_street_only(complex_a: Complex, staff_a: User,
                                                  street_staff: User,
                                                  other_street_staff: User) -> None:
    report = services.report_submit(actor=staff_a, complex_=complex_a, year=2024, quarter=2,
                                    revenue="10", costs="4")
    assert list(reports_to_approve(street_staff)) == [report]
    assert list(reports_to_approve(other_street_staff)) == []
    assert list(reports_to_approve(staff_a)) == []  # community staff report, not approve
    services.report_approve(actor=street_staff, report=report)
    assert list(reports_to_approve(street_staff)) == []
