"""The account's own work at /api/v1/me: ``GET /me/work``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from wushe.core.errors import ValidationFailed
from wushe.inbox import selectors
from wushe.inbox.registry import PRODUCERS

router = Router(tags=["me"])

MAX_LIMIT = 200
# Each kind lists up to offset + limit items, so the offset is bounded like a page number is.
MAX_OFFSET = 5000
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class WorkItemOut(Schema):
    kind: str
    title: str
    due: dt.date | None
    link: str
    colour: str  # overdue, due (soon), ok, or "" without a due date


class WorkOut(Schema):
    counts: dict[str, int]
    count: int
    items: list[WorkItemOut]


@router.get("/work", response=WorkOut)
def my_work(request: HttpRequest, kind: str = "", limit: Limit = 50,
            offset: Offset = 0) -> dict[str, Any]:
    """Open work items of the token's account: counts by kind, and the items (most urgent
    first; ``kind`` narrows to one kind; ``limit``/``offset`` page through them)."""
    if kind and kind not in PRODUCERS:
        raise ValidationFailed(f"未知的待办类型 {kind}", f"Unknown kind of work {kind}",
                               field="kind")
    groups = selectors.work_groups(actor=request.user, kind=kind or None,
                                   per_kind=offset + limit)
    items = sorted((i for g in groups for i in g.items),
                   key=lambda i: (i["due"] or dt.date.max, i["kind"]))
    counts = {g.kind: g.count for g in groups}
    return {"counts": counts, "count": sum(counts.values()), "items": items[offset:offset + limit]}
