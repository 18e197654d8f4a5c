"""Every integer in a GET operation's path or query, at 2**64, is refused with a 4xx, never a 500.

The operations are read from the OpenAPI document, so a new endpoint is covered without
editing this test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client

from wushe.accounts.models import User
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

HUGE = 2**64


def _is_integer(schema: dict[str, Any]) -> bool:
    kinds = [schema.get("type")] + [s.get("type") for s in schema.get("anyOf", [])]
    return "integer" in kinds


def _ordinary(param: dict[str, Any], region_code: str) -> object:
    """A harmless value for a parameter that is not the one under attack."""
    schema = param.get("schema", {})
    if _is_integer(schema):
        if "default" in schema and schema["default"] is not None:
            return schema["default"]
        name = param["name"]
        if name == "year":
            return 2024
        return max(1, int(schema.get("minimum", 1)))
    if param["name"] == "code":
        return region_code
    if schema.get("format") == "date":
        return "2024-01-01"
    return "x"


def _probes(region_code: str) -> Iterator[tuple[str, str, str]]:
    """(operation, name of the integer parameter, URL with 2**64 in it) for every GET."""
    from config.api import api

    document = api.get_openapi_schema()
    for path, item in document["paths"].items():
        operation = item.get("get")
        if not operation:
            continue
        params = operation.get("parameters", [])
        for target in params:
            if not _is_integer(target.get("schema", {})):
                continue
            url, query = path, {}
            for p in params:
                value = HUGE if p is target else _ordinary(p, region_code)
                if p["in"] == "path":
                    url = url.replace("{" + p["name"] + "}", str(value))
                elif p["in"] == "query" and (p is target or p.get("required")):
                    query[p["name"]] = value
            yield path, target["name"], url + ("?" + urlencode(query) if query else "")


def test_every_integer_parameter_of_every_get_answers_4xx_at_2_to_the_64(
    make_user: Callable[..., User], district: Region,
) -> None:
    admin = make_user("district_admin", district)
    client = Client(raise_request_exception=False)
    client.force_login(admin, backend="wushe.accounts.backends.LockoutBackend")
    probes = list(_probes(district.code))
    assert len(probes) > 100  # the walk found the API's integer parameters
    failures = []
    for path, name, url in probes:
        with transaction.atomic():  # one broken query must not poison the next request
            response = client.get(url)
        if response.status_code == 401:  # the walk must reach the operations, not the login
            failures.append(f"401 {path} {name}")
        elif response.status_code >= 500 or response.status_code < 400:
            failures.append(f"{response.status_code} {path} {name}")
        elif response["Content-Type"].startswith("application/json"):
            body = response.json()
            if not (body.get("code") and body.get("message", {}).get("zh")
                    and body["message"].get("en")):
                failures.append(f"not bilingual: {path} {name}: {body}")
    assert failures == [], "\n".join(failures)
