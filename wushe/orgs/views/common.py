"""What the page views of both apps share: the one-form action page, region choices, the
Excel import page and file responses."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied, WusheError
from wushe.core.excel import (
    IMPORTERS,
    ImportResult,
    RowError,
    errors_bytes,
    run_import,
    template_bytes,
)
from wushe.orgs.forms import ImportForm
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_list
from wushe.web.pages import Submitted, render_page, submit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_ERRORS = "wushe_import_errors"
ERRORS_KEPT_IN_SESSION = 1000


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


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


def import_page(request: HttpRequest, *, kind: str, perm: str, back: str,
                template_url: str, errors_url: str) -> HttpResponse:
    """Upload a workbook for ``kind``: dry run by default, row errors listed and downloadable."""
    actor = request.user
    if not scope.has_perm(actor, perm):
        raise PermissionDenied()
    importer = IMPORTERS[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    result: ImportResult | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = run_import(kind, form.cleaned_data["file"], actor=actor,
                                    dry_run=form.cleaned_data["dry_run"],
                                    valid_only=form.cleaned_data["valid_only"])
            except WusheError as exc:
                form.add_error("file", exc.localized())
                status = exc.status
            else:
                request.session[SESSION_ERRORS] = {
                    "kind": kind, "token": secrets.token_hex(8),
                    "rows": [[e.row, e.column, e.zh, e.en]
                             for e in result.errors[:ERRORS_KEPT_IN_SESSION]]}
        else:
            status = 400
    return render_page(request, "orgs/import.html", {
        "form": form, "result": result, "importer": importer, "back": back,
        "template_url": template_url, "errors_url": errors_url,
    }, status=status)


def import_template(kind: str) -> HttpResponse:
    return xlsx_response(template_bytes(kind), f"{kind}-template")


def import_errors(request: HttpRequest, kind: str) -> HttpResponse:
    """The last import's row errors of this session, as a workbook."""
    saved = request.session.get(SESSION_ERRORS) or {}
    rows = saved.get("rows", []) if saved.get("kind") == kind else []
    result = ImportResult(kind=kind, errors=[RowError(*row) for row in rows])
    return xlsx_response(errors_bytes(result), f"{kind}-errors")
