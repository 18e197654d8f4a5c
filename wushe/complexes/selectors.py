"""Reads of the community complexes, scoped to the street and community staff of their region;
out of scope is the same NotFound as missing."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from wushe.accounts import scope
from wushe.complexes.models import Complex, ReportStatus, RevenueReport, ServiceLine
from wushe.core.errors import NotFound

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "complexes.view"
_ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _approved(field: str) -> Any:
    from django.db.models import Q

    return Coalesce(Sum(f"reports__{field}", filter=Q(reports__status=ReportStatus.APPROVED)),
                    _ZERO)


def complex_list(*, actor: Actor) -> QuerySet[Complex]:
    if not scope.has_perm(actor, VIEW):
        raise NotFound()
    return (scope.visible(Complex.objects, actor, VIEW)
            .select_related("site", "community")
            .annotate(revenue_total=_approved("revenue"), profit_total=_approved("profit"),
                      reinvested_total=_approved("reinvested"))
            .order_by("region_path", "id"))


def complex_get(*, actor: Actor, complex_id: int) -> Complex:
    qs = Complex.objects.select_related("site", "community", "fund", "operator_org",
                                        "operator_donor")
    complex_: Complex = scope.get_or_404(qs, actor, VIEW, pk=complex_id)
    return complex_


def complex_figures(*, complex_: Complex) -> dict[str, Decimal]:
    """Approved reports' revenue, costs, profit and what went to the community fund."""
    agg = (RevenueReport.objects.unscoped(reason="children of a row read in scope")
           .filter(complex=complex_, status=ReportStatus.APPROVED)
           .aggregate(revenue=Sum("revenue"), costs=Sum("costs"), profit=Sum("profit"),
                      reinvested=Sum("reinvested")))
    return {k: Decimal(v if v is not None else 0).quantize(Decimal("0.01")) for k, v in agg.items()}


def report_get(*, actor: Actor, report_id: int) -> RevenueReport:
    report: RevenueReport = scope.get_or_404(
        RevenueReport.objects.select_related("complex", "complex__site"), actor, VIEW,
        pk=report_id)
    return report


def complex_lines(*, complex_: Complex) -> list[ServiceLine]:
    """The lines of a complex already in the actor's scope (complex_get checked it)."""
    return list(ServiceLine.objects.unscoped(reason="children of a row read in scope").filter(complex=complex_).order_by("kind", "id"))


def complex_reports(*, complex_: Complex) -> list[RevenueReport]:
    return list(RevenueReport.objects.unscoped(reason="children of a row read in scope").filter(complex=complex_)
                .order_by("-year", "-quarter"))
