"""Writing history: the audit writer every service calls inside its own transaction.

Not an entry point (no ``@service``): it never opens a transaction of its own, so an event
is written or rolled back with the write it records."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models

from wushe.audit.codes import is_action
from wushe.audit.models import AuditEvent, PiiAccess
from wushe.core.context import current_ip

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor, MaybeActor


def _target_path(target: models.Model | None) -> str:
    if target is None:
        return ""
    field = getattr(type(target), "scope_path_field", "region_path")
    return str(getattr(target, field, "") or "")


def record(
    *, actor: MaybeActor, action: StrEnum, target: models.Model | None = None,
    region_path: str | None = None, data: dict[str, Any] | None = None, label: str = "",
) -> AuditEvent:
    """Append one AuditEvent. ``data`` holds old/new values; never plaintext personal data."""
    if not is_action(action):
        raise TypeError(f"unknown audit action {action!r}; declare it in an audit_codes enum")
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_name=getattr(actor_obj, "username", "") or "",
        action=action.value,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=label[:200],
        region_path=region_path if region_path is not None else _target_path(target),
        data=data or {},
        ip=current_ip.get(),
    )


def pii_access(*, actor: Actor, subject: models.Model, field: str, purpose: str) -> PiiAccess:
    return PiiAccess.objects.create(
        actor=actor,
        actor_name=actor.username,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        field=field,
        purpose=purpose[:200],
        region_path=_target_path(subject),
        ip=current_ip.get(),
    )


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"field": {"old": …, "new": …}} for the fields that changed."""
    return {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}
