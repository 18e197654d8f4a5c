"""Organisation pages: list and export, register or file, detail, edit, status, rating,
contact reveal, roster, brand projects and honours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied, WusheError
from wushe.orgs import access, exporters, forms, ratings, selectors, services, workflow
from wushe.orgs.models import AREAS, SocialOrganization
from wushe.orgs.views.common import action_page, filter_regions
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import region_get, regions_where
from wushe.web.pages import (
    Submitted,
    add_service_error,
    breadcrumb,
    paginate,
    render_page,
    submit,
    xlsx_response,
)


def _filters(form: forms.OrgFilterForm) -> selectors.OrgFilters:
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return selectors.OrgFilters(q=d["q"], category=d["category"], status=d["status"],
                                    region_code=d["region"], grade=d["grade"])
    return selectors.OrgFilters()


@login_required
@never_cache
@require_GET
def org_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()
    form = forms.OrgFilterForm(request.GET or None, regions=filter_regions(actor))
    filters = _filters(form)
    status = 400 if form.errors else 200
    try:
        page = selectors.org_page(actor=actor, filters=filters, number=request.GET.get("page"))
    except WusheError as exc:
        add_service_error(form, exc)
        page, status = paginate(request, []), exc.status
    return render_page(request, "orgs/list.html", {
        "form": form, "page": page, "tab": "orgs",
        "can_create": scope.has_perm(actor, access.MANAGE),
        "export_query": request.GET.urlencode(),
    }, partial="results", status=status)


@login_required
@require_GET
def org_export(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = forms.OrgFilterForm(request.GET or None, regions=filter_regions(actor))
    return xlsx_response(exporters.org_export(actor=actor, filters=_filters(form)), "orgs")


@login_required
@require_GET
def org_mine(request: HttpRequest) -> HttpResponse:
    """An organisation's own staff land on their organisation."""
    mine = selectors.org_mine(actor=request.user)
    if len(mine) == 1:
        return redirect("orgs:detail", org_id=mine[0].pk)
    return redirect("orgs:list")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.MANAGE):
        raise PermissionDenied()
    regions = regions_where(actor, access.MANAGE,
                            (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY))
    form = forms.OrgCreateForm(request.POST or None, regions=regions,
                               initial={"status": request.GET.get("status", "filed")})

    def call(d: dict[str, Any]) -> SocialOrganization:
        values = {k: v for k, v in d.items() if k not in ("status", "region")}
        return services.org_create(actor=actor, region=region_get(actor=actor, code=d["region"]),
                                   status=d["status"], **values)

    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, _("The organisation has been recorded."))
            return redirect("orgs:detail", org_id=outcome.result.pk)
    return render_page(request, "orgs/form.html", {"form": form, "org": None, "tab": "orgs"},
                       status=outcome.status)


def _chart(assessments: list[Any]) -> dict[str, Any]:
    """Capacity history for the chart: one series per area, plus the average."""
    return {
        "dates": [a.assessed_on.isoformat() for a in assessments],
        "series": [{"key": key, "name": str(label),
                    "data": [float(getattr(a, key)) for a in assessments]}
                   for key, label in AREAS],
        "average": [float(a.average) for a in assessments],
        "average_label": _("Average"),
    }


@login_required
@never_cache
@require_GET
def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = request.user
    org = selectors.org_get(actor=actor, org_id=org_id)
    detail = selectors.org_detail(actor=actor, org=org)
    today = dt.date.today()
    can_rate = access.can_rate(actor, org)
    latest = detail.assessments[-1] if detail.assessments else None
    return render_page(request, "orgs/detail.html", {
        "org": org, "d": detail, "tab": "orgs", "breadcrumb": breadcrumb(actor, org.region),
        "current": next((r for r in detail.ratings if r.is_current(today)), None),
        "can_edit": access.can_edit(actor, org), "can_manage": access.can_manage(actor, org),
        "can_rate": can_rate,
        "agreements": list(selectors.agreements_of(actor=actor, org=org)),
        "today": today,
        "eligibility": ratings.check_eligibility(org, today) if can_rate else None,
        "allowed": workflow.allowed_statuses(org.status),
        "chart": _chart(detail.assessments), "latest": latest,
        "latest_scores": [(label, getattr(latest, key), key == latest.weakest())
                          for key, label in AREAS] if latest else [],
    })


def _org_for(request: HttpRequest, org_id: int, check: Any) -> SocialOrganization:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    check(request.user, org)
    return org


def _back(org: SocialOrganization, anchor: str = "") -> str:
    return reverse("orgs:detail", kwargs={"org_id": org.pk}) + (f"#{anchor}" if anchor else "")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def org_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = request.user
    org = _org_for(request, org_id, access.require_edit)
    own_only = not access.can_manage(actor, org)
    fields = ["name", "category", "credit_code", "legal_form", "registered_on",
              "person_in_charge", "venue", "activity_area", "funds", "funds_source",
              "founded_on", "charter", "summary"]
    form = forms.ProfileForm(request.POST or None, own_only=own_only,
                             initial={f: getattr(org, f) for f in fields})
    form.fields["contact_phone"].widget.attrs["placeholder"] = org.masked_contact_phone
    form.fields["contact_phone"].help_text = _("Leave blank to keep the current value.")

    def call(d: dict[str, Any]) -> SocialOrganization:
        values = {k: v for k, v in d.items() if k != "contact_phone" or v}
        return services.org_update(actor=actor, org=org, **values)

    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, _("The changes have been saved."))
            return redirect("orgs:detail", org_id=org.pk)
        org = selectors.org_get(actor=actor, org_id=org_id)  # refused: show what is stored
    return render_page(request, "orgs/form.html", {
        "form": form, "org": org, "tab": "orgs", "breadcrumb": breadcrumb(actor, org.region),
    }, status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def org_transition(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org_for(request, org_id, access.require_manage)
    form = forms.TransitionForm(request.POST or None,
                                allowed=workflow.allowed_statuses(org.status))
    return action_page(
        request, form=form, back=_back(org, "status"),
        call=lambda d: services.org_transition(actor=request.user, org=org, **d),
        title=_("Change the status of %(name)s") % {"name": org.name},
        done=_("The status has been changed."), submit_label=_("Change status"),
        context={"org": org, "note": _("Current status: %(s)s") % {"s": org.get_status_display()}})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def org_rate(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org_for(request, org_id, access.require_rate)
    eligibility = ratings.check_eligibility(org, dt.date.today())
    return action_page(
        request, form=forms.RatingForm(request.POST or None), back=_back(org, "rating"),
        call=lambda d: services.rating_award(actor=request.user, org=org, **d),
        title=_("Award a rating to %(name)s") % {"name": org.name},
        done=_("The rating has been awarded."), submit_label=_("Award the rating"),
        context={"org": org, "eligibility": eligibility})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def org_unmask(request: HttpRequest, org_id: int) -> HttpResponse:
    """Show the contact phone once, after a stated purpose (recorded in the access log)."""
    org = _org_for(request, org_id, access.require_edit)
    form = forms.UnmaskForm(request.POST or None)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.org_contact_unmask(
            actor=request.user, org=org, purpose=d["purpose"]))
    return render_page(request, "orgs/action.html", {
        "form": form, "org": org, "title": _("Contact phone of %(name)s") % {"name": org.name},
        "back": _back(org), "submit_label": _("Show the phone number"),
        "revealed": outcome.result if outcome.done else None,
        "note": org.masked_contact_phone or _("No contact phone is on record."),
    }, status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org_for(request, org_id, access.require_edit)
    return action_page(
        request, form=forms.MemberForm(request.POST or None), back=_back(org, "members"),
        call=lambda d: services.member_add(actor=request.user, org=org, **d),
        title=_("Add a member to %(name)s") % {"name": org.name},
        done=_("The member has been added."), submit_label=_("Add the member"),
        context={"org": org})


@login_required
@require_POST
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.member_get(actor=request.user, member_id=member_id)
    services.member_remove(actor=request.user, member=member)
    messages.success(request, _("The member has been removed."))
    return redirect(_back(member.org, "members"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org_for(request, org_id, access.require_edit)
    return action_page(
        request, form=forms.ProjectForm(request.POST or None), back=_back(org, "projects"),
        call=lambda d: services.project_add(actor=request.user, org=org, **d),
        title=_("Add a brand project to %(name)s") % {"name": org.name},
        done=_("The project has been added."), submit_label=_("Add the project"),
        context={"org": org})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get(actor=request.user, project_id=project_id)
    access.require_edit(request.user, project.org)
    form = forms.ProjectForm(request.POST or None, initial={
        "name": project.name, "summary": project.summary, "started_on": project.started_on,
        "beneficiaries": project.beneficiaries})
    return action_page(
        request, form=form, back=_back(project.org, "projects"),
        call=lambda d: services.project_update(actor=request.user, project=project, **d),
        title=_("Edit the project %(name)s") % {"name": project.name},
        done=_("The changes have been saved."), submit_label=_("Save"),
        context={"org": project.org})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def honour_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org_for(request, org_id, access.require_manage)
    return action_page(
        request, form=forms.HonourForm(request.POST or None), back=_back(org, "honours"),
        call=lambda d: services.honour_add(actor=request.user, org=org, **d),
        title=_("Record an honour of %(name)s") % {"name": org.name},
        done=_("The honour has been recorded."), submit_label=_("Record"), context={"org": org})


@login_required
@never_cache
@require_GET
def ratings_expiring(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()
    page = paginate(request, selectors.ratings_expiring(actor=actor))
    return render_page(request, "orgs/ratings.html", {"page": page, "tab": "ratings"},
                       partial="results")


# --- entrusted-processing agreements (PIPL Art. 21) ------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def agreement_add(request: HttpRequest, org_id: int) -> HttpResponse:
    """Record an agreement with its signed document (those who manage the organisation)."""
    org = _org_for(request, org_id, access.require_manage)
    form = forms.AgreementForm(request.POST or None, request.FILES or None)
    return action_page(
        request, form=form, back=_back(org, "agreements"),
        call=lambda d: services.agreement_record(
            actor=request.user, org=org, starts_on=d["starts_on"], ends_on=d["ends_on"],
            purposes=d["purposes"], document=d.get("document")),
        title=_("Record an entrusted-processing agreement with %(name)s") % {"name": org.name},
        done=_("The agreement has been recorded."), submit_label=_("Record"),
        context={"org": org, "note": _("Personal data of residents (a need's contact details) "
                                       "is handed to the organisation only while an agreement "
                                       "covering needs handling is in force.")})


@login_required
@never_cache
@require_GET
def agreement_document(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """The signed document (audited), for those who manage the organisation."""
    agreement = selectors.agreement_get(actor=request.user, agreement_id=agreement_id)
    data = services.agreement_document_read(actor=request.user, agreement=agreement)
    response = HttpResponse(data, content_type=agreement.document_type)
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        agreement.document_type, "bin")
    response["Content-Disposition"] = f'attachment; filename="agreement-{agreement.pk}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
