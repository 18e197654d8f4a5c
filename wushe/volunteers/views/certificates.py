"""Certificate pages (issue, view, PDF, revoke) and pairing pages (结对帮扶, visit log)."""

from __future__ import annotations

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

from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed, WusheError
from wushe.people.selectors import person_lookup
from wushe.volunteers import access, selectors, services
from wushe.volunteers.models import PairingStatus
from wushe.volunteers.pdf import certificate_pdf
from wushe.volunteers.views.common import required_team, volunteer_by_number
from wushe.volunteers.views.forms import CertificateForm, PairingForm, RejectForm, VisitForm
from wushe.web.pages import Submitted, paginate, render_page, submit


@login_required
@never_cache
@require_GET
def certificate_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not access.has_any(actor, access.VIEW):
        raise NotFound()
    return render_page(request, "volunteers/certificate_list.html", {
        "page": paginate(request, selectors.certificate_list(actor=actor))})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def certificate_issue(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    actor = request.user
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=volunteer_id)
    teams = selectors.my_teams(actor=actor, perm=access.CERTIFY)
    if not teams:
        raise PermissionDenied()
    today = timezone.localdate()
    form = CertificateForm(request.POST or None, teams=teams, initial={
        "period_start": volunteer.join_date, "period_end": today})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.certificate_issue(
            actor=actor, volunteer=volunteer, team=required_team(actor, d["team"], access.CERTIFY),
            period_start=d["period_start"], period_end=d["period_end"]))
        if outcome.done:
            messages.success(request, _("The certificate has been issued."))
            return redirect("volunteers:certificate", certificate_id=outcome.result.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("Issue a certificate") + f" · {volunteer.number}",
        "cancel": reverse("volunteers:detail", args=[volunteer.pk]),
        "intro": _("Only a team holding confirmed records of this volunteer in the period may "
                   "issue (谁记录谁证明). The certificate is a snapshot: later corrections do "
                   "not change it.")}, status=outcome.status)


@login_required
@never_cache
@require_GET
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    actor = request.user
    certificate = selectors.certificate_get(actor=actor, certificate_id=certificate_id)
    return render_page(request, "volunteers/certificate_detail.html", {
        "certificate": certificate, "s": certificate.snapshot,
        "can_revoke": certificate.valid and access.can(actor, access.CERTIFY, certificate),
        "revoke_form": RejectForm(),
        "verify_url": request.build_absolute_uri(
            reverse("volunteers:verify_number", args=[certificate.number]))})


@login_required
@require_GET
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    actor = request.user
    certificate = selectors.certificate_get(actor=actor, certificate_id=certificate_id)
    services.certificate_downloaded(actor=actor, certificate=certificate)
    content = certificate_pdf(certificate.snapshot, valid=certificate.valid,
                              verify_url=request.build_absolute_uri(
                                  reverse("volunteers:verify_number",
                                          args=[certificate.number])))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    actor = request.user
    certificate = selectors.certificate_get(actor=actor, certificate_id=certificate_id)
    try:
        services.certificate_revoke(actor=actor, certificate=certificate,
                                    reason=request.POST.get("reason", ""))
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The certificate has been revoked."))
    return redirect("volunteers:certificate", certificate_id=certificate.pk)


# --- pairing ---------------------------------------------------------------------------------

@login_required
@never_cache
@require_GET
def pairing_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not access.has_any(actor, access.VIEW):
        raise NotFound()
    status = request.GET.get("status", PairingStatus.ACTIVE)
    if status not in PairingStatus.values:
        status = PairingStatus.ACTIVE
    return render_page(request, "volunteers/pairing_list.html", {
        "page": paginate(request, selectors.pairing_list(actor=actor, status=status)),
        "status": status, "statuses": PairingStatus.choices,
        "can_create": bool(selectors.my_teams(actor=actor))})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def pairing_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    teams = selectors.my_teams(actor=actor)
    if not teams:
        raise PermissionDenied()
    form = PairingForm(request.POST or None, teams=teams)
    outcome = Submitted(False)
    if request.method == "POST":
        def call(d: dict[str, Any]) -> Any:
            person = person_lookup(actor=actor, id_number=d["person_id_number"])
            if person is None:
                raise ValidationFailed("在您的辖区内未找到该身份证号的人员,请先在人员库中登记",
                                       "No person with this ID number in your area; register "
                                       "them in People first", field="person_id_number")
            volunteer = volunteer_by_number(actor, d["number"]) if d["number"] else None
            return services.pairing_create(
                actor=actor, team=required_team(actor, d["team"]), person=person,
                target_group=d["target_group"], needs=d["needs"], volunteer=volunteer,
                started_on=d["started_on"])
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, _("The pairing has been created."))
            return redirect("volunteers:pairing", pairing_id=outcome.result.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("New pairing (结对帮扶)"), "cancel": reverse("volunteers:pairings"),
        "intro": _("Care needs may describe health or hardship: they are stored encrypted.")},
        status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def pairing_detail(request: HttpRequest, pairing_id: int) -> HttpResponse:
    actor = request.user
    pairing = selectors.pairing_get(actor=actor, pairing_id=pairing_id)
    is_paired = pairing.volunteer_id is not None and \
        access.own_volunteer_id(actor) == pairing.volunteer_id
    can_manage = access.can(actor, access.MANAGE, pairing)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate(),
                                                    "minutes": 60})
    status = 200
    if request.method == "POST":
        if not (can_manage or is_paired):
            raise NotFound()
        outcome = submit(form, lambda d: services.visit_log(
            actor=actor, pairing=pairing, visited_on=d["visited_on"], minutes=d["minutes"],
            content=d["content"],
            visitor=volunteer_by_number(actor, d["number"]) if d["number"] else None))
        if outcome.done:
            messages.success(request, _("The visit has been logged."))
            return redirect("volunteers:pairing", pairing_id=pairing.pk)
        status = outcome.status
    return render_page(request, "volunteers/pairing_detail.html", {
        "pairing": pairing, "logs": list(selectors.visit_logs(actor=actor, pairing=pairing)[:100]),
        "form": form, "can_log": (can_manage or is_paired) and pairing.status == "active",
        "can_manage": can_manage}, status=status)


@login_required
@require_POST
def pairing_end(request: HttpRequest, pairing_id: int) -> HttpResponse:
    actor = request.user
    pairing = selectors.pairing_get(actor=actor, pairing_id=pairing_id)
    try:
        services.pairing_end(actor=actor, pairing=pairing)
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The pairing has ended."))
    return redirect("volunteers:pairing", pairing_id=pairing.pk)
