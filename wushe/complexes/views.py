"""Pages: the community complexes in the actor's scope with their figures (/complexes/), and one
complex with its service lines, its revenue reports, the report form and the street's decision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wushe.accounts import scope
from wushe.complexes import selectors, services, shares
from wushe.complexes.models import ReportStatus
from wushe.core.errors import PermissionDenied, WusheError
from wushe.web.pages import paginate, render_page


class ReportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"),
                                choices=[(q, f"Q{q}") for q in range(1, 5)])
    revenue = forms.CharField(label=gettext_lazy("Revenue (yuan)"), max_length=20)
    costs = forms.CharField(label=gettext_lazy("Costs (yuan)"), max_length=20)


@login_required
@never_cache
@require_GET
def complex_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.complex_list(actor=request.user))
    return render_page(request, "complexes/list.html", {"page": page}, partial="rows")


@login_required
@never_cache
def complex_detail(request: HttpRequest, complex_id: int) -> HttpResponse:
    actor = request.user
    complex_ = selectors.complex_get(actor=actor, complex_id=complex_id)
    can_report = scope.covers(actor, services.REPORT, complex_.region_path)
    can_approve = scope.covers(actor, services.APPROVE, complex_.region_path)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied()
        if form.is_valid():
            try:
                services.report_submit(actor=actor, complex_=complex_, **form.cleaned_data)
            except WusheError as exc:
                form.add_error(None, exc.localized())
            else:
                messages.success(request, _("The revenue report is submitted."))
                return redirect("complexes:detail", complex_id=complex_.pk)
        status = 400
    return render_page(request, "complexes/detail.html", {
        "complex": complex_, "figures": selectors.complex_figures(complex_=complex_),
        "lines": selectors.complex_lines(complex_=complex_),
        "reports": selectors.complex_reports(complex_=complex_),
        "share_percent": shares.share_percent(complex_),
        "form": form, "can_report": can_report, "can_approve": can_approve,
        "submitted": ReportStatus.SUBMITTED,
    }, status=status)


@login_required
@require_POST
def report_decide(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(actor=request.user, report_id=report_id)
    try:
        if request.POST.get("decision") == "approve":
            services.report_approve(actor=request.user, report=report)
            messages.success(request, _("The report is approved."))
        else:
            services.report_reject(actor=request.user, report=report,
                                   reason=request.POST.get("reason", ""))
            messages.success(request, _("The report is sent back."))
    except WusheError as exc:
        messages.error(request, exc.localized())
    return redirect("complexes:detail", complex_id=report.complex_id)
