from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

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
            # Set aside for machine interfaces that negotiate their language (Open311).
            request.META["wushe.accept_language"] = request.META.pop("HTTP_ACCEPT_LANGUAGE", "")
        return self.get_response(request)


# An API error that no handler of ours wrote (ninja's 405 for a method a path does not take is
# the text "Method not allowed"): status → (code, Chinese, English).
API_ERROR_BODIES = {
    403: ("forbidden", "无权执行此操作", "You may not do this"),  # e.g. Django's CSRF page
    405: ("method_not_allowed", "不支持此请求方法", "This method is not allowed here"),
}


class ApiErrorBodyMiddleware:
    """Every 4xx and 5xx under /api/ has the API's bilingual JSON body: a response that is not
    JSON (ninja's own 405, a bare error from a library) is replaced, its headers kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (response.status_code < 400 or not request.path.startswith("/api/")
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        code, zh, en = API_ERROR_BODIES.get(
            response.status_code, ("http_error", "请求无法完成", "The request could not be completed"))
        body = JsonResponse({"code": code, "message": {"zh": zh, "en": en}},
                            status=response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                body[header] = response[header]
        return body


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache`` for HTTP/1.0 proxies) on every
    response to an authenticated request and on every API response (issue #13, 等保 2.0 level 3:
    剩余信息保护): a page or a JSON body with personal data must stay in no browser or proxy
    cache after the officer leaves the desk.

    Checked on the way out: a bearer token authenticates inside ninja, which sets
    ``request.user`` (and ``request.api_token``) on this same request object.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (request.path.startswith("/api/") or getattr(request, "api_token", None) is not None
                or (user is not None and user.is_authenticated)):
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, no_store=True)
            response["Pragma"] = "no-cache"
        return response
