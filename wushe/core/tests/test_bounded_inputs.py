"""Bounded input: integers, JSON bodies, and every error body in both languages (issue #13, 5)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from wushe.accounts.models import User
from wushe.people.models import Consent, Person
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
PAGINATED = ["/api/v1/people/", "/api/v1/audit/events", "/api/v1/needs/", "/api/v1/orgs/",
             "/api/v1/charity/funds", "/api/v1/supervision/visits", "/api/v1/regions/"]


@pytest.fixture
def admin_client(make_user: Callable[..., User], district: Region) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(make_user("district_admin", district),
                       backend="wushe.accounts.backends.LockoutBackend")
    return client


def assert_bilingual(body: dict[str, Any]) -> None:
    assert body["code"]
    assert CJK.search(body["message"]["zh"]), body
    assert body["message"]["en"].isascii() and body["message"]["en"], body


# --- integers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("offset", [2**64, 2**63, -1])
@pytest.mark.parametrize("url", PAGINATED)
def test_an_offset_out_of_range_is_422_naming_the_offset(
    admin_client: Client, url: str, offset: int,
) -> None:
    r = admin_client.get(url, {"offset": offset})
    assert r.status_code == 422
    body = r.json()
    assert_bilingual(body)
    [problem] = body["details"]
    assert problem["field"] == "query.offset"
    assert CJK.search(problem["zh"]) and problem["en"]


def test_the_largest_offset_is_an_empty_page(admin_client: Client) -> None:
    from wushe.core.apitypes import MAX_OFFSET

    r = admin_client.get("/api/v1/people/", {"offset": MAX_OFFSET, "limit": 500})
    assert r.status_code == 200 and r.json()["items"] == []


@pytest.mark.parametrize("url", ["/api/v1/people/{}", "/api/v1/needs/{}",
                                 "/api/v1/orgs/{}/history", "/api/v1/charity/funds/{}"])
def test_a_huge_id_in_an_api_path_is_422(admin_client: Client, url: str) -> None:
    r = admin_client.get(url.format(2**64))
    assert r.status_code == 422
    assert r.json()["details"][0]["field"].startswith("path.")


def test_the_largest_id_in_an_api_path_is_not_found(admin_client: Client) -> None:
    r = admin_client.get(f"/api/v1/people/{2**63 - 1}")
    assert r.status_code == 404
    assert_bilingual(r.json())


def test_a_huge_id_in_a_body_is_422_and_nothing_is_written(
    admin_client: Client, community_a: Region,
) -> None:
    r = admin_client.post("/api/v1/people/", json.dumps({
        "name": "张三", "region_code": community_a.code}), content_type="application/json")
    person_id = r.json()["id"]
    r = admin_client.post(f"/api/v1/people/{person_id}/consents", json.dumps({
        "purpose": "service", "scope": "走访", "guardian_id": 2**64,
    }), content_type="application/json")
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["details"]] == ["body.guardian_id"]
    assert not Consent.objects.unscoped().exists()


@pytest.mark.parametrize("path", [f"/needs/{10**19}/", f"/people/{2**64}/",
                                  f"/orgs/{'9' * 40}/"])
def test_a_huge_id_in_a_page_address_is_a_plain_404(admin_client: Client, path: str) -> None:
    assert admin_client.get(path).status_code == 404


def test_the_largest_id_a_page_address_takes_is_not_found(admin_client: Client) -> None:
    assert admin_client.get(f"/needs/{'9' * 18}/").status_code == 404


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):  # its own prefix may take a number too
            found.append((prefix + str(p.pattern), p))
            found += _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            found.append((prefix + str(p.pattern), p))
    return found


def test_no_page_address_takes_an_unbounded_integer() -> None:
    """Every number in a page's URL is ``<id:...>`` (at most 18 digits), never ``<int:...>``:
    walked from the resolver, so a new URL is held to it without editing this test."""
    from wushe.core.urlconverters import IdConverter

    # The API's paths are ninja's, which bounds them with pydantic (wushe.core.apitypes) and is
    # walked by test_api_integer_walk; Django's admin takes its ids as text.
    patterns = [(route, p) for route, p in _patterns(get_resolver())
                if not route.startswith(("api/", "admin/"))]
    unbounded = []
    bounded = 0
    for route, p in patterns:
        for converter in getattr(p.pattern, "converters", {}).values():
            if isinstance(converter, IntConverter):
                unbounded.append(route)
            bounded += isinstance(converter, IdConverter)
    assert bounded > 50
    assert unbounded == []


# --- JSON bodies ------------------------------------------------------------------------------

def _nested(depth: int) -> str:
    return '{"name": ' + "[" * (depth - 1) + '"x"' + "]" * (depth - 1) + "}"


def test_json_nested_deeper_than_the_limit_is_refused_before_parsing(
    admin_client: Client, settings: Any,
) -> None:
    limit = settings.WUSHE_API_MAX_JSON_DEPTH
    r = admin_client.post("/api/v1/people/", _nested(limit + 1), content_type="application/json")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "json_too_deep"
    assert_bilingual(body)
    # At the limit the body is parsed, and its content is what is refused (a list is no name).
    r = admin_client.post("/api/v1/people/", _nested(limit), content_type="application/json")
    assert r.status_code == 422


def test_a_very_deep_body_is_refused_quickly(admin_client: Client) -> None:
    r = admin_client.post("/api/v1/people/", "[" * 200_000 + "]" * 200_000,
                          content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "json_too_deep"


def test_brackets_inside_strings_do_not_count() -> None:
    from wushe.core.jsonbody import json_depth_exceeds

    assert not json_depth_exceeds(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[", "b": "\\"[[[["}', 3)
    assert json_depth_exceeds(b'{"a": [[{"b": [1]}]]}', 4)
    assert not json_depth_exceeds(b'{"a": [[{"b": [1]}]]}', 5)
    # An escaped backslash ends a string like any other: the bracket after it counts.
    assert json_depth_exceeds(b'{"a": "x\\\\", "b": [[1]]}', 2)
    assert not json_depth_exceeds(b'{"a": "x\\\\", "b": [[1]]}', 3)


def test_the_depth_check_is_linear_on_a_body_built_to_make_it_backtrack() -> None:
    import time

    from wushe.core.jsonbody import json_depth_exceeds

    body = b'"' + b'\\"' * 500_000  # a million bytes of escaped quotes, never closed
    started = time.perf_counter()
    assert not json_depth_exceeds(body, 20)
    assert time.perf_counter() - started < 2  # the backtracking pattern took 72 s for 40,000


@override_settings(WUSHE_API_MAX_JSON_BYTES=4096)
def test_a_json_body_over_the_size_cap_is_413(admin_client: Client, community_a: Region) -> None:
    body = json.dumps({"name": "张三", "region_code": community_a.code, "note": "x" * 5000})
    r = admin_client.post("/api/v1/people/", body, content_type="application/json")
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"
    assert_bilingual(r.json())
    assert not Person.objects.unscoped().exists()


def test_a_body_that_is_not_json_is_a_bilingual_400(admin_client: Client) -> None:
    r = admin_client.post("/api/v1/people/", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["code"] == "bad_request"
    assert_bilingual(r.json())


# --- every error body in both languages --------------------------------------------------------

def test_a_422_gives_each_field_its_location_and_both_languages(admin_client: Client) -> None:
    r = admin_client.post("/api/v1/people/1/consents", json.dumps({
        "purpose": 5, "guardian_id": "abc"}), content_type="application/json")
    assert r.status_code == 422
    body = r.json()
    assert_bilingual(body)
    by_field = {d["field"]: d for d in body["details"]}
    assert by_field["body.purpose"]["type"] == "string_type"
    assert by_field["body.purpose"]["zh"] == "应为文本"
    assert by_field["body.guardian_id"]["type"] == "int_parsing"
    assert by_field["body.guardian_id"]["zh"] == "应为整数"
    assert by_field["body.scope"]["type"] == "missing"
    assert by_field["body.scope"]["zh"] == "必填"
    for d in body["details"]:
        assert set(d) == {"field", "type", "zh", "en"}
        assert CJK.search(d["zh"]) and d["en"].isascii()


def test_an_unknown_pydantic_error_type_gets_a_generic_chinese_sentence() -> None:
    from wushe.core.validation import GENERIC_ZH, detail

    d = detail({"type": "something_new", "loc": ("query", "x"), "msg": "Bad"})
    assert d == {"field": "query.x", "type": "something_new", "zh": GENERIC_ZH, "en": "Bad"}
    d = detail({"type": "too_long", "loc": ("body", "body", "ids"), "msg": "List too long",
                "ctx": {"max_length": 3, "actual_length": 4}})
    assert d["field"] == "body.ids" and d["zh"] == "项数过多(最多 3 项)"


def test_an_unknown_api_address_is_a_bilingual_404(admin_client: Client) -> None:
    r = admin_client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"
    assert_bilingual(r.json())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_api_500_body_says_english_in_english(rf: RequestFactory, language: str) -> None:
    from django.utils import translation

    from wushe.web.views import server_error

    with translation.override(language):
        response = server_error(rf.get("/api/v1/people/"))
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["code"] == "server_error"
    assert_bilingual(body)


def test_an_api_http_error_is_bilingual(rf: RequestFactory) -> None:
    from ninja.errors import Throttled

    from config.api import http_error

    body = json.loads(http_error(rf.get("/api/v1/people/"), Throttled(wait=5)).content)
    assert body["code"] == "too_many_requests"
    assert_bilingual(body)


# --- numbers in pages' queries and forms --------------------------------------------------------

@pytest.mark.parametrize("query", [
    "/volunteers/activities/?year=99999999999999999999&month=1",
    "/volunteers/activities/?year=2026&month=99999999999999999999",
    "/projects/purchase-lists/?year=²",
    "/projects/purchase-lists/?year=99999999999999999999",
    "/evaluation/excellent?year=99999999999999999999",
    "/people/?page=99999999999999999999",
    "/people/?page=1e400",
])
def test_a_number_out_of_range_in_a_page_query_is_not_a_server_error(
    admin_client: Client, query: str,
) -> None:
    assert admin_client.get(query).status_code < 500


def test_a_page_form_bounds_every_whole_number_it_does_not_bound_itself() -> None:
    from django import forms

    from wushe.web.forms import PageForm

    class Form(PageForm):
        need_id = forms.IntegerField(required=False, min_value=1)
        count = forms.IntegerField(required=False)
        capacity = forms.IntegerField(required=False, max_value=100)

    form = Form(data={"need_id": str(2**64), "count": str(2**31), "capacity": "-3000000000"})
    assert set(form.errors) == {"need_id", "count", "capacity"}
    assert Form(data={"need_id": str(2**63 - 1), "count": str(2**31 - 1),
                      "capacity": "100"}).is_valid()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048, WUSHE_API_MAX_JSON_BYTES=10**6)
def test_a_body_over_djangos_own_cap_is_a_bilingual_413(admin_client: Client) -> None:
    r = admin_client.post("/api/v1/people/", json.dumps({"name": "x" * 4000}),
                          content_type="application/json")
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"
    assert_bilingual(r.json())


@pytest.mark.parametrize(("method", "url"), [("delete", "/api/v1/people/"),
                                             ("put", "/api/v1/audit/events")])
def test_a_method_a_path_does_not_take_is_a_bilingual_405(
    admin_client: Client, method: str, url: str,
) -> None:
    r = getattr(admin_client, method)(url)
    assert r.status_code == 405
    assert r.json()["code"] == "method_not_allowed"
    assert_bilingual(r.json())
    assert "GET" in r["Allow"]
