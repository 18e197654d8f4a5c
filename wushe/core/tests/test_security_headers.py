"""Headers of issue #13 item 9: HSTS and Secure cookies under WUSHE_TLS; no-store on every
authenticated response (session or bearer token) and on the API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from wushe.accounts.models import User
from wushe.accounts.services import token_create
from wushe.conftest import PASSWORD

_PRINT = ("import django, json; django.setup(); from django.conf import settings as s; "
          "print(json.dumps({k: getattr(s, k, None) for k in ('WUSHE_TLS', "
          "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE', "
          "'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER')}))")


def settings_under(**env: str) -> dict[str, Any]:
    """The TLS settings as a fresh process reads them from its environment."""
    clean = {k: v for k, v in os.environ.items()
             if k not in {"WUSHE_TLS", "WUSHE_SECURE_COOKIES", "WUSHE_HSTS_SECONDS"}}
    done = subprocess.run([sys.executable, "-c", _PRINT], capture_output=True, text=True,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
                          cwd=settings.BASE_DIR, check=True, timeout=120)
    values: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture(scope="module")
def tls_on() -> dict[str, Any]:
    return settings_under(WUSHE_TLS="1")


def test_tls_is_off_by_default() -> None:
    values = settings_under()
    assert values["WUSHE_TLS"] is False
    assert not values["SECURE_HSTS_SECONDS"]
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_tls_sets_a_year_of_hsts_secure_cookies_and_the_proxy_header(
        tls_on: dict[str, Any]) -> None:
    assert tls_on["WUSHE_TLS"] is True
    assert tls_on["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert tls_on["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert tls_on["SESSION_COOKIE_SECURE"] is True and tls_on["CSRF_COOKIE_SECURE"] is True
    assert tls_on["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_old_secure_cookies_setting_is_an_alias_of_tls(tls_on: dict[str, Any]) -> None:
    assert settings_under(WUSHE_SECURE_COOKIES="1") == tls_on


@pytest.mark.django_db
def test_https_answers_carry_hsts_and_secure_cookies(tls_on: dict[str, Any],
                                                     staff_a: User) -> None:
    values = {k: v for k, v in tls_on.items() if k != "WUSHE_TLS"}
    with override_settings(**values):
        client = Client()
        page = client.get("/login/", secure=True)
        assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert page.cookies["csrftoken"]["secure"]
        login = client.post("/login/", {"username": "staff_a", "password": PASSWORD},
                            secure=True)
        assert login.status_code == 302
        assert login.cookies["sessionid"]["secure"]
        # Behind the proxy: plain HTTP to the app, X-Forwarded-Proto says the browser used TLS.
        proxied = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
        assert "Strict-Transport-Security" in proxied
        # HSTS is only ever sent over TLS (a browser ignores it on http anyway).
        assert "Strict-Transport-Security" not in Client().get("/login/")


@pytest.mark.django_db
def test_plain_settings_send_no_hsts_and_no_secure_cookie(staff_a: User) -> None:
    client = Client()
    page = client.get("/login/", secure=True)
    assert "Strict-Transport-Security" not in page
    login = client.post("/login/", {"username": "staff_a", "password": PASSWORD})
    assert not login.cookies["sessionid"]["secure"]


def _no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "") and response.get("Pragma") == "no-cache"


@pytest.mark.django_db
def test_every_page_of_a_signed_in_user_is_no_store(staff_a: User) -> None:
    client = Client()
    client.force_login(staff_a, backend="wushe.accounts.backends.LockoutBackend")
    for url in ("/", "/people/", "/people/987654321/", "/api/v1/auth/me"):
        assert _no_store(client.get(url)), url


@pytest.mark.django_db
def test_an_api_answer_to_a_bearer_token_is_no_store(staff_a: User) -> None:
    raw, _token = token_create(actor=staff_a)
    response = Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert _no_store(response)


@pytest.mark.django_db
def test_api_answers_are_no_store_even_anonymous() -> None:
    assert _no_store(Client().get("/api/v1/people/"))  # 401
    assert _no_store(Client().get("/api/v1/public/funds"))


@pytest.mark.django_db
def test_public_pages_and_static_files_stay_cacheable() -> None:
    client = Client()
    # (The login page and the public forms are never_cache of their own: harmless.)
    for url in ("/healthz", "/charity/public/", "/projects/public/purchase-lists/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url
    static = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
