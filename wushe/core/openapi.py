"""The API's OpenAPI document, with the error responses each operation can give.

Every error leaves the API in one shape (``ErrorOut``; ``config/api.py`` maps each exception
to it), so the statuses are added here in one place, by what an operation is:

- 400 and 404, 422: it takes parameters or a body (a service refuses a value; a code or id
  it names is missing or out of scope, which answers exactly like missing; the request does
  not parse or validate);
- 401, 403: it requires an account (no or a bad token; a role without the permission);
- 409: it writes (POST, PUT, PATCH, DELETE: an illegal transition, a duplicate, an
  idempotency key reused with another body);
- 413: it takes a body (the body size and JSON depth caps);
- 429: it is public (per-address rate limits);
- and what one operation alone can answer, in ``EXTRA`` (the token endpoint's 401, 423).

500 is not documented: the contract is that it never happens (``scripts/fuzz-api.sh``).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema

DESCRIPTIONS = {
    400: "Refused: the value breaks a rule (code, message zh/en, field)",
    401: "No account: sign in or send a valid bearer token",
    403: "This account may not do this",
    404: "Not found, or outside the account's scope (the same answer)",
    409: "Conflict with the record's state (illegal transition, duplicate, reused key)",
    413: "The request body is too large or nested too deeply",
    422: "The request does not validate (details: one entry per field)",
    423: "Locked after repeated failures",
    429: "Too many requests: wait and try again",
}
WRITES = {"post", "put", "patch", "delete"}
# (method, path under /api/v1) -> statuses only that operation answers.
EXTRA: dict[tuple[str, str], tuple[int, ...]] = {
    # wrong credentials or one-time code, retired superuser, lock, per-address throttle
    ("post", "/auth/token"): (401, 403, 423, 429),
    ("get", "/volunteers/me"): (404,),  # the account is no volunteer
}


class ErrorMessage(Schema):
    zh: str
    en: str


class ErrorOut(Schema):
    """Every 4xx and 5xx body of the API."""

    code: str
    message: ErrorMessage
    field: str | None = None
    details: list[dict[str, Any]] | None = None


def error_statuses(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses ``operation`` (an OpenAPI operation object) can answer."""
    statuses: set[int] = set()
    has_body = "requestBody" in operation
    if operation.get("parameters") or has_body:
        statuses |= {400, 404, 422}
    if operation.get("security"):
        statuses |= {401, 403}
    else:
        statuses.add(429)
    if method in WRITES:
        statuses.add(409)
    if has_body:
        statuses.add(413)
    statuses.update(EXTRA.get((method, path), ()))
    return sorted(statuses)


def document_errors(schema: dict[str, Any], prefix: str) -> None:
    """Add ``ErrorOut`` to the components and the error responses to every operation."""
    error = ErrorOut.model_json_schema(ref_template=REF_TEMPLATE, mode="serialization")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in {**error.pop("$defs", {}), "ErrorOut": error}.items():
        if components.get(name, definition) != definition:
            raise RuntimeError(f"an API schema is named {name}, which the error body uses")
        components[name] = definition
    ref = {"$ref": REF_TEMPLATE.format(model="ErrorOut")}
    for full_path, operations in schema.get("paths", {}).items():
        path = full_path.removeprefix(prefix.rstrip("/"))
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, path, operation):
                if status in responses or str(status) in responses:
                    continue
                responses[status] = {"description": DESCRIPTIONS[status],
                                     "content": {"application/json": {"schema": ref}}}


class WusheAPI(NinjaAPI):
    """NinjaAPI whose document lists each operation's error responses."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        prefix = self.get_root_path(path_params or {}) if path_prefix is None else path_prefix
        document_errors(schema, prefix)
        return schema
