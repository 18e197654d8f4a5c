"""Reads of the audit log: auditors and district admins, inside their region scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.audit.models import AuditEvent, PiiAccess

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@dataclass(frozen=True)
class AuditFilters:
    family: str = ""
    action: str = ""
    actor: str = ""
    target_type: str = ""
    target_id: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def apply(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        if self.action:
            qs = qs.filter(action=self.action)
        elif self.family:
            qs = qs.filter(action__startswith=f"{self.family}.")
        if self.actor:
            qs = qs.filter(actor_name=self.actor)
        if self.target_type:
            qs = qs.filter(target_type=self.target_type)
        if self.target_id:
            qs = qs.filter(target_id=self.target_id)
        if self.since:
            qs = qs.filter(at__date__gte=self.since)
        if self.until:
            qs = qs.filter(at__date__lte=self.until)
        return qs


def audit_event_list(*, actor: Actor, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    qs = scope.visible(AuditEvent.objects, actor, "audit.view")
    return (filters or AuditFilters()).apply(qs).order_by("-at", "-id")


def pii_access_list(*, actor: Actor, filters: AuditFilters | None = None) -> QuerySet[PiiAccess]:
    qs = scope.visible(PiiAccess.objects, actor, "audit.view")
    f = filters or AuditFilters()
    if f.actor:
        qs = qs.filter(actor_name=f.actor)
    if f.target_id:
        qs = qs.filter(subject_id=f.target_id)
    if f.since:
        qs = qs.filter(at__date__gte=f.since)
    if f.until:
        qs = qs.filter(at__date__lte=f.until)
    return qs.order_by("-at", "-id")
