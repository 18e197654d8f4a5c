"""Small helpers the page views share: pagination, htmx partials, service errors on forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from wushe.accounts import scope
from wushe.core.errors import NotFound, WusheError
from wushe.core.excel import XLSX
from wushe.regions.selectors import region_breadcrumb

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (boosted requests want the whole page)."""
    htmx: Any = getattr(request, "htmx", None)
    # Restoring history after a cache miss wants the whole page as well.
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def paginate(request: HttpRequest, qs: QuerySet[Any] | list[Any], *, param: str = "page",
             per_page: int | None = None) -> Page:
    paginator = Paginator(qs, per_page or settings.WUSHE_PAGE_SIZE)
    return paginator.get_page(request.GET.get(param))


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *,
                partial: str | None = None, status: int = 200) -> HttpResponse:
    """The whole page, or only ``template#partial`` when htmx asks for a fragment."""
    name = f"{template}#{partial}" if partial and is_partial(request) else template
    response = render(request, name, context, status=status)
    # The same URL answers with a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def add_service_error(form: forms.Form, exc: WusheError, *, field_map: dict[str, str] | None = None
                      ) -> None:
    """Show a service's refusal next to the field it concerns (or above the form)."""
    field = (field_map or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.localized())
    for detail in exc.details:
        name = str(detail.get("field", ""))
        if name in form.fields and name != field:
            form.add_error(name, exc.localized())
    mark = getattr(form, "mark_invalid", None)
    if mark is not None:
        mark()


def breadcrumb(actor: Actor, region: Any) -> list[Any]:
    """The region's ancestors, each marked whether the actor may open its page."""
    trail = region_breadcrumb(region)
    for r in trail:
        r.linkable = scope.covers(actor, "regions.view", r.path)  # type: ignore[attr-defined]
    return trail


@dataclass
class Submitted:
    """What became of a submitted form: ``done`` with the service's result, or a status."""

    done: bool
    result: Any = None
    status: int = 200


def submit(form: forms.Form, call: Callable[[dict[str, Any]], Any]) -> Submitted:
    """Validate, then hand the cleaned data to a service; a refusal lands on the form."""
    if not form.is_valid():
        return Submitted(False, status=400)
    try:
        return Submitted(True, call(form.cleaned_data))
    except WusheError as exc:
        add_service_error(form, exc)
        return Submitted(False, status=exc.status)




def button(request: HttpRequest, call: Callable[[], Any], done: str, back: str,
           *args: Any) -> HttpResponse:
    """A button's POST: run the service; its refusal (a 404 aside) is a message on the page it
    came from and nothing changed, its success is ``done``; then back to ``back`` (a URL name
    with ``args``)."""
    try:
        call()
    except NotFound:
        raise
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, done)
    return redirect(back, *args)


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """A workbook download named ``name-YYYYMMDD.xlsx``."""
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def action_page(request: HttpRequest, *, template: str, form: forms.Form,
                call: Callable[[dict[str, Any]], Any], title: str, back: str, done: str,
                submit_label: str, context: dict[str, Any] | None = None,
                after: str | None = None) -> HttpResponse:
    """A page with one service-backed form: errors next to the fields; when done, a success
    message and a redirect to ``after`` (or ``back``)."""
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, done)
            return redirect(after or back)
    return render_page(request, template, {
        "form": form, "title": title, "back": back, "submit_label": submit_label,
        "multipart": any(isinstance(f, forms.FileField) for f in form.fields.values()),
        **(context or {})}, status=outcome.status)
