"""What every project service shares: the status move with its history row, the lock, the
next project code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.core.text import clean_text
from wushe.projects import workflow
from wushe.projects.models import ProjectEvent, ServiceProject

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def note_text(note: object, field: str = "note") -> str:
    return clean_text(note, field=field, label_zh="备注", label_en="Note", max_length=500)


def move(project: ServiceProject, *, to: str, actor: Actor, note: str = "",
         extra: tuple[str, ...] = ()) -> ProjectEvent:
    """Check the move, change the status, append the ProjectEvent (caller audits)."""
    workflow.check(project, to=to)
    before = project.status
    project.status = to
    project.save(update_fields=["status", "updated_at", *extra])
    return event(project, actor=actor, from_status=before, note=note)


def event(project: ServiceProject, *, actor: Actor, from_status: str,
          note: str = "") -> ProjectEvent:
    """Append the project's step into its current status to its timeline."""
    return ProjectEvent.objects.create(
        project=project, region_path=project.region_path, from_status=from_status,
        to_status=project.status, actor=user_or_none(actor),
        actor_name=getattr(actor, "username", "") or "", at=timezone.now(), note=note[:500])


def lock(project: ServiceProject) -> ServiceProject:
    """Re-read the project's state under a row lock (so two moves never race) into the same
    object the caller holds."""
    fresh = (ServiceProject.objects.unscoped(reason="service: scope.require checked the actor").select_for_update()
             .only("status", "outcome", "provider_id").get(pk=project.pk))
    project.status, project.outcome = fresh.status, fresh.outcome
    project.provider_id = fresh.provider_id
    return project


def next_code(year: int) -> str:
    """XM2026-00001: the year's next serial (the unique index guards any race)."""
    prefix = f"XM{year}-"
    last = (ServiceProject.objects.unscoped(reason="uniqueness check, no row shown").filter(code__startswith=prefix)
            .aggregate(m=Max("code"))["m"])
    serial = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{serial:05d}"
