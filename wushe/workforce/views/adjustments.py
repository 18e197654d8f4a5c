"""Cadre adjustment pages: the list (year, kind, state) with the figure per year, the detail,
and the community's proposal, the street's decision and the elected members' procedure."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied
from wushe.orgs.views.common import action_page
from wushe.web.pages import paginate, render_page
from wushe.workforce import forms_adjustments as forms
from wushe.workforce import selectors_adjustments as selectors
from wushe.workforce import services
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import Adjustment, AdjustmentState, Engagement
from wushe.workforce.services.adjustments import APPROVE, PROPOSE
from wushe.workforce.validation import kinds_for

VIEW = "workforce.view"


def _filters(form: forms.AdjustmentFilterForm) -> selectors.AdjustmentFilters:
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return selectors.AdjustmentFilters(year=int(d["year"]) if d["year"] else None,
                                           kind=d["kind"], state=d["state"])
    return selectors.AdjustmentFilters()


@login_required
@never_cache
@require_GET
def adjustment_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, VIEW):
        raise PermissionDenied()
    years = selectors.adjustment_years(actor=actor)
    form = forms.AdjustmentFilterForm(request.GET or None, years=years)
    page = paginate(request, selectors.adjustment_list(actor=actor, filters=_filters(form)))
    return render_page(request, "workforce/adjustments.html", {
        "form": form, "page": page, "tab": "adjustments",
        "per_year": selectors.adjustment_year_counts(actor=actor),
        "per_year_kind": selectors.adjustment_year_kind_counts(actor=actor),
        "kind_columns": selectors.kind_columns(),
    }, partial="results", status=400 if form.errors else 200)


def _back(adjustment: Adjustment) -> str:
    return reverse("workforce:adjustment", kwargs={"adjustment_id": adjustment.pk})


@login_required
@never_cache
@require_GET
def adjustment_detail(request: HttpRequest, adjustment_id: int) -> HttpResponse:
    actor = request.user
    adjustment = selectors.adjustment_get(actor=actor, adjustment_id=adjustment_id)
    ladder = ladder_for(adjustment.region_path)
    posts = {p.number: p.name for p in ladder.posts}
    elected = adjustment.engagement == Engagement.ELECTED
    state = adjustment.state
    return render_page(request, "workforce/adjustment.html", {
        "a": adjustment, "tab": "adjustments", "elected": elected,
        "old_post": posts.get(adjustment.old_post or 0, ""),
        "new_post": posts.get(adjustment.new_post or 0, ""),
        "can_propose": not elected and state in (AdjustmentState.OPEN, AdjustmentState.REJECTED)
        and scope.covers(actor, PROPOSE, adjustment.region_path),
        "can_decide": not elected and state == AdjustmentState.PROPOSED
        and scope.covers(actor, APPROVE, adjustment.region_path)
        and adjustment.proposed_by_id != actor.pk,
        "can_record": elected and state == AdjustmentState.OPEN
        and scope.covers(actor, PROPOSE, adjustment.region_path),
    })


def _get(request: HttpRequest, adjustment_id: int, perm: str) -> Adjustment:
    adjustment = selectors.adjustment_get(actor=request.user, adjustment_id=adjustment_id)
    scope.require(request.user, perm, adjustment, view_perm=VIEW)
    return adjustment


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def adjustment_propose(request: HttpRequest, adjustment_id: int) -> HttpResponse:
    adjustment = _get(request, adjustment_id, PROPOSE)
    form = forms.ProposeForm(request.POST or None,
                             kinds=kinds_for(Engagement.HIRED, adjustment.region_path),
                             ladder=ladder_for(adjustment.region_path))
    return action_page(
        request, form=form, back=_back(adjustment),
        call=lambda d: services.adjustment_propose(actor=request.user, adjustment=adjustment,
                                                   **d),
        title=_("Propose the adjustment of %(name)s") % {
            "name": adjustment.worker.person.masked_name},
        done=_("The proposal has been sent to the street."), submit_label=_("Propose"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def adjustment_approve(request: HttpRequest, adjustment_id: int) -> HttpResponse:
    adjustment = _get(request, adjustment_id, APPROVE)
    return action_page(
        request, form=forms.DecisionForm(request.POST or None), back=_back(adjustment),
        call=lambda d: services.adjustment_approve(actor=request.user, adjustment=adjustment,
                                                   **d),
        title=_("Approve the adjustment of %(name)s") % {
            "name": adjustment.worker.person.masked_name},
        done=_("The adjustment has been approved; the post, grade and access follow."),
        submit_label=_("Approve"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def adjustment_reject(request: HttpRequest, adjustment_id: int) -> HttpResponse:
    adjustment = _get(request, adjustment_id, APPROVE)
    return action_page(
        request, form=forms.RejectForm(request.POST or None), back=_back(adjustment),
        call=lambda d: services.adjustment_reject(actor=request.user, adjustment=adjustment,
                                                  **d),
        title=_("Send back the proposal for %(name)s") % {
            "name": adjustment.worker.person.masked_name},
        done=_("The proposal has been sent back."), submit_label=_("Send back"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def adjustment_record(request: HttpRequest, adjustment_id: int) -> HttpResponse:
    adjustment = _get(request, adjustment_id, PROPOSE)
    form = forms.ProcedureForm(request.POST or None,
                               kinds=kinds_for(Engagement.ELECTED, adjustment.region_path))
    return action_page(
        request, form=form, back=_back(adjustment),
        call=lambda d: services.adjustment_record_procedure(
            actor=request.user, adjustment=adjustment, **d),
        title=_("Record the lawful procedure for %(name)s") % {
            "name": adjustment.worker.person.masked_name},
        done=_("The procedure has been recorded."), submit_label=_("Record"))
