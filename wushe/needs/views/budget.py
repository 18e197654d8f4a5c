"""自治金 pages: the budgets (list, detail, set), support on paper and the allocation of an
idea (staff), and the public page of an idea where residents support it by phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound, WusheError
from wushe.needs import confirm, ideas_selectors, perms, ratelimit
from wushe.needs.services import budget as svc
from wushe.needs.views.common import client_ip
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import region_get, regions_where
from wushe.web.forms import PageForm, set_choices
from wushe.web.pages import add_service_error, paginate, render_page, submit

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@login_required
@never_cache
@require_GET
def budget_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.BUDGET_VIEW):
        raise NotFound()
    page = paginate(request, ideas_selectors.budget_list(actor=actor))
    rows = [(bud, ideas_selectors.budget_remaining(bud)) for bud in page]
    can_set = bool(regions_where(actor, perms.BUDGET_SET, (RegionLevel.STREET,)))
    return render_page(request, "needs/budgets.html",
                       {"page": page, "rows": rows, "can_set": can_set})


@login_required
@never_cache
@require_GET
def budget_detail(request: HttpRequest, budget_id: int) -> HttpResponse:
    bud = ideas_selectors.budget_get(actor=request.user, budget_id=budget_id)
    return render_page(request, "needs/budget_detail.html", {
        "budget": bud, "allocated": ideas_selectors.budget_allocated(bud),
        "remaining": ideas_selectors.budget_remaining(bud),
        "allocations": list(ideas_selectors.budget_allocations(budget=bud))})


class BudgetForm(PageForm):
    community = forms.ChoiceField(label=gettext_lazy("Community"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    fund = forms.ChoiceField(label=gettext_lazy("Community fund"))
    amount = forms.DecimalField(label=gettext_lazy("Budget (yuan)"), max_digits=12,
                                decimal_places=2)

    def __init__(self, *args: Any, regions: list[Any], funds: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "community", [(r.code, r.name) for r in regions])
        set_choices(self, "fund", [(str(f.pk), f.name) for f in funds])


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def budget_set(request: HttpRequest) -> HttpResponse:
    actor = request.user
    streets = regions_where(actor, perms.BUDGET_SET, (RegionLevel.STREET,))
    if not streets:
        raise NotFound()
    regions = [r for r in regions_where(actor, perms.BUDGET_SET, (RegionLevel.COMMUNITY,))
               if any(r.path.startswith(s.path) for s in streets)]
    funds = ideas_selectors.budget_funds(regions=regions)
    form = BudgetForm(request.POST or None, regions=regions, funds=funds,
                      initial={"year": timezone.localdate().year})
    outcome = submit(form, lambda d: svc.budget_set(
        actor=actor, region=region_get(actor=actor, code=d["community"]), year=d["year"],
        fund=next(f for f in funds if str(f.pk) == d["fund"]), amount=d["amount"])) \
        if request.method == "POST" else None
    if outcome is not None and outcome.done:
        messages.success(request, _("The budget has been set."))
        return redirect("needs:budget", budget_id=outcome.result.pk)
    return render_page(request, "needs/budget_form.html", {"form": form},
                       status=outcome.status if outcome else 200)


class PaperSupportForm(PageForm):
    count = forms.IntegerField(label=gettext_lazy("Signatures collected on paper"),
                               min_value=1, max_value=100_000)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class AllocateForm(PageForm):
    amount = forms.DecimalField(label=gettext_lazy("Self-governance money (yuan)"),
                                max_digits=12, decimal_places=2)


@login_required
@require_POST
def idea_paper_support(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = request.user
    idea = ideas_selectors.idea_get(actor=actor, idea_id=idea_id)
    form = PaperSupportForm(request.POST)
    outcome = submit(form, lambda d: svc.idea_paper_support_record(
        actor=actor, idea=idea, count=d["count"], note=d["note"]))
    if outcome.done:
        messages.success(request, _("The support on paper has been recorded."))
    else:
        messages.error(request, _("The support on paper was not recorded: check the number."))
    return redirect("needs:idea", idea_id=idea.pk)


@login_required
@require_POST
def idea_allocate(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = request.user
    idea = ideas_selectors.idea_get(actor=actor, idea_id=idea_id)
    form = AllocateForm(request.POST)
    outcome = submit(form, lambda d: svc.idea_allocate(actor=actor, idea=idea,
                                                       amount=d["amount"]))
    if outcome.done:
        messages.success(request, _("The money has been requested from the community fund."))
    else:
        errors: list[Any] = list(form.non_field_errors()) or list(form.errors.get("amount") or [])
        messages.error(request, " ".join(str(e) for e in errors)
                       or _("The money was not allocated."))
    return redirect("needs:idea", idea_id=idea.pk)


def staff_context(actor: Actor, idea: Any) -> dict[str, Any]:
    """What the staff idea page adds: support, money, and the two forms."""
    return {"money": ideas_selectors.idea_money(idea),
            "can_record_support": scope.covers(actor, perms.SUPPORT_RECORD, idea.region_path),
            "can_allocate": scope.covers(actor, perms.IDEA_ALLOCATE, idea.region_path)
            and idea.state == "adopted" and ideas_selectors.idea_money(idea) is None,
            "paper_form": PaperSupportForm(), "allocate_form": AllocateForm()}


# --- public --------------------------------------------------------------------------------

class SupportPhoneForm(PageForm):
    phone = forms.CharField(label=gettext_lazy("Your mobile phone"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel",
                                                          "autocomplete": "tel"}))


class SupportCodeForm(PageForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=40)
    code = forms.CharField(label=gettext_lazy("The 6-digit code we sent you"), max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


@never_cache
@require_http_methods(["GET", "POST"])
def public_idea_detail(request: HttpRequest, code: str) -> HttpResponse:
    idea = ideas_selectors.public_idea_get(code=code)
    phone_form: SupportPhoneForm | None = SupportPhoneForm()
    code_form: SupportCodeForm | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if "token" in request.POST:
            code_form, phone_form = SupportCodeForm(request.POST), None
            if code_form.is_valid():
                try:
                    ratelimit.hit("intake", client_ip(request))
                    confirm.idea_support_confirm(token=code_form.cleaned_data["token"],
                                                 code=code_form.cleaned_data["code"])
                except WusheError as exc:
                    add_service_error(code_form, exc)
                    status = exc.status
                else:
                    messages.success(request, _("Thank you: your support has been counted."))
                    return redirect("needs:public_idea_detail", code=idea.code)
        else:
            phone_form = SupportPhoneForm(request.POST)
            if phone_form.is_valid():
                try:
                    ratelimit.hit("intake", client_ip(request))
                    sup = svc.idea_support_start(idea_code=idea.code,
                                                 phone=phone_form.cleaned_data["phone"])
                except WusheError as exc:
                    add_service_error(phone_form, exc)
                    status = exc.status
                else:
                    code_form, phone_form, status = \
                        SupportCodeForm(initial={"token": sup.token}), None, 200
    return render_page(request, "needs/public/idea_detail.html", {
        "idea": idea, "money": ideas_selectors.idea_money(idea), "phone_form": phone_form,
        "code_form": code_form}, status=status)
