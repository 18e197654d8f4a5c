"""Errors users can cause, raised from a page view, become the error page with their status."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wushe.core.errors import WusheError


def error_title(status: int) -> str:
    titles = {
        400: _("The request could not be completed"),
        401: _("Please sign in"),
        403: _("Not allowed"),
        404: _("Not found"),
        409: _("Conflict"),
        423: _("Account locked"),
    }
    return titles.get(status, _("Error"))


def render_error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    # htmx swaps a fragment into the page; a full page would nest a page inside a page.
    template = "web/error.html#error-panel" if getattr(request, "htmx", False) else "web/error.html"
    return render(request, template, {"status": status, "title": title, "message": message},
                  status=status)


class WusheErrorMiddleware:
    """Map WusheError from page views to the error page (the API has its own handler)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, WusheError) or request.path.startswith("/api/"):
            return None
        return render_error(request, exception.status, error_title(exception.status),
                            exception.localized())
