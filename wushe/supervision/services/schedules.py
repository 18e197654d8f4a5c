"""Generating the visit schedule of active projects (by hand, by the periodic job, by the demo).

Generation is idempotent: a slot is identified by (project, kind, nominal date), so a second
run — or a run after a visit was rescheduled or recorded — creates nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict
from wushe.core.scoping import scopes_disabled
from wushe.core.services import service
from wushe.projects.models import ServiceProject
from wushe.supervision import schedule
from wushe.supervision.audit_codes import SupervisionAction
from wushe.supervision.models import VISIT_KINDS, Supervision, VisitStatus
from wushe.supervision.services.common import MANAGE, PROJECT_VIEW

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@dataclass(frozen=True)
class ProjectRef:
    """What generation needs of a project (the demo passes plain rows)."""

    id: int
    region_id: int
    region_path: str
    year: int


def _refs(projects: Iterable[Any]) -> list[ProjectRef]:
    return [p if isinstance(p, ProjectRef) else
            ProjectRef(p.pk, p.region_id, p.region_path, p.year) for p in projects]


def plan_visits(projects: Iterable[Any], *, terms: dict[int, tuple[dt.date, dt.date]] | None = None,
                sites: schedule.SiteIndex | None = None) -> list[Supervision]:
    """Unsaved visits of every slot of these projects' terms not already on record."""
    refs = _refs(projects)
    if not refs:
        return []
    ids = [r.id for r in refs]
    terms = terms if terms is not None else schedule.contract_terms(ids)
    sites = sites or schedule.SiteIndex()
    existing = set(Supervision.objects.unscoped(reason="job: runs over every region")
                   .filter(project_id__in=ids, kind__in=VISIT_KINDS, nominal_on__isnull=False)
                   .values_list("project_id", "kind", "nominal_on"))
    cadence_by_path: dict[str, dict[str, int]] = {}
    out: list[Supervision] = []
    for ref in refs:
        if ref.region_path not in cadence_by_path:
            cadence_by_path[ref.region_path] = schedule.cadences(ref.region_path)
        start, end = terms.get(ref.id) or schedule.year_term(ref.year)
        tier = schedule.tier_for(ref.region_path)
        site_id = sites.site_id(ref.region_path, tier)
        for slot in schedule.slots(start, end, cadence_by_path[ref.region_path]):
            if (ref.id, slot.kind, slot.nominal_on) in existing:
                continue
            out.append(Supervision(
                project_id=ref.id, kind=slot.kind, tier=tier, supervising_site_id=site_id,
                region_id=ref.region_id, region_path=ref.region_path,
                nominal_on=slot.nominal_on, scheduled_on=slot.scheduled_on,
                status=VisitStatus.PLANNED))
    return out


@service
def schedule_generate(*, actor: Actor, project: ServiceProject) -> list[Supervision]:
    """Plan the project's visits over its term; returns the visits created (none on a rerun)."""
    scope.require(actor, MANAGE, project, view_perm=PROJECT_VIEW)
    if project.status not in schedule.ACTIVE_STATUSES:
        raise Conflict("只有已签约、服务中或已中期评估的项目才能生成督导计划",
                       "Only a contracted, in-service or mid-term-evaluated project gets a "
                       "supervision schedule", code="project_not_active", field="project")
    visits = plan_visits([project])
    Supervision.objects.bulk_create(visits)
    if visits:
        audit.record(actor=actor, action=SupervisionAction.SCHEDULE_GENERATED, target=project,
                     label=str(project),
                     data={"created": len(visits),
                           "from": str(min(v.scheduled_on for v in visits)),
                           "to": str(max(v.scheduled_on for v in visits))})
    return visits


def generate_missing_schedules(*, limit: int = 500) -> dict[str, int]:
    """For the periodic job: schedules for active projects that have no visit yet.

    Bounded per run (``limit`` projects) so one tick stays short; the next tick takes the rest.
    Recorded in the audit log as the system (no actor), one event per project.
    """
    with scopes_disabled(), transaction.atomic():
        has_visit = Supervision.objects.filter(project_id=OuterRef("pk"), kind__in=VISIT_KINDS)
        projects = list(ServiceProject.objects
                        .filter(status__in=schedule.ACTIVE_STATUSES)
                        .filter(~Exists(has_visit))
                        .only("id", "code", "name", "region_id", "region_path", "year")
                        .order_by("id")[:limit])
        visits = plan_visits(projects)
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
