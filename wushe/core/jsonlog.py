"""Logs an operator's tools can read: JSON lines, a request id, one line per request (#18).

``WUSHE_LOG_FORMAT=json`` (config/settings/base.py) formats every record of every handler as
one JSON object per line (stdout; WUSHE_LOG_SYSLOG=host:port and WUSHE_LOG_FILE, rotating, as
well), and turns on the request line: logger ``wushe.request``, message ``request``, with

    request_id, user_id (the account's number, never a name), route (the URL pattern's name,
    never the path: a path carries tracking codes and ids), method, status, duration_ms

The masking filter (core/logmask.py) stays on every handler; records are masked before this
formatter sees them.

The request id is the caller's ``X-Request-ID`` when it is a plain token (letters, digits,
``.-_``, at most 64), so nginx's ``$request_id`` follows a request through; otherwise a new one.
It is answered in ``X-Request-ID`` and carried by every record logged while the request runs.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

from wushe.core import metrics

request_id: ContextVar[str | None] = ContextVar("wushe_request_id", default=None)
log = logging.getLogger("wushe.request")

_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Attributes every LogRecord has: anything else was passed in ``extra`` and goes in the line.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "_wushe_masked"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request_id,
    the record's ``extra`` fields, and the (masked) traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django logs a 4xx/5xx (django.request) after the middleware returned: the id is then
        # read from the request the record carries.
        rid = (getattr(record, "request_id", None) or request_id.get()
               or getattr(getattr(record, "request", None), "wushe_request_id", None))
        if rid:
            data["request_id"] = rid
        for key, value in vars(record).items():
            # plain values only: an object (the request itself) would print its path
            if (key not in _STANDARD and key not in data and not key.startswith("_")
                    and isinstance(value, str | int | float | bool | type(None))):
                data[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = record.stack_info
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        user = getattr(request, "auth", None)  # the API's bearer token: ninja sets request.auth
    if user is not None and getattr(user, "is_authenticated", False):
        pk = getattr(user, "pk", None)
        return pk if isinstance(pk, int) else None
    return None


def route_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


class RequestLogMiddleware:
    """Outermost middleware: the request id, then after the answer the request line (JSON
    mode) and the request's count and duration for /metrics."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if _GOOD_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.wushe_request_id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response["X-Request-ID"] = rid
            route = route_name(request)
            metrics.observe(route, response.status_code, seconds)
            if log.isEnabledFor(logging.INFO):
                log.info("request", extra={
                    "user_id": _user_id(request), "route": route, "method": request.method,
                    "status": response.status_code, "duration_ms": round(seconds * 1000, 1)})
            return response
        finally:
            request_id.reset(token)


def check_log_format(**kwargs: Any) -> list[Any]:
    """System check: WUSHE_LOG_FORMAT is text or json (a typo would silently log text)."""
    from django.conf import settings
    from django.core.checks import Error

    if settings.WUSHE_LOG_FORMAT not in ("text", "json"):
        return [Error("WUSHE_LOG_FORMAT must be text or json", id="wushe.E032")]
    return []
