"""Issue #22 item 1: a search by ID number or phone never puts the identifier in a URL (page:
POST, then ``?s=<key>``; API: POST /search, a GET with one refused), and no log record made
during searches, imports and failing requests holds one."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from wushe.web.tests.factories import PASSWORD, World, build_world, id_number
from wushe.web.tests.test_import_jobs import workbook

HX = {"HTTP_HX_REQUEST": "true"}
B_ID = id_number(seq="789")
B_PHONE = "13900139000"
A_PHONE = "13800138000"


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(f"lookup failed for {B_ID} / {B_PHONE}")


# config's URLs plus one view that fails with identifiers in its exception (a real 500).
urlpatterns = [path("test-boom", _boom), path("", include("config.urls"))]


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


# --- the page -------------------------------------------------------------------------------

def test_search_by_id_number_redirects_to_a_key_and_finds_the_person(world: World) -> None:
    client = world.client("street")
    posted = client.post("/people/", {"q": B_ID})
    assert posted.status_code == 302
    location = posted["Location"]
    assert location.startswith("/people/?s=") and B_ID not in location
    page = client.get(location)
    html = page.content.decode()
    assert page.status_code == 200 and "刘*郊" in html and "陈*海" not in html
    request = page.wsgi_request
    assert B_ID not in request.get_full_path() and "q" not in request.GET
    # reload: the same results from the same address
    assert "刘*郊" in client.get(location).content.decode()


def test_search_by_full_width_phone_is_found_without_it_in_the_url(world: World) -> None:
    client = world.client("street")
    full_width = A_PHONE.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    response = client.post("/people/", {"q": full_width}, follow=True)
    (target, _status), = response.redirect_chain
    assert full_width not in target and A_PHONE not in target
    assert "陈*海" in response.content.decode() and "刘*郊" not in response.content.decode()


def test_pagination_keeps_the_kept_search(world: World, settings: Any) -> None:
    settings.WUSHE_PAGE_SIZE = 1
    client = world.client("staff_a")
    location = client.post("/people/", {"region": world.community_a.code})["Location"]
    key = location.split("?s=")[1]
    first = client.get(location).content.decode()
    assert f"?s={key}&amp;page=2" in first
    second = client.get(f"{location}&page=2").content.decode()
    assert ("陈*海" in first) != ("陈*海" in second)
    assert ("陈*雨" in first) != ("陈*雨" in second)


def test_htmx_search_answers_results_and_an_address_without_the_identifier(
        world: World, settings: Any) -> None:
    settings.WUSHE_PAGE_SIZE = 1
    response = world.client("street").post("/people/", {"q": B_ID}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "刘*郊" in html
    pushed = response["HX-Push-Url"]
    assert pushed.startswith("/people/?s=") and B_ID not in pushed


def test_the_search_form_posts(world: World) -> None:
    html = world.client("staff_a").get("/people/").content.decode()
    assert 'method="post" action="/people/"' in html and 'hx-post="/people/"' in html
    assert "hx-get=\"/people/\"" not in html


def test_an_identifier_in_the_query_string_is_refused(world: World) -> None:
    client = world.client("street")
    for q in (B_ID, B_PHONE, "139 0013 9000", "+86 139-0013-9000"):
        response = client.get("/people/", {"q": q})
        html = response.content.decode()
        assert response.status_code == 400, q
        assert "alert-danger" in html
        assert "陈*海" in html  # the search was not run: the list stays unfiltered
    # A full name is personal data too (#22 item 2): it goes by the form, not the address.
    assert client.get("/people/", {"q": "刘西郊"}).status_code == 400


def test_a_kept_search_is_this_sessions_and_encrypted(world: World) -> None:
    client = world.client("street")
    location = client.post("/people/", {"q": B_ID})["Location"]
    for session in Session.objects.all():
        assert B_ID not in json.dumps(session.get_decoded())
    other = world.client("street").get(location).content.decode()  # another session
    assert "陈*海" in other  # the key means nothing there: the whole list


def test_a_refused_search_is_explained_and_not_kept(world: World) -> None:
    client = world.client("staff_a")
    bad = B_ID[:-1] + ("0" if B_ID[-1] != "0" else "1")
    response = client.post("/people/", {"q": bad})
    assert response.status_code == 400 and "alert-danger" in response.content.decode()
    assert all("ws_searches" not in s.get_decoded() for s in Session.objects.all())


# --- the API --------------------------------------------------------------------------------

def _api(world: World, username: str = "street") -> tuple[Client, dict[str, str]]:
    client = Client()
    token = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                        content_type="application/json").json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_api_get_with_an_identifier_is_refused_in_both_languages(world: World) -> None:
    client, auth = _api(world)
    for q in (B_ID, B_PHONE, "139 0013 9000"):
        response = client.get("/api/v1/people/", {"q": q}, **auth)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "identifier_in_url" and body["field"] == "q"
        assert "POST" in body["message"]["en"] and "POST" in body["message"]["zh"]
        assert q not in json.dumps(body, ensure_ascii=False)
    names = client.get("/api/v1/people/", {"q": "刘西郊"}, **auth)
    assert names.status_code == 400 and names.json()["code"] == "name_in_url"
    assert "刘西郊" not in names.content.decode()
    found = client.post("/api/v1/people/search", {"q": "刘西郊"}, content_type="application/json",
                        **auth)
    assert found.status_code == 200 and found.json()["count"] == 1


def test_api_post_search_finds_by_id_number_and_phone_within_scope(world: World) -> None:
    client, auth = _api(world)
    for q in (B_ID, B_PHONE):
        response = client.post("/api/v1/people/search", {"q": q},
                               content_type="application/json", **auth)
        assert response.status_code == 200
        (item,) = response.json()["items"]
        assert item["name"] == "刘*郊" and item["id_number"] != B_ID
    scoped, scoped_auth = _api(world, "staff_a")  # community A does not see B's resident
    outside = scoped.post("/api/v1/people/search", {"q": B_ID}, content_type="application/json",
                          **scoped_auth)
    assert outside.status_code == 200 and outside.json()["count"] == 0


# --- the logs -------------------------------------------------------------------------------

def _assert_no_identifier(caplog: pytest.LogCaptureFixture, *raw: str) -> None:
    assert caplog.records  # something was logged: the check is not vacuous
    texts = [caplog.text] + [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    for value in raw:
        for text in texts:
            assert value not in text


@pytest.mark.urls(__name__)
def test_no_identifier_in_any_log_record_after_searches_and_failures(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = world.client("street")
    client.post("/people/", {"q": B_ID}, follow=True)
    client.get("/people/", {"q": B_PHONE})  # refused: 400, logged by django.request
    client.get(f"/people/{B_ID}/")  # 404 with the identifier in the path
    api, auth = _api(world)
    assert api.get("/api/v1/people/", {"q": B_ID}, **auth).status_code == 400
    assert api.post("/api/v1/people/999999/unmask", {"field": "phone", "purpose": B_PHONE},
                    content_type="application/json", **auth).status_code == 404
    failing = Client(raise_request_exception=False)
    failing.force_login(world.users["street"], backend="wushe.accounts.backends.LockoutBackend")
    assert failing.get("/test-boom", {"id": B_ID}).status_code == 500
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert any(m.startswith("Not Found: /people/500107********") for m in messages)
    boom = [r for r in caplog.records if r.exc_text and "RuntimeError" in r.exc_text]
    assert boom and "500107********789" in boom[0].exc_text
    _assert_no_identifier(caplog, B_ID, B_PHONE, B_ID[6:14])


def test_no_identifier_in_any_log_record_after_an_import_with_bad_rows(
        world: World, caplog: pytest.LogCaptureFixture, inline_jobs: Any) -> None:
    caplog.set_level(logging.DEBUG)
    bad_id = "110105194912310021"  # wrong check digit
    client = world.client("staff_a")
    started = client.post("/people/import", {"file": workbook([
        ["张三", bad_id, "13912345678", "", world.community_a.code],
        ["李四", B_ID, B_PHONE, "", world.community_b.code],  # out of scope
        ["王五", "", "139123", "", world.community_a.code]])})
    assert started.status_code == 302
    assert 'data-testid="import-errors"' in client.get(started["Location"]).content.decode()
    logging.getLogger("wushe.tests").info("import done: %s", bad_id)  # one record at least
    _assert_no_identifier(caplog, bad_id, B_ID, B_PHONE, "13912345678")



def test_guardian_lookup_takes_the_id_number_by_post_only(world: World) -> None:
    child = world.people["a_child"]
    client = world.client("staff_a")
    guardian_id = id_number(seq="123")
    posted = client.post(f"/people/{child.pk}/guardian", {"guardian_id_number": guardian_id},
                         **HX)
    assert posted.status_code == 200 and "陈*海" in posted.content.decode()
    by_url = client.get(f"/people/{child.pk}/guardian", {"guardian_id_number": guardian_id}, **HX)
    assert by_url.status_code == 302 and "陈*海" not in by_url.content.decode()
    page = client.get(f"/people/{child.pk}/").content.decode()
    assert f'hx-post="/people/{child.pk}/guardian"' in page
