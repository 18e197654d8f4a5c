"""Purchase pages: the district's yearly purchase lists (create, add projects, publish, export),
listing one project, the procurement record, the contract and the payments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.projects import access, eligibility, exporters, forms, selectors, services
from wushe.projects.models import ContractTranche, ListStatus
from wushe.projects.views.common import action_page
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import regions_where
from wushe.web.pages import Submitted, render_page, submit, xlsx_response

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def list_index(request: HttpRequest) -> HttpResponse:
    """The district's purchase lists by year, and a new batch."""
    actor = request.user
    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()
    districts = regions_where(actor, access.MANAGE, (RegionLevel.DISTRICT,))
    form = forms.PurchaseListForm(request.POST or None,
                                  initial={"year": timezone.localdate().year + 1})
    outcome = Submitted(False)
    if request.method == "POST":
        if not districts:
            raise PermissionDenied()
        outcome = submit(form, lambda d: services.purchase_list_create(
            actor=actor, region=districts[0], year=d["year"], name=d["name"]))
        if outcome.done:
            messages.success(request, _("The purchase list was created."))
            return redirect("projects:list_detail", list_id=outcome.result.pk)
    year = request.GET.get("year", "")
    lists = selectors.purchase_lists(actor=actor, year=int(year) if year.isdecimal() else None)
    return render_page(request, "projects/lists.html", {
        "lists": lists, "form": form if districts else None, "year": year,
        "years": forms.year_choices()}, status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    """One batch: its projects; a manager adds designed projects and publishes it."""
    actor = request.user
    plist = selectors.purchase_list_get(actor=actor, list_id=list_id)
    manage = scope.covers(actor, access.MANAGE, plist.region_path)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied()
        added = 0
        for pk in request.POST.getlist("project"):
            try:
                project = selectors.project_get(actor=actor, project_id=pk)
                services.project_list_add(actor=actor, project=project, plist=plist)
                added += 1
            except WusheError as exc:
                messages.error(request, exc.localized())
        if added:
            messages.success(request, _("%(n)s projects added to the list.") % {"n": added})
        return redirect("projects:list_detail", list_id=plist.pk)
    projects = list(selectors.list_projects(plist))
    return render_page(request, "projects/list_detail.html", {
        "plist": plist, "projects": projects, "can_manage": manage,
        "total": sum((p.budget for p in projects), 0),
        "listable": selectors.listable_projects(actor=actor, plist=plist)[:300]
        if manage and plist.status == ListStatus.DRAFT else [],
    })


@login_required
@require_POST
def list_publish(request: HttpRequest, list_id: int) -> HttpResponse:
    actor = request.user
    plist = selectors.purchase_list_get(actor=actor, list_id=list_id)
    try:
        services.purchase_list_publish(actor=actor, plist=plist)
    except WusheError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The purchase list is published on the public page."))
    return redirect("projects:list_detail", list_id=plist.pk)


@login_required
@require_GET
def list_export(request: HttpRequest, list_id: int) -> HttpResponse:
    actor = request.user
    plist = selectors.purchase_list_get(actor=actor, list_id=list_id)
    content = exporters.purchase_list_xlsx(actor=actor, plist=plist)
    return xlsx_response(content, f"purchase-list-{plist.year}-{plist.pk}")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_list_add(request: HttpRequest, project_id: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.MANAGE, project)
    lists = [pl for pl in selectors.purchase_lists(actor=actor, year=project.year)
             if pl.status == ListStatus.DRAFT and project.region_path.startswith(pl.region_path)]
    back = reverse("projects:detail", args=[project.pk])
    form = forms.ListAddForm(request.POST or None, lists=lists)
    by_pk = {str(pl.pk): pl for pl in lists}
    return action_page(
        request, form=form,
        call=lambda d: services.project_list_add(actor=actor, project=project,
                                                 plist=by_pk[d["plist"]], note=d["note"]),
        title=_("List %(name)s for purchase") % {"name": project.name}, back=back,
        done=_("The project is listed for purchase."), submit_label=_("List for purchase"),
        context={"note": "" if lists else _("No draft purchase list of this year: create one "
                                            "on the purchase lists page first.")})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def procurement(request: HttpRequest, project_id: int) -> HttpResponse:
    """Record the selection among eligible providers (ineligible ones shown with reasons)."""
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.MANAGE, project)
    search = request.GET.get("q", "")[:60]
    verdicts = eligibility.provider_candidates(actor, year=project.year,
                                               region_path=project.region_path, search=search,
                                               limit=80)
    back = reverse("projects:detail", args=[project.pk])
    form = forms.ProcurementForm(request.POST or None, verdicts=verdicts,
                                 initial={"decided_on": timezone.localdate()})
    return action_page(
        request, form=form,
        call=lambda d: services.procurement_record(
            actor=actor, project=project, method=d["method"],
            candidate_ids=[int(x) for x in d["candidates"]], selected_id=int(d["selected"]),
            reason=d["reason"], decided_on=d["decided_on"]),
        title=_("Procurement of %(name)s") % {"name": project.name}, back=back,
        done=_("The selection was recorded."), submit_label=_("Record the selection"),
        context={"verdicts": verdicts, "search": search})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contract(request: HttpRequest, project_id: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.MANAGE, project)
    back = reverse("projects:detail", args=[project.pk])
    today = timezone.localdate()
    form = forms.ContractForm(request.POST or None, initial={
        "amount": project.budget, "signed_on": today, "start": today})
    return action_page(
        request, form=form,
        call=lambda d: services.contract_sign(
            actor=actor, project=project, amount=d["amount"], start=d["start"], end=d["end"],
            stable=d["stable"], over_budget_reason=d["over_budget_reason"],
            signed_on=d["signed_on"]),
        title=_("Contract for %(name)s") % {"name": project.name}, back=back,
        done=_("The contract was signed; its payment tranches are set."),
        submit_label=_("Sign the contract"),
        context={"note": _("Provider: %(org)s · budget %(budget)s yuan") % {
            "org": project.provider.name if project.provider else "—",
            "budget": project.budget}})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def payment(request: HttpRequest, project_id: int, seq: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.PAY, project)
    tranche = next((t for t in selectors.project_tranches(project) if t.seq == seq), None)
    if tranche is None:
        raise NotFound()
    back = reverse("projects:detail", args=[project.pk])
    form = forms.PaymentForm(request.POST or None, initial={
        "amount": tranche.remaining, "paid_on": timezone.localdate()})
    return action_page(
        request, form=form,
        call=lambda d: _pay(actor, tranche, d),
        title=_("Pay tranche %(seq)s of %(name)s") % {"seq": seq, "name": project.name},
        back=back, done=_("The payment was recorded."), submit_label=_("Record the payment"),
        context={"note": _("Tranche %(seq)s: %(amount)s yuan, %(left)s yuan left") % {
            "seq": seq, "amount": tranche.amount, "left": tranche.remaining}})


def _pay(actor: Actor, tranche: ContractTranche, d: dict[str, Any]) -> Any:
    return services.payment_make(actor=actor, tranche=tranche, amount=d["amount"],
                                 paid_on=d["paid_on"], reference=d["reference"])
