"""Two surfaces (wushe/core/surface.py): the URL patterns a server has depend on WUSHE_SURFACE."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.checks import Error
from django.test import Client, override_settings
from django.urls import URLResolver, clear_url_caches, get_resolver, resolve
from django.urls.exceptions import Resolver404

import config.urls
from wushe.core.surface import PUBLIC_PAGES, SHARED, check_surface, keeps

pytestmark = pytest.mark.django_db


@contextmanager
def serving(surface: str) -> Iterator[None]:
    """config/urls.py loaded again under ``surface``, as a server started with it would."""
    try:
        with override_settings(WUSHE_SURFACE=surface):
            importlib.reload(config.urls)
            clear_url_caches()
            yield
    finally:
        importlib.reload(config.urls)
        clear_url_caches()


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_ALTERNATIVES = re.compile(r"\(\?P<\w+>(\w+)(?:\|\w+)*\)")
_REGEX_ANY = re.compile(r"\(\?P<\w+>\.[*+]\)")


def _sample(pattern: str) -> str:
    """A path the pattern matches: ids 1, strings x1, a regex group's first alternative."""
    path = _PARAM.sub(lambda m: "1" if m.group(1) in {"int", "id"} else "x1", pattern)
    path = _REGEX_ALTERNATIVES.sub(lambda m: m.group(1), path)
    path = _REGEX_ANY.sub("x1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern),
                             ns + (f"{p.namespace}:" if p.namespace else ""))
        else:
            yield prefix + str(p.pattern), f"{ns}{p.name}" if p.name else ""


def all_routes() -> list[tuple[str, str]]:
    """(pattern, namespaced name) of every URL of the ``all`` surface."""
    return list(_walk(get_resolver().url_patterns))


def _is_public(pattern: str, name: str) -> bool:
    if pattern.startswith("api/v1/"):
        return keeps("public", name, pattern.removeprefix("api/v1/"), api=True)
    return keeps("public", name, pattern)


def test_public_surface_answers_404_to_every_staff_url() -> None:
    routes = all_routes()
    staff = [(p, n) for p, n in routes if not _is_public(p, n)]
    assert len(staff) > 500  # the walk saw the whole back office (admin, pages, API)
    client = Client()
    with serving("public"):
        for pattern, name in staff:
            url = _sample(pattern)
            try:
                match = resolve(url)
            except Resolver404:
                match = None
            # Either nothing answers there, or a public page whose pattern the sample also fits
            # (never the staff view itself).
            assert match is None or match.view_name in PUBLIC_PAGES | SHARED, (url, name)
            if match is None:
                assert client.get(url).status_code == 404, (url, name)


def test_public_surface_hides_login_admin_docs_and_staff_api() -> None:
    client = Client()
    with serving("public"):
        for url in ("/login/", "/admin/", "/admin/login/", "/api/v1/docs",
                    "/api/v1/openapi.json", "/api/v1/needs/", "/api/v1/auth/token",
                    "/reports/", "/work/"):
            assert client.get(url).status_code == 404, url
        assert client.post("/api/v1/auth/token", {}, content_type="application/json"
                           ).status_code == 404


def test_public_surface_serves_the_residents_pages_without_a_staff_link() -> None:
    client = Client()
    with serving("public"):
        home = client.get("/")
        assert home.status_code == 200
        assert b'data-testid="staff-login"' not in home.content
        for url in ("/needs/submit", "/needs/track", "/volunteers/join/", "/volunteers/verify/",
                    "/charity/public/", "/projects/public/purchase-lists/", "/healthz"):
            assert client.get(url).status_code == 200, url
        assert client.get("/api/v1/public/needs/categories").status_code == 200


def test_all_surface_portal_keeps_the_staff_link() -> None:
    assert b'data-testid="staff-login"' in Client().get("/").content


def test_staff_surface_has_no_public_intake() -> None:
    client = Client()
    with serving("staff"):
        for url in ("/needs/submit", "/needs/track", "/volunteers/join/",
                    "/projects/public/purchase-lists/", "/api/v1/public/needs/categories"):
            assert client.get(url).status_code == 404, url
        assert client.post("/api/v1/public/needs", {}, content_type="application/json"
                           ).status_code == 404
        assert client.get("/login/").status_code == 200
        home = client.get("/")
        assert home.status_code == 302 and home["Location"].startswith("/login/")


def test_unknown_surface_serves_no_page_and_the_check_refuses_it() -> None:
    with override_settings(WUSHE_SURFACE="pubic"):
        assert [e.id for e in check_surface()] == ["wushe.E030"]
        assert all(isinstance(e, Error) for e in check_surface())
    with serving("pubic"):  # health only: neither a public nor a staff page
        client = Client()
        assert client.get("/healthz").status_code == 200
        for url in ("/needs/submit", "/login/", "/admin/", "/api/v1/public/needs/categories"):
            assert client.get(url).status_code == 404, url
    assert Client().get("/login/").status_code == 200  # the full URLs are back
    for surface in ("all", "public", "staff"):
        with override_settings(WUSHE_SURFACE=surface):
            assert check_surface() == []


def test_every_page_anyone_may_open_is_on_the_public_surface() -> None:
    from wushe.web.tests.test_permission_matrix import ANONYMOUS_PAGES, PUBLIC_NAMES

    staff_only = {"web:login", "web:logout", "admin:login", "admin:logout",  # staff sign-in
                  "web:login_oidc", "web:login_oidc_callback",
                  "api:openapi-json", "api:openapi-view", "api:api-root"}  # the staff API's docs
    missing = (PUBLIC_NAMES | ANONYMOUS_PAGES) - staff_only - PUBLIC_PAGES - SHARED
    assert not missing, f"add to wushe/core/surface.py PUBLIC_PAGES or SHARED: {sorted(missing)}"
