"""Searches that may carry an ID number or a phone stay out of URLs (issue #22).

The page posts its search form; the search is kept in the session, encrypted with the PII key
ring, under a short random key, and the browser is sent to ``?s=<key>`` (post/redirect/get):
the access log and the browser history only ever see the key, pagination keeps working through
``{% querystring page=… %}`` and a reload shows the same results. A key belongs to one page and
one session; the last ``KEEP`` searches are kept.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from wushe.core.crypto import keyring
from wushe.core.errors import ValidationFailed
from wushe.core.logmask import looks_like_identifier

SESSION_KEY = "ws_searches"
KEEP = 20
PARAM = "s"

# A GET that carries an identifier is refused: the form posts it.
IDENTIFIER_IN_URL = gettext_lazy(
    "Search by ID number or phone with the search form: it must not appear in the address.")


def search_save(request: HttpRequest, page: str, data: dict[str, Any]) -> str:
    """Keep ``data`` for ``page`` in the session; the key to put in the URL."""
    key = secrets.token_urlsafe(6)
    saved = dict(request.session.get(SESSION_KEY) or {})
    saved[key] = keyring().encrypt(json.dumps({"page": page, "data": data}))
    while len(saved) > KEEP:
        saved.pop(next(iter(saved)))
    request.session[SESSION_KEY] = saved
    return key


def search_load(request: HttpRequest, page: str) -> dict[str, Any] | None:
    """The search ``?s=`` names, if this session kept it for this page; else None."""
    key = request.GET.get(PARAM, "")
    token = (request.session.get(SESSION_KEY) or {}).get(key) if key else None
    if not isinstance(token, str):
        return None
    try:
        kept = json.loads(keyring().decrypt(token))
    except (ValueError, KeyError, InvalidTag):  # a key no longer in the ring, a damaged value
        return None
    if not isinstance(kept, dict) or kept.get("page") != page or not isinstance(
            kept.get("data"), dict):
        return None
    return kept["data"]  # type: ignore[no-any-return]


def search_data(request: HttpRequest, page: str, fields: tuple[str, ...]
                ) -> tuple[dict[str, Any] | None, bool]:
    """What a list binds its filter form with, and whether it came from the URL: the search
    ``?s=`` names if this session kept it, else the query string's own ``fields`` (None when
    there are none). A form bound from the URL should refuse identifiers."""
    saved = search_load(request, page)
    if saved is not None:
        return saved, False
    data = {k: request.GET[k] for k in fields if k in request.GET}
    return (data or None), True


def refuse_in_url(q: str, via_url: bool) -> str:
    """A form's ``clean_q``: an identifier that came in the URL is a form error."""
    if via_url and looks_like_identifier(q):
        from django import forms

        raise forms.ValidationError(IDENTIFIER_IN_URL, code="identifier_in_url")
    return q


class IdentifierInUrl(ValidationFailed):
    """An API GET whose query string carries an ID number or a phone: POST the search."""

    code = "identifier_in_url"

    def __init__(self, *, field: str = "q", search_path: str = "search") -> None:
        super().__init__(
            f"身份证号或手机号不能放在网址中,请改用 POST {search_path} 并在请求正文中提交",
            f"An ID number or a phone must not be in the URL: POST it to {search_path} in the "
            "request body instead", field=field)


def refuse_identifier_in_query(request: HttpRequest, *names: str, search_path: str) -> None:
    """Raise :class:`IdentifierInUrl` when a query parameter looks like an identifier."""
    for name in names:
        if looks_like_identifier(request.GET.get(name, "")):
            raise IdentifierInUrl(field=name, search_path=search_path)
