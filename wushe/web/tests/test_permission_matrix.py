"""The permission matrix (issue #13 item 8, after pretix's permission tests).

Generated, not listed: every URL pattern of Django's resolver and every operation of the
OpenAPI document, for anonymous and for one account of every role in ``Role``, with path ids
of an object inside the role's scope, one outside it and one that does not exist. A new URL is
covered without editing this file; the only tables here are the public allow-list and the map
from path-parameter names to the world's objects (``matrix_world.py``). It asserts:

- anonymous: a login redirect (pages) or 401 (API), unless the route is public;
- out of scope answers exactly like a missing id (same status; for the API the same body);
- a write out of scope (empty body) is refused with a 4xx and changes no row;
- never a 5xx.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import URLResolver, get_resolver

from config.api import api
from wushe.accounts.roles import Role
from wushe.accounts.services import token_create
from wushe.core.scoping import scopes_disabled
from wushe.web.tests.matrix_world import MatrixWorld, build_matrix_world

# Pages anyone may open (by URL name): login, health, language, and the public pages of the
# apps (volunteer sign-up and certificate check, public 点单 and tracking, ideas, the funds'
# and the purchase lists' disclosure, the evaluation survey), and the API's own documents.
PUBLIC_NAMES = frozenset({
    "web:login", "web:logout", "web:healthz", "set_language", "admin:login", "admin:logout",
    "web:login_oidc", "web:login_oidc_callback",
    "volunteers:join", "volunteers:join_teams", "volunteers:join_done", "volunteers:verify",
    "volunteers:verify_number", "charity:public", "charity:public_fund", "needs:public_submit",
    "needs:track_lookup", "needs:track", "needs:rate", "needs:sms_confirm", "needs:sms_resend",
    "needs:public_idea", "needs:public_idea_detail", "charity:public_campaign",
    "projects:public_lists", "projects:public_list", "evaluation:survey",
    "api:openapi-json", "api:openapi-view", "api:api-root", "reports:ping",
    "web:manifest", "web:large_text", "web:readyz", "web:metrics",
    "open311:discovery", "open311:services", "open311:service_definition", "open311:requests",
    "open311:request", "open311:not_found",  # Open311 GeoReport v2: public by design
})
# Answers 503 by design when a dependency is down (no worker in the tests): core/tests/test_health.py.
NOT_WALKED = frozenset({"web:readyz"})
# Pages anonymous visitors get as a page of their own, while every role still gets its own
# (asked per role below): "/" is the residents' portal, or the account's home.
ANONYMOUS_PAGES = frozenset({"web:home"})
# A path parameter's object: the key of ``MatrixWorld.ids`` per side. Looked up as
# "<segment before it>.<name>", then "<namespace>.<name>", then "<name>".
STRING_VALUES = {"action": "approve", "kind": "social", "fmt": "xlsx", "key": "needs.sla"}
MISSING_INT = 987654321
MISSING_STR = "missing0000"
ROLES = [str(r) for r in Role]
FALLBACKS: set[str] = set()  # parameters no object stands for (filled with a missing id)


@dataclass(frozen=True)
class Route:
    pattern: str  # the resolver's pattern, prefixes joined
    name: str  # namespace:name ("" when unnamed)
    params: tuple[tuple[str, str], ...]  # (converter, name)

    @property
    def namespace(self) -> str:
        return self.name.split(":")[0] if ":" in self.name else ""


_ROUTE_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern),
                             ns + (f"{p.namespace}:" if p.namespace else ""))
        else:
            pattern = prefix + str(p.pattern)
            params = tuple((conv or "str", name) for conv, name in _ROUTE_PARAM.findall(pattern))
            params += tuple(("regex", name) for name in _REGEX_PARAM.findall(pattern))
            yield Route(pattern, f"{ns}{p.name}" if p.name else "", params)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _key(ids: dict[str, Any], before: str, namespace: str, name: str) -> str | None:
    for key in (f"{before}.{name}", f"{namespace}.{name}", name):
        if key in ids["in"] or key in ids["out"]:
            return key
    return None


def fill(template: str, namespace: str, ids: dict[str, dict[str, Any]], side: str,
         *, api_style: bool = False) -> tuple[str, bool]:
    """``template`` with its parameters filled from ``side`` ("in", "out", "missing").

    Returns the URL and whether some parameter had an object on that side (otherwise the URL
    on "out" is the same as on "missing" and need not be asked twice).
    """
    found = False
    unmapped: set[str] = set()
    param = re.compile(r"\{(\w+)\}") if api_style else _ROUTE_PARAM

    def value(match: re.Match[str]) -> str:
        nonlocal found
        conv, name = ("", match.group(1)) if api_style else (match.group(1) or "str",
                                                              match.group(2))
        before = template[:match.start()].rstrip("/").rsplit("/", 1)[-1]
        key = _key(ids, before, namespace, name)
        if key is None:
            unmapped.add(name)
            if name in STRING_VALUES:
                return STRING_VALUES[name]
            return str(MISSING_INT) if name.endswith("_id") or conv in {"int", "id", "path"} \
                else MISSING_STR
        if side in ids and key in ids[side]:
            found = True
            return str(ids[side][key])
        sample = ids["in"].get(key, ids["out"].get(key))
        return str(MISSING_INT) if isinstance(sample, int) else MISSING_STR

    url = param.sub(value, template)
    FALLBACKS.update(unmapped)
    if not api_style:
        url = _REGEX_PARAM.sub(lambda m: {"app_label": "people"}.get(m.group(1), "x"), url)
        url = url.replace("^", "").replace("$", "")
    return "/" + url.lstrip("/"), found


# --- the database must not change under refused writes --------------------------------------
_VOLATILE_MODELS = {"sessions.session", "audit.auditevent", "audit.piiaccess",
                    "accounts.apitoken", "accounts.loginlock", "admin.logentry"}
_VOLATILE_FIELDS = {"last_login", "last_used_at", "last_seen_at", "updated_at"}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    with scopes_disabled():
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in _VOLATILE_MODELS or model._meta.proxy:
                continue
            fields = [f.attname for f in model._meta.concrete_fields
                      if f.attname not in _VOLATILE_FIELDS]
            manager = model._base_manager
            rows[label] = list(manager.order_by("pk").values_list(*fields))
    return rows


def changed(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# --- the identities ---------------------------------------------------------------------------
def html_client(world: MatrixWorld, role: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(world.users[role], backend="wushe.accounts.backends.LockoutBackend")
    return client


def is_login_redirect(response: Any, pattern: str) -> bool:
    where = response.get("Location", "")
    login = "/admin/login/" if pattern.startswith("admin/") else "/login/"
    return response.status_code == 302 and where.split("?")[0] == login


@dataclass
class Tally:
    requests: int = 0
    pairs: int = 0  # (url, identity, in/out) combinations asked
    writes: int = 0
    failures: list[str] | None = None

    def fail(self, message: str) -> None:
        assert self.failures is not None
        self.failures.append(message)


def _body(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.content


@pytest.fixture
def world(db: Any) -> MatrixWorld:
    cache.clear()
    return build_matrix_world()


def _page_routes() -> list[Route]:
    """Every resolver pattern but the API's operations (those come from the OpenAPI document)."""
    operations = {re.sub(r"\{\w+\}", "#", p) for p in api.get_openapi_schema()["paths"]}
    out = []
    for route in all_routes():
        if route.name in NOT_WALKED:
            continue
        as_api = "/" + _ROUTE_PARAM.sub("#", route.pattern)
        if as_api.rstrip("/") in {o.rstrip("/") for o in operations}:
            continue
        out.append(route)
    return out


@pytest.fixture
def quiet_requests() -> Iterator[None]:
    """Thousands of refused requests: Django's per-request warnings would drown the output."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_every_page_answers_by_scope(world: MatrixWorld, quiet_requests: None) -> None:
    started = time.perf_counter()
    routes = _page_routes()
    ids = world.ids
    tally = Tally(failures=[])
    for role in [None, *ROLES]:
        client = html_client(world, role)
        staff = role is not None and world.users[role].is_staff
        who = role or "anonymous"
        writes: list[tuple[Route, str]] = []
        for route in routes:
            public = route.name in PUBLIC_NAMES
            url_in, _ = fill(route.pattern, route.namespace, ids, "in")
            if role is None:
                for method in ("get", "head") if not route.params else ("get",):
                    response = getattr(client, method)(url_in)
                    tally.requests += 1
                    tally.pairs += method == "get"
                    if response.status_code >= 500:
                        tally.fail(f"{who} {method.upper()} {url_in}: {response.status_code}")
                    elif (not public and route.name not in ANONYMOUS_PAGES
                          and not is_login_redirect(response, route.pattern)):
                        tally.fail(f"{who} {method.upper()} {url_in} ({route.name}): "
                                   f"{response.status_code}, not a login redirect")
                continue
            if public:
                continue  # the same for everyone: asked anonymously above
            if route.namespace == "admin" and route.params and not staff:
                # Django's admin admits staff only, at one gate (admin_view) for every page:
                # a non-staff account meets it at the parameterless pages (anonymous walked all).
                continue
            response = client.get(url_in)
            tally.requests += 1
            tally.pairs += 1
            if response.status_code >= 500:
                tally.fail(f"{who} GET {url_in}: {response.status_code}")
            url_out, has_out = fill(route.pattern, route.namespace, ids, "out")
            if not route.params or not has_out:
                continue
            out = client.get(url_out)
            tally.requests += 1
            tally.pairs += 1
            if out.status_code == 404:
                # Not found, as a missing id is. A view that looks its object up before
                # anything else answers a POST the same way: only the others are written to
                # (POST-only views answer GET with 405, forms with a page).
                continue
            url_missing, _ = fill(route.pattern, route.namespace, ids, "missing")
            missing = client.get(url_missing)
            tally.requests += 1
            if out.status_code >= 500 or out.status_code != missing.status_code:
                tally.fail(f"{who} GET {url_out} ({route.name}): out of scope "
                           f"{out.status_code}, missing {missing.status_code}")
            writes.append((route, url_out))
        if role is None:
            continue
        before = snapshot()
        for route, url_out in writes:
            write = client.post(url_out, {})
            tally.requests += 1
            tally.writes += 1
            if not 400 <= write.status_code < 500:
                tally.fail(f"{who} POST {url_out} ({route.name}): out of scope "
                           f"{write.status_code}, not refused")
        for label in changed(before, snapshot()):
            tally.fail(f"{who}: refused writes changed {label}")
    seconds = time.perf_counter() - started
    print(f"\npages: {len(routes)} URL patterns, {len(ROLES) + 1} identities, "
          f"{tally.pairs} (URL x identity x in/out) pairs, {tally.writes} refused writes, "
          f"{tally.requests} requests, {len(tally.failures or [])} failures, {seconds:.1f} s; "
          f"no object for: {', '.join(sorted(FALLBACKS))}")
    assert not tally.failures, "\n".join(tally.failures[:80])


def _operations() -> list[tuple[str, str, bool]]:
    """(method, path, public) of every operation of the OpenAPI document."""
    schema = api.get_openapi_schema()
    ops = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            ops.append((method, path, not op.get("security")))
    return ops


def test_every_api_operation_answers_by_scope(world: MatrixWorld, quiet_requests: None) -> None:
    started = time.perf_counter()
    operations = _operations()
    ids = world.ids
    tally = Tally(failures=[])
    not_found: dict[str, Any] = {}  # per operation: the body of a 404 for a missing id
    for role in [None, *ROLES]:
        headers: dict[str, str] = {}
        if role is not None:
            raw, _token = token_create(actor=world.users[role])
            headers = {"Authorization": f"Bearer {raw}"}
        client = Client(raise_request_exception=False, headers=headers)
        who = role or "anonymous"
        writes: list[tuple[str, str]] = []
        for method, path, public in operations:
            namespace = path.removeprefix("/api/v1/").split("/")[0]
            url_in, _ = fill(path, namespace, ids, "in", api_style=True)
            if role is None:
                response = client.generic(method.upper(), url_in, "{}",
                                          content_type="application/json")
                tally.requests += 1
                tally.pairs += 1
                if response.status_code >= 500:
                    tally.fail(f"{who} {method.upper()} {url_in}: {response.status_code}")
                elif not public and response.status_code != 401:
                    tally.fail(f"{who} {method.upper()} {url_in}: {response.status_code}, "
                               "not 401")
                continue
            if public:
                continue  # the same for everyone: asked anonymously above
            url_out, has_out = fill(path, namespace, ids, "out", api_style=True)
            if method != "get":
                if has_out:
                    writes.append((method, url_out))
                continue
            response = client.get(url_in)
            tally.requests += 1
            tally.pairs += 1
            if response.status_code >= 500:
                tally.fail(f"{who} GET {url_in}: {response.status_code}")
            if not has_out:
                continue
            out = client.get(url_out)
            tally.requests += 1
            tally.pairs += 1
            if out.status_code == 404 and path in not_found and _body(out) == not_found[path]:
                continue  # exactly what a missing id got
            url_missing, _ = fill(path, namespace, ids, "missing", api_style=True)
            missing = client.get(url_missing)
            tally.requests += 1
            if missing.status_code == 404:
                not_found.setdefault(path, _body(missing))
            if out.status_code >= 500 or out.status_code != missing.status_code \
                    or _body(out) != _body(missing):
                tally.fail(f"{who} GET {url_out}: out of scope {out.status_code} "
                           f"{_body(out)!r:.120}, missing {missing.status_code} "
                           f"{_body(missing)!r:.120}")
        if role is None:
            continue
        before = snapshot()
        for method, url_out in writes:
            write = client.generic(method.upper(), url_out, "{}",
                                   content_type="application/json")
            tally.requests += 1
            tally.pairs += 1
            tally.writes += 1
            if not 400 <= write.status_code < 500:
                tally.fail(f"{who} {method.upper()} {url_out}: out of scope "
                           f"{write.status_code} {_body(write)!r:.120}, not refused")
        for label in changed(before, snapshot()):
            tally.fail(f"{who}: refused API writes changed {label}")
    seconds = time.perf_counter() - started
    print(f"\nAPI: {len(operations)} operations, {len(ROLES) + 1} identities, "
          f"{tally.pairs} (operation x identity x in/out) pairs, {tally.writes} refused writes, "
          f"{tally.requests} requests, {len(tally.failures or [])} failures, {seconds:.1f} s; "
          f"no object for: {', '.join(sorted(FALLBACKS))}")
    assert not tally.failures, "\n".join(tally.failures[:80])
