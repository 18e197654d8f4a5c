"""An export of personal or service data is itself an audited act."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.errors import NotFound
from wushe.core.services import service
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def export_recorded(*, actor: Actor, what: str, query: str) -> None:
    if not access.has_any(actor, access.VIEW):
        raise NotFound()
    paths = scope.paths(actor, access.VIEW)
    audit.record(actor=actor, action=VolunteerAction.EXPORTED,
                 region_path=paths[0] if paths else "",
                 data={"what": what, "filters": query[:500]})
