"""The platform's API at /api/v1/hotline (docs/hotline-12345.md): ``POST /orders`` and
``GET /updates?since=<cursor>``. Authenticated by the shared secret's HMAC signature
(signing.py), never by a session or a staff token; the orders are taken in by the account
``WUSHE_HOTLINE_ACCOUNT``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema, Status
from ninja.security import APIKeyHeader

from wushe.core.errors import ValidationFailed
from wushe.hotline import orders, selectors, services, signing

PULL_LIMIT_DEFAULT = 100


class HotlineSignature(APIKeyHeader):
    """``X-Wushe-Signature`` (with ``X-Wushe-Timestamp``) over the request; the platform's
    account on success, None (401) otherwise."""

    param_name = signing.SIGNATURE_HEADER

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not signing.verify(request.headers.get(signing.TIMESTAMP_HEADER), key,
                              request.method or "", request.get_full_path(), request.body):
            return None
        return orders.platform_account()


router = Router(tags=["hotline"], auth=HotlineSignature())


class OrderOut(Schema):
    number: str
    tracking_code: str
    created: bool


class UpdateOut(Schema):
    cursor: str
    update: dict[str, Any]


class UpdatesOut(Schema):
    updates: list[UpdateOut]
    next: str


@router.post("/orders", response={200: OrderOut, 201: OrderOut})
def order_receive(request: HttpRequest, payload: Body[dict[str, Any]]) -> Status:
    """Receive one work order; the same number again answers 200 with the same need."""
    done = services.order_receive(actor=request.auth, data=payload)  # type: ignore[attr-defined]
    out = OrderOut(number=done.order.number, tracking_code=done.order.need.tracking_code,
                   created=done.created)
    return Status(201 if done.created else 200, out)


def _int(raw: str, field: str, default: int) -> int:
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ValidationFailed(f"{field} 应为非负整数", f"{field} must be a non-negative integer",
                               code="bad_cursor", field=field)
    return int(raw)


@router.get("/updates", response=UpdatesOut)
def updates(request: HttpRequest, since: str = "", limit: str = "") -> UpdatesOut:
    """Status updates after the cursor ``since`` (oldest first; ``limit`` at most 500)."""
    cursor = _int(since, "since", 0)
    count = _int(limit, "limit", PULL_LIMIT_DEFAULT)
    if not 1 <= count <= selectors.PULL_LIMIT_MAX:
        raise ValidationFailed("limit 应在 1–500 之间", "limit must be 1–500", code="bad_limit",
                               field="limit")
    rows = selectors.updates_since(actor=request.auth, cursor=cursor, limit=count)  # type: ignore[attr-defined]
    return UpdatesOut(updates=[UpdateOut(cursor=str(u.pk), update=u.payload) for u in rows],
                      next=str(rows[-1].pk if rows else cursor))
