"""Public pages (no account): mobile self-registration and certificate verification."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from wushe.core.context import client_ip
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.volunteers import selectors, services
from wushe.volunteers.services import GuardianSpec
from wushe.volunteers.views.forms import JoinForm
from wushe.web.pages import Submitted, render_page, submit


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    with scopes_disabled():  # public names only: communities and teams
        regions = selectors.public_regions()
        region = selectors.public_community(request.POST.get("region", "")) \
            if request.method == "POST" else None
        teams = selectors.public_teams(region)
    form = JoinForm(request.POST or None, regions=regions, teams=teams)
    outcome = Submitted(False)
    if request.method == "POST":
        def call(d: dict[str, Any]) -> Any:
            if region is None:
                raise ValidationFailed("请选择所在社区", "Choose your community", field="region")
            guardian = GuardianSpec(d["guardian_name"], d["guardian_id_number"],
                                    d["guardian_relation"], d["guardian_phone"] or None) \
                if d["guardian_name"] else None
            with scopes_disabled():
                team = selectors.public_team(d["team"], region) if d["team"] else None
            return services.application_submit(
                region=region, team=team, name=d["name"], id_number=d["id_number"],
                phone=d["phone"], skills=d["skills"], interests=d["interests"],
                availability=d["availability"], consent=d["consent"], guardian=guardian,
                client_ip=client_ip(request.META))
        outcome = submit(form, call)
        if outcome.done:
            request.session["volunteer_application"] = outcome.result.reference
            return redirect("volunteers:join_done")
    # A refused submission keeps its status: 400 for bad input, 429 when rate-limited.
    return render_page(request, "volunteers/public_join.html", {"form": form},
                       status=outcome.status)


@require_GET
def join_teams(request: HttpRequest) -> HttpResponse:
    """htmx: the team choices of the chosen community."""
    with scopes_disabled():
        region = selectors.public_community(request.GET.get("region", ""))
        teams = selectors.public_teams(region)
    form = JoinForm(regions=[], teams=teams)
    return render_page(request, "volunteers/public_join.html", {"form": form},
                       partial="team_field")


@never_cache
@require_GET
def join_done(request: HttpRequest) -> HttpResponse:
    reference = request.session.get("volunteer_application")
    if not reference:
        return redirect("volunteers:join")
    return render_page(request, "volunteers/public_join_done.html", {"reference": reference})


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    number = request.GET.get("number", "").strip()
    if number:
        return redirect(reverse("volunteers:verify_number", args=[number[:40]]))
    return render_page(request, "volunteers/public_verify.html", {"certificate": None})


@require_GET
def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    try:
        certificate = selectors.certificate_verify(number=number)
    except NotFound:
        return render_page(request, "volunteers/public_verify.html",
                           {"certificate": None, "number": number, "missing": True}, status=404)
    return render_page(request, "volunteers/public_verify.html",
                       {"certificate": certificate, "s": certificate.snapshot,
                        "number": certificate.number})
