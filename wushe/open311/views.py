"""Open311 GeoReport v2 endpoints (plain Django views: the format is GeoReport's own, in JSON
and XML, with its own error shape ``[{"code": 400, "description": "中文 / English"}]``).

Language: names and notes are Chinese unless the ``locale`` parameter (``en``, ``en_US``…) or
the client's ``Accept-Language`` asks for English. No API key: requests are public and limited
per address like the 点单 form (``api_key`` is accepted and ignored).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from wushe.core.context import client_ip
from wushe.core.errors import NotFound, PayloadTooLarge, ValidationFailed, WusheError
from wushe.core.text import clean_text
from wushe.needs import ratelimit, services
from wushe.needs.categories import CATEGORIES
from wushe.open311 import formats, selectors
from wushe.open311.formats import render

CHANGESET = "2026-12-05T00:00:00Z"  # when this endpoint's behaviour last changed
ADDRESS_MAX = 200
NAME_PART_MAX = 25


class MethodNotAllowed(WusheError):
    status = 405
    code = "method_not_allowed"


def _lang(request: HttpRequest) -> str:
    locale = request.GET.get("locale") or (
        request.POST.get("locale") if request.method == "POST" else None)
    if locale:
        return selectors.lang_of(locale)
    # ChineseFirstMiddleware keeps pages Chinese-first and sets the browser's header aside.
    header = str(request.META.get("wushe.accept_language")
                 or request.META.get("HTTP_ACCEPT_LANGUAGE") or "")
    first = header.split(",")[0].split(";")[0].strip()
    return selectors.lang_of(first) if first else "zh"


def endpoint(methods: tuple[str, ...]) -> Callable[..., Callable[..., HttpResponse]]:
    """A GeoReport view: the method checked, every refusal in GeoReport's error shape."""
    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def inner(request: HttpRequest, fmt: str, **kw: Any) -> HttpResponse:
            try:
                if request.method not in methods + (("HEAD",) if "GET" in methods else ()):
                    raise MethodNotAllowed("不支持此请求方法", "This method is not allowed here")
                return view(request, fmt, **kw)
            except (RequestDataTooBig, TooManyFieldsSent):
                return formats.error(fmt, PayloadTooLarge("请求内容过大", "The request is too large"))
            except WusheError as exc:
                response = formats.error(fmt, exc)
                if isinstance(exc, MethodNotAllowed):
                    response["Allow"] = ", ".join(methods)
                return response
        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return csrf_exempt(inner)
    return wrap


@endpoint(("GET",))
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Where the endpoint is, what it follows and which formats it speaks."""
    base = request.build_absolute_uri("/open311/v2")
    return render(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": "所在社区或12345热线 / Your community or the 12345 hotline",
        "key_service": "无需 API key,按来源地址限流 / No API key; requests are limited per address",
        "endpoints": [{"specification": selectors.SPECIFICATION, "url": base,
                       "changeset": CHANGESET, "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    })


@endpoint(("GET",))
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """The need categories as GeoReport services."""
    selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    lang = _lang(request)
    return render(fmt, "services", [selectors.service_out(c, lang) for c in CATEGORIES.values()])


@endpoint(("GET",))
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    """The attributes of a service: consent (required) and the community."""
    district = selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    category = selectors.service_get(code)
    return render(fmt, "service_definition",
                  selectors.service_definition(category, district, _lang(request)))


@endpoint(("GET", "POST"))
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: search publicly submitted requests; POST: submit one through the public intake."""
    if request.method == "POST":
        return _submit(request, fmt)
    ratelimit.hit("tracking", client_ip(request.META))
    district = selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    filters = selectors.parse_filters(request.GET)
    lang = _lang(request)
    return render(fmt, "service_requests",
                  [selectors.request_out(n, lang)
                   for n in selectors.request_list(district=district, filters=filters)])


@endpoint(("GET",))
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    """One publicly submitted request by its id (the tracking code)."""
    ratelimit.hit("tracking", client_ip(request.META))
    district = selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    need = selectors.request_get(district=district, tracking_code=request_id)
    return render(fmt, "service_requests", [selectors.request_out(need, _lang(request))])


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /open311/: GeoReport's 404, in XML when it asked for XML."""
    return formats.error("xml" if rest.endswith(".xml") else "json", NotFound())


def _coordinate(raw: str | None, field: str, limit: float) -> float | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        value = float(raw) if raw.isascii() and len(raw) <= 30 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise ValidationFailed(f"{field} 不是有效的坐标", f"{field} is not a valid coordinate",
                               code="invalid_coordinate", field=field)
    return value


def _contact_name(first: str, last: str) -> str:
    for value, field in ((first, "first_name"), (last, "last_name")):
        clean_text(value, field=field, label_zh="姓名", label_en="Name",
                   max_length=NAME_PART_MAX)
    first, last = first.strip(), last.strip()
    if all(ord(ch) > 0x2E7F for ch in first + last):  # Chinese: the family name first, no space
        return last + first
    return f"{first} {last}".strip()


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    # The same limit as the 点单 form and the public API, counted before anything is read.
    ratelimit.hit("intake", client_ip(request.META))
    data = request.POST
    district = selectors.jurisdiction(data.get("jurisdiction_id"))
    code = data.get("service_code") or ""
    if code not in CATEGORIES:
        raise ValidationFailed("service_code 不存在", "Unknown service_code",
                               code="unknown_service", field="service_code")
    if data.get("attribute[consent]") != "true":
        raise ValidationFailed("请阅读并同意个人信息使用说明后再提交(attribute[consent]=true)",
                               "Agree to the use of your personal information before submitting "
                               "(attribute[consent]=true)", code="consent_required",
                               field="consent")
    _coordinate(data.get("lat"), "lat", 90)  # checked, not kept: regions have no coordinates
    _coordinate(data.get("long"), "long", 180)
    address = clean_text(data.get("address_string", ""), field="address_string",
                         label_zh="地址", label_en="Address", max_length=ADDRESS_MAX)
    community = selectors.resolve_community(district, code=data.get("attribute[community]"),
                                            address=address)
    email = data.get("email", "")
    if email:  # accepted as GeoReport defines it, not kept: a need has a phone, not an email
        try:
            validate_email(email)
        except DjangoValidationError as exc:
            raise ValidationFailed("电子邮箱格式不正确", "The email address is not valid",
                                   code="invalid_email", field="email") from exc
    done = services.need_submit_public(
        category=code, description=data.get("description", ""), community=community.code,
        contact_name=_contact_name(data.get("first_name", ""), data.get("last_name", "")),
        contact_phone=data.get("phone", ""), consent=True,
        idempotency_key=request.headers.get("Idempotency-Key"))
    notice = ("已收到,请凭 service_request_id(查询码)查询办理进度 / Received: follow it with "
              "the service_request_id (your tracking code)")
    return render(fmt, "service_requests", [
        {"service_request_id": done.need.tracking_code, "service_notice": notice,
         "account_id": None}], status=201 if done.created else 200)

