"""WusheError from a page view becomes the error page with its status and localized text."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.utils import translation

from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.web.middleware import WusheErrorMiddleware


def _mw() -> WusheErrorMiddleware:
    return WusheErrorMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]


@pytest.mark.parametrize(("exc", "status", "text"), [
    (NotFound(), 404, "记录不存在"),
    (PermissionDenied(), 403, "无权执行此操作"),
    (ValidationFailed("填写有误", "Invalid"), 400, "填写有误"),
    (Conflict("已存在", "Exists"), 409, "已存在"),
])
def test_errors_render_with_their_status(rf: RequestFactory, exc: Exception, status: int,
                                         text: str) -> None:
    request = rf.get("/people/1/")
    with translation.override("zh-hans"):
        response = _mw().process_exception(request, exc)
    assert response is not None
    assert response.status_code == status
    assert text in response.content.decode()


def test_english_message_when_english_is_active(rf: RequestFactory) -> None:
    with translation.override("en"):
        response = _mw().process_exception(rf.get("/people/1/"), NotFound())
    assert response is not None
    assert "Not found" in response.content.decode()


def test_other_exceptions_pass_through(rf: RequestFactory) -> None:
    assert _mw().process_exception(rf.get("/"), ValueError("x")) is None


def test_api_errors_are_left_to_the_api(rf: RequestFactory) -> None:
    assert _mw().process_exception(rf.get("/api/v1/people/"), NotFound()) is None


@override_settings(ROOT_URLCONF="config.urls")
def test_htmx_request_gets_a_fragment(rf: RequestFactory) -> None:
    request = rf.get("/people/1/", HTTP_HX_REQUEST="true")
    from django_htmx.middleware import HtmxDetails

    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    response = _mw().process_exception(request, NotFound())
    assert response is not None
    html = response.content.decode()
    assert response.status_code == 404
    assert "<html" not in html
    assert 'data-testid="error-panel"' in html


def test_server_error_page_needs_no_database(rf: RequestFactory) -> None:
    from wushe.web.views import server_error

    response = server_error(rf.get("/people/"))
    assert response.status_code == 500
    assert "500" in response.content.decode()
