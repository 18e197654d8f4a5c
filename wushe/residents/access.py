"""Who may see a care profile: region scope, and for a child's record the minors permission or
the assignment. Read by the residents services and, through needs' hooks, by intake."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts import scope
from wushe.needs import perms
from wushe.residents.models import CareProfile

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def may_see(actor: Actor, profile: CareProfile) -> bool:
    """Region scope, and for a child's record the minors permission or the assignment."""
    if not scope.covers(actor, perms.CARE_VIEW, profile.region_path):
        return False
    if not profile.is_minor:
        return True
    return (scope.covers(actor, perms.CARE_MINORS, profile.region_path)
            or (profile.assigned_worker_id is not None
                and profile.assigned_worker_id == getattr(actor, "pk", None)))
