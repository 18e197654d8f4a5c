"""The NinjaAPI at /api/v1: mounts each app's router; one error shape for everything."""

from __future__ import annotations

from importlib import import_module

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from wushe.accounts.api import BearerAuth, SessionAuth
from wushe.core.errors import WusheError
from wushe.core.jsonbody import BoundedJSONParser
from wushe.core.openapi import WusheAPI
from wushe.core.scoping import ScopeError
from wushe.core.validation import detail

api = WusheAPI(
    title="wushe 五社联动 API",
    version="1",
    urls_namespace="api",
    auth=[BearerAuth(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=BoundedJSONParser(),  # a JSON body's size and depth are checked before parsing
)


def _error(request: HttpRequest, status: int, code: str, zh: str, en: str,
           **extra: object) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": {"zh": zh, "en": en}, **extra}, status=status)


@api.exception_handler(WusheError)
def wushe_error(request: HttpRequest, exc: WusheError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # Each detail: the field's dotted location and the problem in Chinese and English.
    return _error(request, 422, "invalid_request", "请求格式不正确", "The request is not valid",
                  details=[detail(e) for e in exc.errors])


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "请先登录或提供有效令牌",
                  "Sign in or send a valid bearer token")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "记录不存在", "Not found")


# What ninja's own HttpErrors (an unparsable body, a failed CSRF check, a throttle) mean, by
# status: (code, Chinese, English). Ninja's messages are English; the Chinese is ours.
HTTP_ERRORS = {
    400: ("bad_request", "请求内容无法解析(应为有效的 JSON)", "The request body could not be parsed"),
    403: ("forbidden", "无权执行此操作(CSRF 校验失败)", "Not allowed (the CSRF check failed)"),
    405: ("method_not_allowed", "不支持此请求方法", "This method is not allowed here"),
    413: ("payload_too_large", "请求内容过大", "The request body is too large"),
    429: ("too_many_requests", "请求过于频繁,请稍后再试", "Too many requests; try again later"),
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, WusheError):  # the body parser refused (size, depth)
        return wushe_error(request, exc.__cause__)
    code, zh, en = HTTP_ERRORS.get(exc.status_code, ("http_error", "请求无法完成",
                                                     "The request could not be completed"))
    return _error(request, exc.status_code, code, zh, en)


@api.exception_handler(ScopeError)
def scope_error(request: HttpRequest, exc: ScopeError) -> HttpResponse:
    # A programming error (unscoped query); never leak data, never a bare 500 page.
    return _error(request, 500, "server_error", "服务器内部错误", "Internal server error")


# Each app's router at /api/v1/<app>; an app's ``public_router`` (no account, auth=None on
# its operations) is mounted under /api/v1/public.
ROUTERS = [("auth", "wushe.accounts.api"), ("regions", "wushe.regions.api"),
           ("people", "wushe.people.api"), ("audit", "wushe.audit.api"),
           ("volunteers", "wushe.volunteers.api"), ("orgs", "wushe.orgs.api"),
           ("workforce", "wushe.workforce.api"), ("charity", "wushe.charity.api"),
           ("residents", "wushe.residents.api"), ("needs", "wushe.needs.api"),
           ("projects", "wushe.projects.api"), ("supervision", "wushe.supervision.api"),
           ("evaluation", "wushe.evaluation.api"), ("reports", "wushe.reports.api"),
           ("exports", "wushe.core.api"), ("me", "wushe.inbox.api"),
           ("me", "wushe.notifications.api"), ("hotline", "wushe.hotline.api"),
           ("renovation", "wushe.renovation.api"), ("complexes", "wushe.complexes.api"),
           ("civilisation", "wushe.civilisation.api"), ("openings", "wushe.openings.api")]

for prefix, module_name in ROUTERS:
    module = import_module(module_name)
    api.add_router(f"/{prefix}", module.router)
    if hasattr(module, "public_router"):
        api.add_router("/public", module.public_router)
    if hasattr(module, "outbox_router"):  # the notifications' outbox at /notifications
        api.add_router("/notifications", module.outbox_router)
