"""What the page views of both apps share: the one-form action page, region choices and
file responses. (Their import pages are the shared one of ``wushe.web.imports``.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from wushe.accounts import scope
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_list
from wushe.web.pages import Submitted, render_page, submit


def action_page(request: HttpRequest, *, form: forms.Form, call: Callable[[dict[str, Any]], Any],
                title: str, back: str, done: str, submit_label: str,
                context: dict[str, Any] | None = None, after: str | None = None) -> HttpResponse:
    """A page with one service-backed form: errors next to the fields, redirect when done."""
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, done)
            return redirect(after or back)
    return render_page(request, "orgs/action.html", {
        "form": form, "title": title, "back": back, "submit_label": submit_label,
        "multipart": any(isinstance(f, forms.FileField) for f in form.fields.values()),
        **(context or {}),
    }, status=outcome.status)


def regions_where(actor: Any, perm: str, levels: tuple[str, ...]) -> list[Region]:
    """Regions of these levels the actor holds ``perm`` over (form choices)."""
    qs = region_list(actor=actor).filter(level__in=levels).only("code", "name", "level", "path")
    return [r for r in qs if scope.covers(actor, perm, r.path)]


def filter_regions(actor: Any) -> list[Region]:
    return list(region_list(actor=actor).filter(
        level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)).only("code", "name", "level"))
