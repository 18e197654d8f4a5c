"""The complexes pages: the list and a complex with its figures for staff of its region, 404
outside it, the report form and the street's approval."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from wushe.accounts.models import User
from wushe.complexes.models import Complex, ReportStatus, RevenueReport


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def test_pages_in_scope_and_not_found_outside(complex_a: Complex, staff_a: User,
                                              staff_b: User) -> None:
    ca, cb = client_for(staff_a), client_for(staff_b)
    page = ca.get(reverse("complexes:list"))
    assert page.status_code == 200 and "杨坪社区综合体" in page.content.decode()
    assert "杨坪社区综合体" not in cb.get(reverse("complexes:list")).content.decode()
    detail = reverse("complexes:detail", args=[complex_a.pk])
    assert ca.get(detail).status_code == 200
    assert cb.get(detail).status_code == 404
    assert cb.get(reverse("complexes:detail", args=[complex_a.pk + 999])).status_code == 404


def test_report_form_then_street_approval_shows_the_reinvested_figure(
        complex_a: Complex, staff_a: User, street_staff: User) -> None:
    detail = reverse("complexes:detail", args=[complex_a.pk])
    bad = client_for(staff_a).post(detail, {"year": 2024, "quarter": 1, "revenue": "x",
                                            "costs": "1"})
    assert bad.status_code == 400
    assert not RevenueReport.objects.unscoped().exists()
    ok = client_for(staff_a).post(detail, {"year": 2024, "quarter": 1, "revenue": "20000",
                                           "costs": "12000"})
    assert ok.status_code == 302
    report = RevenueReport.objects.unscoped().get()
    street = client_for(street_staff)
    street.post(reverse("complexes:report_decide", args=[report.pk]), {"decision": "approve"})
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.reinvested == Decimal("800.00")
    assert 'data-testid="reinvested">800.00<' in street.get(detail).content.decode()
