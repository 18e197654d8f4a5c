"""The work page: every open item of the account, or of one kind."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wushe.inbox import selectors
from wushe.inbox.registry import PRODUCERS
from wushe.web.pages import render_page

ALL_SHOWN = 500  # one kind's items on its own page


@login_required
@never_cache
@require_GET
def work(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    if kind not in PRODUCERS:
        kind = None
    groups = selectors.work_groups(actor=request.user, kind=kind,
                                   per_kind=ALL_SHOWN if kind else selectors.PER_KIND)
    return render_page(request, "inbox/work.html", {
        "work": groups, "work_total": sum(g.count for g in groups),
        "kind_label": PRODUCERS[kind].label if kind else None})
