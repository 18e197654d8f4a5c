"""Online fundraising campaign pages: list, registration, detail with the platform's reported
total, statement import, reconciliation; and the public progress page of a campaign."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.charity import access, campaign_selectors, platforms, selectors
from wushe.charity.models import CampaignTransaction, DonationStatus, TargetGroup
from wushe.charity.services import campaigns as services
from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.web.pages import Submitted, paginate, render_page, submit


class CampaignForm(forms.Form):
    fund = forms.ChoiceField(label=gettext_lazy("Fund"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    platform = forms.ChoiceField(label=gettext_lazy("Platform"))
    platform_ref = forms.CharField(label=gettext_lazy("Platform's campaign number"), max_length=50)
    target_group = forms.ChoiceField(label=gettext_lazy("Beneficiary group"),
                                     choices=TargetGroup.choices)
    target = forms.CharField(label=gettext_lazy("Target (yuan)"), max_length=20)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"))
    ends_on = forms.DateField(label=gettext_lazy("Ends on"))
    public_url = forms.CharField(label=gettext_lazy("Public page on the platform"), max_length=300)

    def __init__(self, *args: Any, funds: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        fund_field = self.fields["fund"]
        platform_field = self.fields["platform"]
        assert isinstance(fund_field, forms.ChoiceField)
        assert isinstance(platform_field, forms.ChoiceField)
        fund_field.choices = [(str(f.pk), f.name) for f in funds]
        platform_field.choices = [(k, v[0]) for k, v in platforms.platforms().items()]


class ReportedTotalForm(forms.Form):
    reported_total = forms.CharField(label=gettext_lazy("Total reported by the platform (yuan)"),
                                     max_length=20)


class StatementForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Platform statement (.xlsx)"))


def _with_progress(rows: list[Any]) -> list[Any]:
    for c in rows:
        c.progress = campaign_selectors.progress(c)
    return rows


@login_required
@never_cache
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    page = paginate(request, campaign_selectors.campaign_list(actor=actor))
    _with_progress(list(page.object_list))
    return render_page(request, "charity/campaign_list.html", {
        "page": page, "can_create": access.manages_somewhere(actor),
        "platforms": {k: v[0] for k, v in platforms.platforms().items()}})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    funds = [f for f in selectors.fund_list(actor=actor) if access.holds(actor, access.MANAGE, f)]
    if not funds:
        raise PermissionDenied()
    by_pk = {str(f.pk): f for f in funds}
    form = CampaignForm(request.POST or None, funds=funds)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.campaign_create(
            actor=actor, fund=by_pk[d["fund"]], title=d["title"], platform=d["platform"],
            platform_ref=d["platform_ref"], target_group=d["target_group"], target=d["target"],
            starts_on=d["starts_on"], ends_on=d["ends_on"], public_url=d["public_url"]))
        if outcome.done:
            messages.success(request, _("The campaign has been registered."))
            return redirect("charity:campaign_detail", campaign_id=outcome.result.pk)
    return render_page(request, "charity/campaign_form.html", {"form": form},
                       status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor = request.user
    campaign = campaign_selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    can_manage = access.holds(actor, access.MANAGE, campaign.fund)
    form = ReportedTotalForm(request.POST or None)
    outcome = Submitted(False)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied()
        outcome = submit(form, lambda d: services.campaign_set_reported_total(
            actor=actor, campaign=campaign, total=d["reported_total"]))
        if outcome.done:
            messages.success(request, _("The platform's reported total has been saved."))
            return redirect("charity:campaign_reconcile", campaign_id=campaign.pk)
    txns = (CampaignTransaction.objects.unscoped(reason="children of a row read in scope").filter(campaign=campaign)
            .select_related("donation"))
    return render_page(request, "charity/campaign_detail.html", {
        "campaign": campaign, "progress": campaign_selectors.progress(campaign),
        "platform": platforms.platform_label(campaign.platform), "form": form,
        "can_manage": can_manage, "page": paginate(request, txns)}, status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def campaign_import(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor = request.user
    campaign = campaign_selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    if not access.holds(actor, access.MANAGE, campaign.fund):
        raise NotFound()
    form = StatementForm(request.POST or None, request.FILES or None)
    rows: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.statement_import(actor=actor, campaign=campaign,
                                               source=form.cleaned_data["file"])
        except services.StatementRejected as exc:
            rows, status = exc.rows, exc.status
            form.add_error(None, exc.localized())
        except WusheError as exc:
            status = exc.status
            form.add_error(None, exc.localized())
        else:
            messages.success(request, _("%(added)d transactions added, %(already)d already "
                                        "imported, %(refused)d refused.") % {
                "added": result.added, "already": result.already,
                "refused": len(result.refused)})
            return redirect("charity:campaign_reconcile", campaign_id=campaign.pk)
    elif request.method == "POST":
        status = 400
    return render_page(request, "charity/campaign_import.html", {
        "campaign": campaign, "form": form, "rows": rows,
        "columns": services.COLUMNS}, status=status)


@login_required
@never_cache
@require_GET
def campaign_reconcile(request: HttpRequest, campaign_id: int) -> HttpResponse:
    actor = request.user
    campaign = campaign_selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    progress = campaign_selectors.progress(campaign)
    imports = list(campaign.imports.unscoped(reason="children of a row read in scope").all()[:50])
    reversed_total = (CampaignTransaction.objects.unscoped(reason="children of a row read in scope")
                      .filter(campaign=campaign, donation__status=DonationStatus.REVERSED)
                      .aggregate(t=Sum("amount"))["t"])
    difference = (campaign.reported_total - progress["raised"]
                  if campaign.reported_total is not None else None)
    return render_page(request, "charity/campaign_reconcile.html", {
        "campaign": campaign, "progress": progress, "imports": imports,
        "difference": difference, "reversed_total": reversed_total,
        "can_manage": access.holds(actor, access.MANAGE, campaign.fund),
        "form": ReportedTotalForm(initial={"reported_total": campaign.reported_total})})


@require_GET
@cache_control(public=True, max_age=300)
def public_campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_selectors.public_campaign(campaign_id=campaign_id)
    return render_page(request, "charity/public_campaign.html", {
        "campaign": campaign, "platform": platforms.platform_label(campaign.platform),
        "donors": campaign_selectors.public_donors(campaign)})
