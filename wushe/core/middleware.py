from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from wushe.core.context import client_ip, current_ip


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request.META))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ChineseFirstMiddleware:
    """zh-Hans unless the user chose otherwise with the language switch (its cookie).

    An officer's browser often reports English; the platform still speaks Chinese first, so
    the browser's Accept-Language is not consulted.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
