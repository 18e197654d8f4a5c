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
