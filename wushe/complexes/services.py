"""Writes of the community complexes: a complex and its operator, its service lines, and the
quarterly revenue reports (submitted → approved or rejected by the street). Approving a report
with a profit sends the complex's share of it to the community fund as a donation from the
operator's donor record, through the charity app's ``donation_receive`` (its ledger entries,
its receipt), exactly once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.charity.models import DonationChannel, DonationKind, Donor, Fund, FundKind
from wushe.charity.services import donation_receive
from wushe.complexes import rules
from wushe.complexes.audit_codes import ComplexAction
from wushe.complexes.models import (
    Complex,
    LineKind,
    OperatorKind,
    ReportStatus,
    RevenueReport,
    ServiceLine,
)
from wushe.complexes.shares import share_of, share_percent
from wushe.core.errors import Conflict, IllegalTransition, ValidationFailed
from wushe.core.money import parse_money
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.regions.models import RegionLevel, Site, SiteKind

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW, REPORT, APPROVE = "complexes.view", "complexes.report", "complexes.approve"
def _percent(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    return Decimal(rules.REINVEST_PERCENT.parse(raw))


@service
def complex_create(*, actor: Actor, site: Site, operator_name: str, operator_kind: str,
                   operator_org: Any = None, operator_donor: Donor | None = None,
                   fund: Fund | None = None, brand: str = "",
                   share_percent: Any = None) -> Complex:
    """Register a complex on a community-level site of the complex kind, with its operator."""
    scope.require(actor, APPROVE, site, view_perm=VIEW)
    if site.kind != SiteKind.COMPLEX or site.region.level != RegionLevel.COMMUNITY:
        raise ValidationFailed("场地须为社区层级的社区综合体", "The site must be a community "
                               "complex of a community", field="site")
    if Complex.objects.unscoped(reason="uniqueness check, no row shown").filter(site=site).exists():
        raise Conflict("该场地已登记为综合体", "This site is already registered as a complex")
    if operator_kind not in OperatorKind.values:
        raise ValidationFailed("运营方类型无效", "Unknown operator kind", field="operator_kind")
    name = clean_text(operator_name, field="operator_name", label_zh="运营方",
                      label_en="Operator", max_length=200, required=True)
    if operator_donor is not None and not site.region_path.startswith(operator_donor.region_path):
        raise ValidationFailed("运营方捐赠人须属于本地区", "The operator's donor record must be "
                               "registered in the complex's area", field="operator_donor")
    if fund is None:
        fund = (Fund.objects.unscoped(reason="service: scope.require checked the actor").filter(kind=FundKind.COMMUNITY, region=site.region)
                .order_by("id").first())
    elif fund.region_id != site.region_id:
        raise ValidationFailed("须为本社区的社区基金", "The fund must be the community's own fund",
                               field="fund")
    complex_ = Complex.objects.create(
        site=site, community=site.region, region_path=site.region_path,
        brand=clean_text(brand, field="brand", label_zh="品牌", label_en="Brand", max_length=60),
        operator_name=name, operator_kind=operator_kind, operator_org=operator_org,
        operator_donor=operator_donor, fund=fund, share_percent=_percent(share_percent))
    audit.record(actor=actor, action=ComplexAction.COMPLEX_CREATED, target=complex_,
                 label=site.name, data={"site": site.pk, "operator_kind": operator_kind,
                                        "fund": fund.pk if fund else None,
                                        "share_percent": str(complex_.share_percent or "")})
    return complex_


@service
def service_line_add(*, actor: Actor, complex_: Complex, kind: str, name: str,
                     description: str = "", opening_hours: str = "") -> ServiceLine:
    scope.require(actor, REPORT, complex_, view_perm=VIEW)
    if kind not in LineKind.values:
        raise ValidationFailed("服务板块类型无效", "Unknown service line kind", field="kind")
    line = ServiceLine.objects.create(
        complex=complex_, region_path=complex_.region_path, kind=kind,
        name=clean_text(name, field="name", label_zh="名称", label_en="Name", max_length=100,
                        required=True),
        description=clean_text(description, field="description", label_zh="说明",
                               label_en="Description", max_length=500),
        opening_hours=clean_text(opening_hours, field="opening_hours", label_zh="开放时间",
                                 label_en="Opening hours", max_length=100))
    audit.record(actor=actor, action=ComplexAction.LINE_ADDED, target=line,
                 label=complex_.site.name, data={"complex": complex_.pk, "kind": kind})
    return line


def _int(raw: Any, *, field: str, zh: str, en: str, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        value = low - 1
    if not low <= value <= high:
        raise ValidationFailed(f"{zh}无效", f"{en} is not valid", field=field)
    return value


@service
def report_submit(*, actor: Actor, complex_: Complex, year: Any, quarter: Any, revenue: Any,
                  costs: Any) -> RevenueReport:
    """A quarter's revenue and costs; the profit is theirs to the fen (it may be a loss)."""
    scope.require(actor, REPORT, complex_, view_perm=VIEW)
    y = _int(year, field="year", zh="年度", en="Year", low=2000, high=timezone.now().year)
    q = _int(quarter, field="quarter", zh="季度", en="Quarter", low=1, high=4)
    rev = parse_money(revenue, field="revenue", label_zh="营业收入", label_en="Revenue",
                      allow_zero=True)
    cost = parse_money(costs, field="costs", label_zh="运营成本", label_en="Costs",
                       allow_zero=True)
    existing = RevenueReport.objects.unscoped(reason="service: scope.require checked the actor").filter(complex=complex_, year=y, quarter=q).first()
    if existing is not None and existing.status != ReportStatus.REJECTED:
        raise Conflict("该季度已报送", "A report for this quarter has already been submitted")
    report = existing or RevenueReport(complex=complex_, region_path=complex_.region_path,
                                       year=y, quarter=q)
    report.revenue, report.costs, report.profit = rev, cost, rev - cost
    report.status, report.reject_reason = ReportStatus.SUBMITTED, ""
    report.submitted_by = user_or_none(actor)
    report.decided_by, report.decided_at = None, None
    report.save()
    audit.record(actor=actor, action=ComplexAction.REPORT_SUBMITTED, target=report,
                 label=complex_.site.name,
                 data={"complex": complex_.pk, "period": str(report), "revenue": str(rev),
                       "costs": str(cost), "profit": str(report.profit)})
    return report


@service
def report_approve(*, actor: Actor, report: RevenueReport) -> RevenueReport:
    """The street approves; a profit's share goes to the community fund, once."""
    report = RevenueReport.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=report.pk)
    complex_ = Complex.objects.unscoped(reason="service: scope.require checked the actor").select_related("site", "fund", "operator_donor").get(
        pk=report.complex_id)
    scope.require(actor, APPROVE, report, view_perm=VIEW)
    if report.status != ReportStatus.SUBMITTED:
        raise IllegalTransition("该报表不在待审核状态", "This report is not awaiting approval")
    percent = share_percent(complex_)
    share = share_of(report.profit, percent)
    if share > 0:
        if complex_.fund is None or complex_.operator_donor is None:
            raise Conflict("综合体未关联社区基金或运营方捐赠人,无法反哺",
                           "The complex has no community fund or operator donor record for "
                           "the reinvested share", code="no_reinvestment_target")
        end_month = report.quarter * 3
        received = dt.date(report.year, end_month, 28)
        report.donation = donation_receive(
            actor=actor, fund=complex_.fund, donor=complex_.operator_donor,
            kind=DonationKind.CASH, amount=share, channel=DonationChannel.BANK,
            idempotency_key_value=f"complex-report-{report.pk}", received_on=received,
            note=f"{complex_.site.name} {report} 收益反哺社区")
    report.share_percent, report.reinvested = percent, share
    report.status = ReportStatus.APPROVED
    report.decided_by = user_or_none(actor)
    report.decided_at = timezone.now()
    report.save()
    audit.record(actor=actor, action=ComplexAction.REPORT_APPROVED, target=report,
                 label=complex_.site.name,
                 data={"complex": complex_.pk, "period": str(report), "profit": str(report.profit),
                       "share_percent": str(percent), "reinvested": str(share),
                       "donation": report.donation_id})
    return report


@service
def report_reject(*, actor: Actor, report: RevenueReport, reason: str) -> RevenueReport:
    report = RevenueReport.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=report.pk)
    scope.require(actor, APPROVE, report, view_perm=VIEW)
    if report.status != ReportStatus.SUBMITTED:
        raise IllegalTransition("该报表不在待审核状态", "This report is not awaiting approval")
    report.reject_reason = clean_text(reason, field="reason", label_zh="退回原因",
                                      label_en="Reason", max_length=200, required=True)
    report.status = ReportStatus.REJECTED
    report.decided_by = user_or_none(actor)
    report.decided_at = timezone.now()
    report.save()
    audit.record(actor=actor, action=ComplexAction.REPORT_REJECTED, target=report,
                 label=report.complex.site.name, data={"reason": report.reject_reason})
    return report

