"""Two surfaces (issue #18): one server for the internet zone, one for the government network.

``WUSHE_SURFACE`` chooses which URL patterns exist at all (config/urls.py builds them from it):

- ``all`` (the default): everything;
- ``public``: only the residents' pages and the public API (/api/v1/public/…): the portal at
  ``/``, 点单 intake, tracking and rating, ideas, volunteer registration and certificate check,
  the funds' disclosure, the purchase lists, the evaluation survey, plus health and language. No
  staff login, no admin, no staff page, no staff API, no API documents (they describe the staff
  API): a URL of the back office is not hidden after resolving, it is not there (404);
- ``staff``: the back office (login, admin, staff pages and API) without the residents' pages.

Static files are served by WhiteNoise's middleware on every surface (they are not URLs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.checks import Error
from django.urls import URLPattern, URLResolver

SURFACES = ("all", "public", "staff")

# The residents' pages (by namespaced URL name): on ``public`` and ``all``, never on ``staff``.
PUBLIC_PAGES = frozenset({
    "volunteers:join", "volunteers:join_teams", "volunteers:join_done", "volunteers:verify",
    "volunteers:verify_number", "charity:public", "charity:public_fund", "needs:public_submit",
    "needs:track_lookup", "needs:track", "needs:rate", "needs:public_idea",
    "needs:public_idea_detail", "charity:public_campaign",
    "projects:public_lists", "projects:public_list", "evaluation:survey",
    "needs:sms_confirm", "needs:sms_resend",  # a resident confirms their phone while tracking
    # GeoReport v2
    "open311:discovery", "open311:services", "open311:service_definition", "open311:requests",
    "open311:request", "open311:not_found",
})
# Keep this list and the permission matrix's PUBLIC_NAMES (wushe/web/tests/test_permission_
# matrix.py) together: test_surface.py fails when a page anyone may open is on neither surface.
# On every surface: the front door (the portal, or on ``staff`` the sign-in), health, metrics
# (itself limited to WUSHE_METRICS_ALLOW), the language switch, the PWA manifest, large text,
# and the empty benchmark endpoint.
SHARED = frozenset({
    "web:home", "web:healthz", "web:readyz", "web:metrics", "set_language", "web:manifest",
    "web:large_text", "reports:ping",
})
# The API's mount point (config/urls.py) and its public routers' prefix (config/api.py).
API_PREFIX = "api/v1/"
PUBLIC_API_PREFIX = "public/"


def current() -> str:
    return str(getattr(settings, "WUSHE_SURFACE", "all"))


def keeps(surface: str, name: str, route: str = "", *, api: bool = False) -> bool:
    """Does ``surface`` serve the pattern named ``name`` (namespaced) at ``route`` (its route
    inside the API for an API operation)?"""
    if surface == "all":
        return True
    if surface not in SURFACES:  # a typo serves no page (fail closed); the check names it
        return not api and name in SHARED
    public = route.startswith(PUBLIC_API_PREFIX) if api else name in PUBLIC_PAGES
    if surface == "public":
        return public or (not api and name in SHARED)
    return not public  # staff


def _filter(patterns: Iterable[Any], keep: Callable[[str, str], bool], ns: str = "",
            prefix: str = "") -> list[Any]:
    kept: list[Any] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = _filter(p.url_patterns, keep,
                            ns + (f"{p.namespace}:" if p.namespace else ""), prefix + str(p.pattern))
            if inner:
                kept.append(URLResolver(p.pattern, inner, p.default_kwargs, p.app_name,
                                        p.namespace))
        elif isinstance(p, URLPattern):
            name = f"{ns}{p.name}" if p.name else ""
            if keep(name, prefix + str(p.pattern)):
                kept.append(p)
    return kept


def filter_patterns(patterns: list[Any], surface: str | None = None) -> list[Any]:
    """``patterns`` (config/urls.py's full list) with only what ``surface`` serves."""
    surface = surface or current()
    if surface == "all":
        return list(patterns)

    def keep(name: str, route: str) -> bool:
        if route.startswith(API_PREFIX):  # an API operation: by its route inside the API
            return keeps(surface, name, route.removeprefix(API_PREFIX), api=True)
        return keeps(surface, name, route)

    return _filter(patterns, keep)


def check_surface(**kwargs: Any) -> list[Error]:
    """System check: an unknown WUSHE_SURFACE stops the server (never a silent ``all``)."""
    value = getattr(settings, "WUSHE_SURFACE", "all")
    if value not in SURFACES:
        return [Error(f"WUSHE_SURFACE is {value!r}; it must be one of {', '.join(SURFACES)}",
                      hint="WUSHE_SURFACE=public for the internet zone, staff for the "
                           "government network, all (the default) for both", id="wushe.E030")]
    return []
