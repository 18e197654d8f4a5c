"""Donor and donation pages: registers, intake with a receipt, reversal, exports, PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.charity import access, forms, receipts, selectors, services
from wushe.charity.models import DonorKind
from wushe.charity.views.common import can, donor_regions, visible_funds, xlsx
from wushe.core.errors import PermissionDenied, WusheError
from wushe.regions.selectors import region_get
from wushe.web import privatesearch
from wushe.web.pages import (
    Submitted,
    add_service_error,
    is_partial,
    paginate,
    render_page,
    submit,
)

# --- donors ---------------------------------------------------------------------------------


SEARCH_PAGE = "charity.donors"


@login_required
@never_cache
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def donor_list(request: HttpRequest) -> HttpResponse:
    """The search form posts (a donor's name may be a person's: it never goes in a URL, #22): a
    valid search is kept in the session and the page answers ``?s=<key>``, htmx gets the
    results at once and that address to show. A GET takes the kind and, as ``q``, only a
    unified social credit code."""
    if request.method == "POST":
        form = forms.DonorFilterForm(request.POST)
        if not form.is_valid():
            return _donor_results(request, form)
        query = QueryDict(mutable=True)
        if form.cleaned_data["q"].strip():
            query[privatesearch.PARAM] = privatesearch.search_save(
                request, SEARCH_PAGE, {"q": form.cleaned_data["q"]})
        if form.cleaned_data["kind"]:
            query["kind"] = form.cleaned_data["kind"]
        url = reverse("charity:donors") + (f"?{query.urlencode()}" if query else "")
        if not is_partial(request):
            return redirect(url)
        request.GET = QueryDict(query.urlencode())  # pagination links keep the key and kind
        response = _donor_results(request, form)
        response["HX-Push-Url"] = url
        return response
    data = {k: v for k, v in request.GET.items() if k in ("q", "kind")}
    saved = privatesearch.search_load(request, SEARCH_PAGE)
    if saved is not None:
        data["q"] = str(saved.get("q", ""))
    return _donor_results(request, forms.DonorFilterForm(data or None,
                                                         via_url=saved is None))


def _donor_results(request: HttpRequest, form: forms.DonorFilterForm) -> HttpResponse:
    actor = request.user
    if form.is_bound and not form.is_valid():  # a refused search lists nothing
        page = paginate(request, [])
    else:
        filters = selectors.DonorFilters()
        if form.is_bound:
            filters = selectors.DonorFilters(q=form.cleaned_data["q"],
                                             kind=form.cleaned_data["kind"])
        page = paginate(request, selectors.donor_list(actor=actor, filters=filters))
    return render_page(request, "charity/donor_list.html", {
        "form": form, "page": page, "can_create": access.manages_somewhere(actor),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def donor_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    regions = donor_regions(actor)
    if not regions:
        raise PermissionDenied()
    form = forms.DonorForm(request.POST or None, regions=regions,
                           initial={"kind": DonorKind.ENTERPRISE})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.donor_create(
            actor=actor, region=region_get(actor=actor, code=d["region"]), kind=d["kind"],
            name=d["name"], credit_code=d["credit_code"] or None,
            contact_name=d["contact_name"], phone=d["phone"] or None,
            anonymous=d["anonymous"], note=d["note"]))
        if outcome.done:
            messages.success(request, _("The donor has been registered."))
            back = request.GET.get("next", "")
            if back.startswith("/charity/") and "//" not in back:  # back to the intake form
                return redirect(f"{back}?donor={outcome.result.pk}")
            return redirect("charity:donor_detail", donor_id=outcome.result.pk)
    return render_page(request, "charity/donor_form.html", {"form": form},
                       status=outcome.status)


def _donor_context(request: HttpRequest, donor: Any, **extra: Any) -> dict[str, Any]:
    actor = request.user
    return {"donor": donor,
            "donations": list(selectors.donation_list(actor=actor, filters=selectors.DonationFilters(
                donor_id=donor.pk))[:50]),
            "can_reveal": bool(donor.phone) and access.region_allows(actor, access.MANAGE,
                                                                     donor.region_path),
            "reveal_form": forms.RevealForm(), **extra}


@login_required
@never_cache
@require_GET
def donor_detail(request: HttpRequest, donor_id: int) -> HttpResponse:
    donor = selectors.donor_get(actor=request.user, donor_id=donor_id)
    return render_page(request, "charity/donor_detail.html", _donor_context(request, donor))


@login_required
@never_cache
@require_POST
def donor_reveal(request: HttpRequest, donor_id: int) -> HttpResponse:
    actor = request.user
    donor = selectors.donor_get(actor=actor, donor_id=donor_id)
    form = forms.RevealForm(request.POST)
    outcome = submit(form, lambda d: services.donor_unmask(actor=actor, donor=donor,
                                                            purpose=d["purpose"]))
    return render_page(request, "charity/donor_detail.html", _donor_context(
        request, donor, reveal_form=form, revealed=outcome.result if outcome.done else None),
        status=outcome.status)


# --- donations ------------------------------------------------------------------------------

def _donation_filters(request: HttpRequest, form: forms.DonationFilterForm
                      ) -> selectors.DonationFilters:
    if not form.is_bound or not form.is_valid():
        return selectors.DonationFilters()
    d = form.cleaned_data
    return selectors.DonationFilters(fund_id=int(d["fund"]) if d["fund"] else None,
                                     kind=d["kind"], status=d["status"], date_from=d["date_from"],
                                     date_to=d["date_to"], receipt=d["receipt"].strip())


@login_required
@never_cache
@require_GET
def donation_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = forms.DonationFilterForm(request.GET or None, funds=visible_funds(actor))
    page = paginate(request, selectors.donation_list(actor=actor,
                                                     filters=_donation_filters(request, form)))
    return render_page(request, "charity/donation_list.html", {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def donation_export(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = forms.DonationFilterForm(request.GET or None, funds=visible_funds(actor))
    content = services.donations_export(actor=actor, filters=_donation_filters(request, form))
    return xlsx(content, "wushe-donations")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def donation_create(request: HttpRequest, fund_id: int) -> HttpResponse:
    """Intake at the counter. The form carries an idempotency key: a double click or a
    resubmitted page returns the first donation instead of recording a second."""
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=fund_id)
    access.require(actor, access.MANAGE, fund)
    donors = list(selectors.donor_list(actor=actor))
    form = forms.DonationForm(request.POST or None, donors=donors,
                              initial={"donor": request.GET.get("donor", "")})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.donation_receive(
            actor=actor, fund=fund, donor=selectors.donor_get(actor=actor, donor_id=d["donor"]),
            kind=d["kind"], amount=d["amount"], idempotency_key_value=d["idempotency_key"],
            channel=d["channel"], received_on=d["received_on"],
            goods_description=d["goods_description"], goods_quantity=d["goods_quantity"],
            valuation_basis=d["valuation_basis"], note=d["note"]))
        if outcome.done:
            messages.success(request, _("The donation has been recorded; receipt %(number)s "
                                        "issued.") % {"number": outcome.result.receipt.number})
            return redirect("charity:donation_detail", donation_id=outcome.result.pk)
    return render_page(request, "charity/donation_form.html", {"form": form, "fund": fund},
                       status=outcome.status)


def _donation_context(request: HttpRequest, donation: Any, **extra: Any) -> dict[str, Any]:
    receipt = getattr(donation, "receipt", None)
    return {"donation": donation,
            "receipt_fields": receipts.receipt_fields(receipt) if receipt else [],
            "receipt": receipt,
            "can_print": can(request.user, access.MANAGE, donation.fund),
            "can_reverse": can(request.user, access.APPROVE, donation.fund),
            "reverse_form": forms.ReasonForm(), **extra}


@login_required
@never_cache
@require_GET
def donation_detail(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = selectors.donation_get(actor=request.user, donation_id=donation_id)
    return render_page(request, "charity/donation_detail.html",
                       _donation_context(request, donation))


@login_required
@never_cache
@require_GET
def receipt_pdf(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = selectors.donation_get(actor=request.user, donation_id=donation_id)
    content = services.receipt_pdf(actor=request.user, donation=donation)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{donation.receipt.number}.pdf"'
    return response


@login_required
@require_POST
def donation_reverse(request: HttpRequest, donation_id: int) -> HttpResponse:
    actor = request.user
    donation = selectors.donation_get(actor=actor, donation_id=donation_id)
    form = forms.ReasonForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.donation_reverse(actor=actor, donation=donation,
                                      reason=form.cleaned_data["reason"])
        except WusheError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The donation has been reversed and its receipt voided."))
            return redirect("charity:donation_detail", donation_id=donation.pk)
    return render_page(request, "charity/donation_detail.html", _donation_context(
        request, donation, reverse_form=form, reverse_open=True), status=status)
