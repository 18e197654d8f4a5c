import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from wushe.audit.labels import label
from wushe.audit.selectors import AuditFilters, audit_event_list
from wushe.core.paging import paginate

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    at: dt.datetime
    actor_name: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    region_path: str
    data: dict[str, Any]
    ip: str | None
    action_label: str = ""

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return label(obj.action)  # in the request's language


class AuditQuery(Schema):
    family: str = ""
    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/events", response=list[AuditEventOut])
@paginate
def event_list(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    return audit_event_list(actor=request.user, filters=AuditFilters(**filters.model_dump()))
