"""The audit app's own entry points (its writer is ``wushe.audit.recorder``)."""

from __future__ import annotations

from typing import Any

from wushe.accounts import scope
from wushe.accounts.actor import Actor
from wushe.audit.codes import Action
from wushe.audit.recorder import record
from wushe.core.errors import PermissionDenied
from wushe.core.services import service


@service
def audit_export(*, actor: Actor, filters: Any) -> bytes:
    """Export the filtered log; the export itself is an audited act."""
    from wushe.audit.exporters import audit_events_xlsx
    from wushe.audit.selectors import audit_event_list

    if not scope.has_perm(actor, "audit.view"):
        raise PermissionDenied()
    events = audit_event_list(actor=actor, filters=filters)
    content = audit_events_xlsx(events.iterator(chunk_size=2000))
    paths = scope.paths(actor, "audit.view")
    record(actor=actor, action=Action.AUDIT_EXPORTED, region_path=paths[0] if paths else "",
           data={"filters": {k: str(v) for k, v in vars(filters).items() if v}})
    return content
