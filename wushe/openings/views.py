"""Pages of the opening balances (district admins): the list, proposing a balance (the figure
chosen by its Chinese label, never its internal key), and a balance with approve / reject /
withdraw."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.openings import selectors, services
from wushe.openings.models import OpeningBalance, OpeningState
from wushe.policies import selectors as policy_selectors
from wushe.regions import selectors as region_selectors
from wushe.regions.models import RegionLevel
from wushe.web.pages import Submitted, button, paginate, render_page, submit


def _label(key: str) -> str:
    from wushe.reports.kpis import KPIS

    kpi = KPIS.get(key)
    return kpi.zh if kpi else "—"


def _decorate(b: OpeningBalance) -> OpeningBalance:
    from wushe.reports.annual.narrative import format_value
    from wushe.reports.kpis import KPIS

    b.kpi_label = _label(b.kpi_key)  # type: ignore[attr-defined]
    b.shown = (format_value(b.kpi_key, float(b.value), "zh")  # type: ignore[attr-defined]
               if b.kpi_key in KPIS else str(b.value))
    return b


@login_required
@require_GET
def opening_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, selectors.VIEW):
        raise NotFound()
    state = request.GET.get("state", "")
    page = paginate(request, selectors.opening_list(actor=actor, state=state))
    for b in page:
        _decorate(b)
    return render_page(request, "openings/list.html", {
        "page": page, "state": state, "states": OpeningState.choices})


class ProposeForm(forms.Form):
    kpi = forms.ChoiceField(label=gettext_lazy("Figure"))
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    as_of = forms.CharField(label=gettext_lazy("As of (date)"), max_length=20,
                            help_text=gettext_lazy("The opening figure counts everything up to "
                                                   "and including this day."),
                            widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.CharField(label=gettext_lazy("Opening figure"), max_length=30)
    source = forms.CharField(label=gettext_lazy("Source document"), max_length=200,
                             help_text=gettext_lazy("For example: the district civil affairs "
                                                    "bureau's annual report 2025."))
    policy = forms.ChoiceField(label=gettext_lazy("Policy document (optional)"), required=False)

    def __init__(self, *args: Any, regions: list[Any], policies: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        fields: dict[str, Any] = self.fields
        fields["kpi"].choices = [("", "—"), *selectors.kpi_choices()]
        fields["region"].choices = [(str(r.pk), r.name) for r in regions]
        fields["policy"].choices = [("", "—"), *((str(p.pk), p.title) for p in policies)]


@login_required
@require_http_methods(["GET", "POST"])
def opening_propose(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, services.MANAGE):
        raise NotFound()
    regions = [r for r in region_selectors.region_list(actor=actor).filter(
        level__in=[RegionLevel.DISTRICT, RegionLevel.STREET])
        if scope.covers(actor, services.MANAGE, r.path)]
    if not regions:
        raise NotFound()
    policies = list(policy_selectors.policy_list(actor=actor)[:200])
    form = ProposeForm(request.POST or None, regions=regions, policies=policies)
    by_id = {str(r.pk): r for r in regions}
    pols = {str(p.pk): p for p in policies}
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.opening_propose(
            actor=actor, region=by_id[d["region"]], kpi=d["kpi"], as_of=d["as_of"],
            value=d["value"], source=d["source"], policy=pols.get(d["policy"] or "")))
        if outcome.done:
            messages.success(request, _("The opening balance waits for a second administrator."))
            return redirect("openings:detail", outcome.result.pk)
    return render_page(request, "openings/propose.html", {"form": form}, status=outcome.status)


@login_required
@require_GET
def opening_detail(request: HttpRequest, balance_id: int) -> HttpResponse:
    actor = request.user
    b = _decorate(selectors.opening_get(actor=actor, balance_id=balance_id))
    draft = b.state == OpeningState.DRAFT
    mine = b.proposed_by_id == actor.pk
    return render_page(request, "openings/detail.html", {
        "b": b, "can_decide": draft and not mine, "can_withdraw": draft and mine})


def _act(request: HttpRequest, balance_id: int, call: Any, done: str) -> HttpResponse:
    b = selectors.opening_get(actor=request.user, balance_id=balance_id)
    return button(request, lambda: call(b), done, "openings:detail", b.pk)


@login_required
@require_POST
def opening_approve(request: HttpRequest, balance_id: int) -> HttpResponse:
    return _act(request, balance_id, lambda b: services.opening_approve(
        actor=request.user, balance=b), _("The opening balance is approved."))


@login_required
@require_POST
def opening_reject(request: HttpRequest, balance_id: int) -> HttpResponse:
    return _act(request, balance_id, lambda b: services.opening_reject(
        actor=request.user, balance=b, reason=request.POST.get("reason", "")),
        _("The opening balance is rejected."))


@login_required
@require_POST
def opening_withdraw(request: HttpRequest, balance_id: int) -> HttpResponse:
    return _act(request, balance_id, lambda b: services.opening_withdraw(
        actor=request.user, balance=b), _("The opening balance is withdrawn."))
