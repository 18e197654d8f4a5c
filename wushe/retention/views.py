"""Retention pages (district admins): the dry-run report, and a person's erasure on request."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from wushe.accounts import scope
from wushe.people.models import Person
from wushe.retention import selectors, services
from wushe.web.pages import render_page


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    """What the retention job would anonymise now (a dry run: nothing changes)."""
    lines = selectors.retention_report(actor=request.user)
    en = (get_language() or "zh").startswith("en")
    for line in lines:
        line["label"] = line["en"] if en else line["zh"]
    return render_page(request, "retention/report.html", {"lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def erase_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """Erase a person on request: a confirmation, then what went and what the law keeps."""
    person = scope.get_or_404(Person.objects, request.user, selectors.PERM, pk=person_id)
    outcome = None
    if request.method == "POST":
        outcome = services.person_erase(actor=request.user, person=person)
    return render_page(request, "retention/erase.html", {
        "person": person, "outcome": outcome,
        "refusals": [r.localized() for r in outcome.refusals] if outcome else []})
