"""Generating the visit schedule of active projects (by hand, by the periodic job, by the demo).

Generation is idempotent: a slot is identified by (project, kind, nominal date), so a second
run — or a run after a visit was rescheduled or recorded — creates nothing new.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict
from wushe.core.services import service
from wushe.projects.models import ServiceProject
from wushe.supervision import schedule
from wushe.supervision.audit_codes import SupervisionAction
from wushe.supervision.models import VISIT_KINDS, Supervision
from wushe.supervision.services._common import MANAGE, PROJECT_VIEW

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def schedule_generate(*, actor: Actor, project: ServiceProject) -> list[Supervision]:
    """Plan the project's visits over its term; returns the visits created (none on a rerun)."""
    scope.require(actor, MANAGE, project, view_perm=PROJECT_VIEW)
    if project.status not in schedule.ACTIVE_STATUSES:
        raise Conflict("只有已签约、服务中或已中期评估的项目才能生成督导计划",
                       "Only a contracted, in-service or mid-term-evaluated project gets a "
                       "supervision schedule", code="project_not_active", field="project")
    visits = schedule.plan_visits([project])
    Supervision.objects.bulk_create(visits)
    if visits:
        audit.record(actor=actor, action=SupervisionAction.SCHEDULE_GENERATED, target=project,
                     label=str(project),
                     data={"created": len(visits),
                           "from": str(min(v.scheduled_on for v in visits)),
                           "to": str(max(v.scheduled_on for v in visits))})
    return visits


@service
def generate_missing_schedules(*, limit: int = 500) -> dict[str, int]:
    """For the periodic job: schedules for active projects that have no visit yet.

    Bounded per run (``limit`` projects) so one tick stays short; the next tick takes the rest.
    Recorded in the audit log as the system (no actor), one event per project; one
    transaction with the scopes lifted (the @service decorator).
    """
    has_visit = Supervision.objects.filter(project_id=OuterRef("pk"), kind__in=VISIT_KINDS)
    projects = list(ServiceProject.objects
                    .filter(status__in=schedule.ACTIVE_STATUSES)
                    .filter(~Exists(has_visit))
                    .only("id", "code", "name", "region_id", "region_path", "year")
                    .order_by("id")[:limit])
    visits = schedule.plan_visits(projects)
    Supervision.objects.bulk_create(visits, batch_size=2000)
    per_project: dict[int, int] = {}
    for v in visits:
        pid = int(v.project_id or 0)  # every planned visit has its project
        per_project[pid] = per_project.get(pid, 0) + 1
    for p in projects:
        if per_project.get(p.pk):
            audit.record(actor=None, action=SupervisionAction.SCHEDULE_GENERATED, target=p,
                         label=str(p), data={"created": per_project[p.pk], "by": "job"})
    return {"projects": len(per_project), "visits": len(visits)}
