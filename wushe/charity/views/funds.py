"""Fund pages: list, set up, detail (money, committee, reports), edit, status, ledger."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.charity import access, figures, forms, selectors, services
from wushe.charity.models import DisclosureKind, Fund, FundKind, FundStatus
from wushe.charity.views.common import can, filter_regions, fund_regions, with_money
from wushe.core.errors import PermissionDenied, WusheError
from wushe.regions.selectors import region_get
from wushe.web.pages import Submitted, paginate, render_page, submit

RECENT = 10


@login_required
@never_cache
@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = forms.FundFilterForm(request.GET or None, regions=filter_regions(actor))
    filters = selectors.FundFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.FundFilters(q=d["q"], kind=d["kind"], status=d["status"],
                                        region_code=d["region"])
    page = paginate(request, selectors.fund_list(actor=actor, filters=filters))
    page.object_list = with_money(list(page.object_list))
    return render_page(request, "charity/fund_list.html", {
        "form": form, "page": page,
        "can_create": scope.is_superuser(actor) or bool(scope.paths(actor, access.MANAGE)),
        "awaiting": selectors.awaiting_count(actor=actor),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    regions = fund_regions(actor)
    if not regions:
        raise PermissionDenied()
    form = forms.FundForm(request.POST or None, regions=regions,
                          initial={"kind": request.GET.get("kind", FundKind.COMMUNITY)})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.fund_create(
            actor=actor, region=region_get(actor=actor, code=d["region"]), name=d["name"],
            kind=d["kind"], parent_org_name=d["parent_org_name"], purpose=d["purpose"],
            target_groups=d["target_groups"], need_categories=d["need_categories"],
            cap_per_case=d["cap_per_case"] or None,
            second_approval_above=d["second_approval_above"] or None,
            established_on=d["established_on"]))
        if outcome.done:
            messages.success(request, _("The fund has been set up. Seat its committee and "
                                        "activate it."))
            return redirect("charity:fund_detail", fund_id=outcome.result.pk)
    return render_page(request, "charity/fund_form.html", {"form": form, "fund": None},
                       status=outcome.status)


def _periods(fund: Fund) -> list[tuple[str, str]]:
    """Closed periods whose report is not yet published (newest first), for the form."""
    months = figures.period_months(fund)
    today = timezone.localdate()
    published = {(d.kind, d.period_start) for d in fund.disclosures.unscoped(reason="children of a row read in scope").all()}
    out: list[tuple[str, str]] = []
    start, end = figures.last_closed_period(months, today)
    for _i in range(8):
        if (DisclosureKind.PERIODIC, start) not in published:
            out.append((start.isoformat(), f"{start} – {end}"))
        start, end = figures.last_closed_period(months, start)
    year = today.year - 1
    if (DisclosureKind.ANNUAL, dt.date(year, 1, 1)) not in published:
        out.append((f"{year}-01-01", _("Year %(year)s (annual report)") % {"year": year}))
    return out


def _detail_context(request: HttpRequest, fund: Fund, **extra: Any) -> dict[str, Any]:
    actor = request.user
    with_money([fund])
    year = timezone.localdate().year
    ctx: dict[str, Any] = {
        "fund": fund,
        "committee": selectors.committee(fund=fund),
        "committee_problems": selectors.committee_problems(fund),
        "donations": list(selectors.donation_list(actor=actor, filters=selectors.DonationFilters(
            fund_id=fund.pk))[:RECENT]),
        "disbursements": list(selectors.disbursement_list(
            actor=actor, filters=selectors.DisbursementFilters(fund_id=fund.pk))[:RECENT]),
        "disclosures": list(selectors.disclosure_list(actor=actor, fund=fund)),
        "ratios": figures.annual_figures(fund, year - 1),
        "ratio_year": year - 1,
        "can_manage": can(actor, access.MANAGE, fund),
        "can_approve": can(actor, access.APPROVE, fund),
        "member_form": forms.MemberForm(),
        "disclosure_form": forms.DisclosureForm(periods=_periods(fund)),
        "status_actions": _status_actions(fund),
        "report_due": _report_due(fund),
        "period_months": figures.period_months(fund),
    }
    ctx.update(extra)
    return ctx


def _report_due(fund: Fund) -> tuple[dt.date, dt.date] | None:
    """The last closed period of an active fund, when its report is not yet published."""
    if fund.status != FundStatus.ACTIVE:
        return None
    start, end = figures.last_closed_period(figures.period_months(fund))
    if fund.established_on and fund.established_on > end:
        return None
    published = fund.disclosures.unscoped(reason="children of a row read in scope").filter(kind=DisclosureKind.PERIODIC,
                                                   period_start=start).exists()
    return None if published else (start, end)


def _status_actions(fund: Fund) -> list[tuple[str, str]]:
    labels = {FundStatus.ACTIVE: _("Activate") if fund.status == FundStatus.DRAFT else _("Resume"),
              FundStatus.SUSPENDED: _("Suspend"), FundStatus.CLOSED: _("Close")}
    return [(s, str(labels[s])) for s in services.funds.TRANSITIONS[FundStatus(fund.status)]
            if s in labels]


@login_required
@never_cache
@require_GET
def fund_detail(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = selectors.fund_get(actor=request.user, fund_id=fund_id)
    return render_page(request, "charity/fund_detail.html", _detail_context(request, fund))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def fund_edit(request: HttpRequest, fund_id: int) -> HttpResponse:
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    access.require(actor, access.MANAGE, fund)
    initial = {k: getattr(fund, k) for k in services.funds.FUND_FIELDS}
    initial["need_categories"] = "、".join(fund.need_categories)
    form = forms.FundForm(request.POST or None, initial=initial)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.fund_update(actor=actor, fund=fund, **{
            **d, "cap_per_case": d["cap_per_case"] or None}))
        if outcome.done:
            messages.success(request, _("The changes have been saved."))
            return redirect("charity:fund_detail", fund_id=fund.pk)
        fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    return render_page(request, "charity/fund_form.html", {"form": form, "fund": fund},
                       status=outcome.status)


@login_required
@require_POST
def fund_status(request: HttpRequest, fund_id: int) -> HttpResponse:
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.fund_set_status(actor=actor, fund=fund, status=form.cleaned_data["status"],
                                     reason=form.cleaned_data["reason"])
        except WusheError as exc:
            messages.error(request, exc.localized())
        else:
            messages.success(request, _("The fund's status has been changed."))
    return redirect("charity:fund_detail", fund_id=fund.pk)


@login_required
@require_POST
def committee_add(request: HttpRequest, fund_id: int) -> HttpResponse:
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    form = forms.MemberForm(request.POST)
    outcome = submit(form, lambda d: services.committee_member_add(actor=actor, fund=fund, **d))
    if outcome.done:
        messages.success(request, _("The member has been added."))
        return redirect(reverse("charity:fund_detail", kwargs={"fund_id": fund.pk}) + "#committee")
    return render_page(request, "charity/fund_detail.html", _detail_context(
        request, fund, member_form=form, member_open=True), status=outcome.status)


@login_required
@require_POST
def committee_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    actor = request.user
    member = selectors.member_get(actor=actor, member_id=member_id)
    try:
        services.committee_member_remove(actor=actor, member=member)
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The member has left the committee."))
    return redirect("charity:fund_detail", fund_id=member.fund_id)


@login_required
@require_POST
def disclosure_publish(request: HttpRequest, fund_id: int) -> HttpResponse:
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    form = forms.DisclosureForm(request.POST, periods=_periods(fund))
    outcome = submit(form, lambda d: services.disclosure_publish(
        actor=actor, fund=fund, kind=d["kind"], period_start=d["period_start"], note=d["note"]))
    if outcome.done:
        messages.success(request, _("The report has been published."))
        return redirect("charity:fund_detail", fund_id=fund.pk)
    return render_page(request, "charity/fund_detail.html", _detail_context(
        request, fund, disclosure_form=form, disclosure_open=True), status=outcome.status)


@login_required
@never_cache
@require_GET
def ledger(request: HttpRequest, fund_id: int) -> HttpResponse:
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    page = paginate(request, selectors.entry_list(actor=actor, fund=fund))
    accounts = list(fund.accounts.unscoped(reason="children of a row read in scope").order_by("id"))
    return render_page(request, "charity/ledger.html", {
        "fund": fund, "page": page, "accounts": accounts,
    }, partial="results")
