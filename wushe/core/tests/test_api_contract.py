"""The OpenAPI document tells the truth: one schema per component name, every documented
operation reachable with its method, and every operation's error responses documented."""

from __future__ import annotations

import collections
import json
import typing
from typing import Any

import pydantic
import pytest
from django.test import Client

from config.api import api


def _operations() -> list[Any]:
    return [op for bound in api._get_bound_routers()
            for view in bound.path_operations.values() for op in view.operations
            if op.include_in_schema]


def _models_in(tp: Any, found: set[type[pydantic.BaseModel]]) -> None:
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        if tp not in found:
            found.add(tp)
            for field in tp.model_fields.values():
                _models_in(field.annotation, found)
        return
    for arg in typing.get_args(tp):
        _models_in(arg, found)


def schema_name_clashes(roots: typing.Iterable[Any]) -> dict[str, list[str]]:
    """Component names that more than one schema class reachable from ``roots`` would claim.
    ninja writes every model's definitions into one dict, so the last class of a name
    silently wins and the other operations document a schema they do not return."""
    found: set[type[pydantic.BaseModel]] = set()
    for root in roots:
        _models_in(root, found)
    by_name: dict[str, set[type[pydantic.BaseModel]]] = collections.defaultdict(set)
    for model in found:
        if getattr(model, "__ninja_param_source__", None) or model.__name__ == "NinjaResponseSchema":
            continue  # ninja's per-operation wrappers: flattened, never a component
        by_name[model.__name__].add(model)
    clashes = {}
    for name, models in by_name.items():
        if len(models) < 2:
            continue
        ours = [m for m in models if m.__module__.startswith(("wushe", "config", "test"))]
        shapes = {repr(m.model_json_schema(mode="serialization")) for m in models}
        if ours or len(shapes) > 1:  # ninja's Paged<Item>, built once per operation, is one shape
            clashes[name] = sorted(f"{m.__module__}.{m.__qualname__}" for m in models)
    return clashes


def _operation_models() -> list[Any]:
    return [model for op in _operations()
            for model in [*op.models, *op.response_models.values()]]


def test_schema_classes_have_unique_component_names() -> None:
    assert schema_name_clashes(_operation_models()) == {}


def test_a_name_shared_by_two_schema_classes_is_a_clash() -> None:
    from ninja import Schema

    def totals_of_a_fund() -> type[Schema]:
        class TotalsOut(Schema):
            raised: int
        return TotalsOut

    def totals_of_a_team() -> type[Schema]:
        class TotalsOut(Schema):
            team_id: int
        return TotalsOut

    fund, team = totals_of_a_fund(), totals_of_a_team()
    assert set(schema_name_clashes([fund, list[team]])) == {"TotalsOut"}
    assert schema_name_clashes([fund, list[fund]]) == {}


def _sample(param: dict[str, Any]) -> str:
    schema = param.get("schema", {})
    kinds = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
    return "1" if "integer" in kinds else "abc"


def _documented() -> list[tuple[str, str, dict[str, Any]]]:
    doc = api.get_openapi_schema()
    return [(path, method, op) for path, ops in doc["paths"].items()
            for method, op in ops.items()]


@pytest.mark.django_db
def test_every_documented_operation_answers_its_method() -> None:
    """A path shadowed by an earlier pattern (/regions/{code} before /regions/sites) answers
    405 to a method the document promises."""
    client = Client()
    wrong = []
    for path, method, op in _documented():
        url = path
        for param in op.get("parameters", []):
            if param["in"] == "path":
                url = url.replace("{" + param["name"] + "}", _sample(param))
        assert "{" not in url, url
        response = getattr(client, method)(url, content_type="application/json")
        if response.status_code == 405:
            wrong.append(f"{method.upper()} {path}")
    assert wrong == []


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for _, _, op in _documented()]
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []


def test_site_create_is_routed(db: Any, make_user: Any, community_a: Any) -> None:
    admin = make_user("district_admin", community_a.parent.parent)
    client = Client()
    client.force_login(admin, backend="wushe.accounts.backends.LockoutBackend")
    response = client.post("/api/v1/regions/sites", {"region_code": community_a.code,
                                                      "kind": "party_centre",
                                                      "name": "杨坪社区服务中心"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["region_code"] == community_a.code


def test_every_operation_documents_its_error_responses() -> None:
    doc = api.get_openapi_schema()
    assert doc["components"]["schemas"]["ErrorOut"]["required"] == ["code", "message"]
    missing = []
    for path, method, op in _documented():
        responses = {int(k): v for k, v in op["responses"].items()}
        expected = {401, 403} if op.get("security") else {429}
        if op.get("parameters") or op.get("requestBody"):
            expected |= {400, 404, 422}
        if method in {"post", "put", "patch", "delete"}:
            expected.add(409)
        for status in sorted(expected):
            body = responses.get(status, {}).get("content", {}).get("application/json", {})
            if body.get("schema") != {"$ref": "#/components/schemas/ErrorOut"}:
                missing.append(f"{method.upper()} {path} {status}")
        if not op.get("security") and (method, path) != ("post", "/api/v1/auth/token"):
            assert 401 not in responses, f"{method.upper()} {path} needs no account"
    assert missing == []
    token = {int(k) for k in doc["paths"]["/api/v1/auth/token"]["post"]["responses"]}
    assert {401, 423, 429} <= token  # wrong credentials, the lock, the throttle


def _conforms(body: dict[str, Any]) -> None:
    """``body`` validates against the document's ErrorOut (its $refs resolved in the document)."""
    import jsonschema_rs  # schemathesis's validator

    doc = json.loads(json.dumps(api.get_openapi_schema()))
    jsonschema_rs.validate({**doc["components"]["schemas"]["ErrorOut"],
                            "components": doc["components"]}, body)


@pytest.mark.django_db
def test_error_bodies_match_the_documented_error_schema(make_user: Any, community_a: Any) -> None:
    anonymous = Client()
    unauthenticated = anonymous.get("/api/v1/auth/me")
    invalid = anonymous.post("/api/v1/auth/token", {"username": 1},
                             content_type="application/json")
    staff = Client()
    staff.force_login(make_user("community_staff", community_a),
                      backend="wushe.accounts.backends.LockoutBackend")
    missing = staff.get("/api/v1/regions/999999999999")
    assert [unauthenticated.status_code, invalid.status_code, missing.status_code] == [
        401, 422, 404]
    for response in (unauthenticated, invalid, missing):
        _conforms(response.json())
        assert set(response.json()["message"]) == {"zh", "en"}
