"""What the project pages share: region and provider choices, the one-form action page, the
.xlsx response."""

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


def regions_where(actor: Any, perm: str, levels: tuple[str, ...]) -> list[Region]:
    """Regions of these levels the actor holds ``perm`` over (form choices)."""
    qs = region_list(actor=actor).filter(level__in=levels).only("code", "name", "level", "path")
    return [r for r in qs if scope.covers(actor, perm, r.path)]


def region_by_code(code: str) -> Region | None:
    return Region.objects.unscoped().filter(code=code).first() if code else None


DESIGN_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)


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
    return render_page(request, "projects/action.html", {
        "form": form, "title": title, "back": back, "submit_label": submit_label,
        **(context or {}),
    }, status=outcome.status)
