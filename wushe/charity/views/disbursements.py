"""Disbursement pages: register with filters and export, request, detail with the approval
trail and the actions the viewer may take (approve, reject, cancel, pay, reverse)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.charity import access, forms, selectors, services
from wushe.charity.models import DisbursementStatus
from wushe.charity.views.common import can, visible_funds, xlsx
from wushe.core.errors import ValidationFailed, WusheError
from wushe.people.selectors import person_lookup
from wushe.web.pages import Submitted, add_service_error, paginate, render_page, submit

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _filters(form: forms.DisbursementFilterForm) -> selectors.DisbursementFilters:
    if not form.is_bound or not form.is_valid():
        return selectors.DisbursementFilters()
    d = form.cleaned_data
    return selectors.DisbursementFilters(fund_id=int(d["fund"]) if d["fund"] else None,
                                         status=d["status"], category=d["category"],
                                         awaiting_me=d["awaiting_me"])


@login_required
@never_cache
@require_GET
def disbursement_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = forms.DisbursementFilterForm(request.GET or None, funds=visible_funds(actor))
    page = paginate(request, selectors.disbursement_list(actor=actor, filters=_filters(form)))
    return render_page(request, "charity/disbursement_list.html", {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def disbursement_export(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = forms.DisbursementFilterForm(request.GET or None, funds=visible_funds(actor))
    return xlsx(services.disbursements_export(actor=actor, filters=_filters(form)),
                "wushe-disbursements")


def _person(actor: Actor, id_number: str) -> Any:
    if not id_number:
        return None
    person = person_lookup(actor=actor, id_number=id_number)
    if person is None:
        raise ValidationFailed("在您的辖区内未找到该身份证号的人员,请先登记",
                               "No person with this ID number is registered in your area",
                               field="id_number")
    return person


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def disbursement_create(request: HttpRequest, fund_id: int) -> HttpResponse:
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    access.require(actor, access.MANAGE, fund)
    form = forms.DisbursementForm(request.POST or None)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.disbursement_request(
            actor=actor, fund=fund, amount=d["amount"], purpose=d["purpose"],
            category=d["category"], source=d["source"], beneficiary_kind=d["beneficiary_kind"],
            person=_person(actor, d["id_number"].strip()), need_id=d["need_id"],
            project_id=d["project_id"], beneficiary_label=d["beneficiary_label"],
            beneficiary_count=d["beneficiary_count"]))
        if outcome.done:
            messages.success(request, _("The request has been submitted for approval."))
            return redirect("charity:disbursement_detail", disbursement_id=outcome.result.pk)
    return render_page(request, "charity/disbursement_form.html", {"form": form, "fund": fund},
                       status=outcome.status)


def _context(request: HttpRequest, d: Any, **extra: Any) -> dict[str, Any]:
    actor = request.user
    decided = {a.approver_id for a in selectors.approvals(disbursement=d)}
    requested = d.status == DisbursementStatus.REQUESTED
    approve = can(actor, access.APPROVE, d.fund)
    manage = can(actor, access.MANAGE, d.fund)
    return {
        "d": d, "approvals": selectors.approvals(disbursement=d),
        "can_approve": approve and requested and actor.pk != d.requested_by_id
        and actor.pk not in decided,
        "can_reject": approve and requested and actor.pk not in decided,
        "can_cancel": manage and d.status in (DisbursementStatus.REQUESTED,
                                              DisbursementStatus.APPROVED),
        "can_pay": manage and d.status == DisbursementStatus.APPROVED,
        "can_reverse": approve and d.status == DisbursementStatus.PAID,
        **{f"{name}_form": form_class(auto_id=f"id_{name}_%s")
           for name, (_call, form_class, _done) in ACTIONS.items()},
        **extra,
    }


@login_required
@never_cache
@require_GET
def disbursement_detail(request: HttpRequest, disbursement_id: int) -> HttpResponse:
    d = selectors.disbursement_get(actor=request.user, disbursement_id=disbursement_id)
    return render_page(request, "charity/disbursement_detail.html", _context(request, d))


# action → (service, form, message); each action's form is "<action>_form" in the page.
ACTIONS: dict[str, tuple[Callable[..., Any], type[Any], Any]] = {
    "approve": (services.disbursement_approve, forms.CommentForm,
                gettext_lazy("The approval has been recorded.")),
    "reject": (services.disbursement_reject, forms.ReasonForm,
               gettext_lazy("The request has been rejected.")),
    "cancel": (services.disbursement_cancel, forms.ReasonForm,
               gettext_lazy("The request has been cancelled.")),
    "pay": (services.disbursement_pay, forms.PayForm,
            gettext_lazy("The payment has been recorded in the ledger.")),
    "reverse": (services.disbursement_reverse, forms.ReasonForm,
                gettext_lazy("The payment has been reversed by a new ledger entry.")),
}


@login_required
@require_POST
def disbursement_act(request: HttpRequest, disbursement_id: int, action: str) -> HttpResponse:
    actor = request.user
    d = selectors.disbursement_get(actor=actor, disbursement_id=disbursement_id)
    if action not in ACTIONS:
        raise ValidationFailed("未知的操作", "Unknown action")
    call, form_class, done = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"id_{action}_%s")
    status = 400
    if form.is_valid():
        try:
            call(actor=actor, disbursement=d, **form.cleaned_data)
        except WusheError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            messages.success(request, str(done))
            return redirect("charity:disbursement_detail", disbursement_id=d.pk)
    return render_page(request, "charity/disbursement_detail.html", _context(
        request, d, **{f"{action}_form": form, "open_action": action}), status=status)
