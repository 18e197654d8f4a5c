"""Delivering and ending a project: start of service, the evaluation stages (called by
wushe.evaluation), closing as renewed or not renewed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import IllegalTransition, ValidationFailed
from wushe.core.services import service
from wushe.projects import access
from wushe.projects.audit_codes import ProjectsAction
from wushe.projects.models import (
    Outcome,
    ProjectIndicator,
    ServiceProject,
    Status,
)
from wushe.projects.services._common import event, lock, move, next_code, note_text

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

STAGES = {"midterm": Status.MIDTERM_EVALUATED, "final": Status.FINAL_EVALUATED}


@service
def project_start(*, actor: Actor, project: ServiceProject, note: str = "") -> ServiceProject:
    """The provider starts delivering (contracted → in_service)."""
    access.require(actor, access.MANAGE, project)
    lock(project)
    move(project, to=Status.IN_SERVICE, actor=actor, note=note_text(note))
    audit.record(actor=actor, action=ProjectsAction.PROJECT_STARTED, target=project,
                 label=str(project))
    return project


@service
def project_mark_evaluated(*, actor: Actor, project: ServiceProject, stage: str,
                           note: str = "") -> ServiceProject:
    """An evaluation stage is done: "midterm" (in_service → midterm_evaluated) or "final"
    (in_service or midterm_evaluated → final_evaluated). For wushe.evaluation's services;
    needs evaluation.manage or projects.manage over the project."""
    access.require(actor, (access.EVALUATE, access.MANAGE), project)
    if stage not in STAGES:
        raise ValidationFailed("评估阶段无效(midterm/final)", "Stage must be midterm or final",
                               field="stage")
    lock(project)
    move(project, to=STAGES[stage], actor=actor, note=note_text(note))
    audit.record(actor=actor, action=ProjectsAction.PROJECT_EVALUATED, target=project,
                 data={"stage": stage}, label=str(project))
    return project


@service
def project_close(*, actor: Actor, project: ServiceProject, renewed: bool,
                  note: str = "") -> ServiceProject:
    """Close the project (结项) as renewed or not renewed; returns the closed project.

    Renewed (only after the final evaluation): next year's project is created in ``designed``
    with ``renewed_from`` set, the same region, domain, groups, budget and output indicators,
    and the same provider proposed — reach it as ``project.renewals.get()``.
    Not renewed: allowed from in service on (an early termination after a failed evaluation).
    Needs evaluation.manage or projects.manage over the project.
    """
    access.require(actor, (access.EVALUATE, access.MANAGE), project)
    lock(project)
    text = note_text(note)
    if renewed and project.status != Status.FINAL_EVALUATED:
        raise IllegalTransition("只有完成末期评估的项目才能续签",
                                "Only a project past its final evaluation can be renewed")
    project.outcome = Outcome.RENEWED if renewed else Outcome.NOT_RENEWED
    move(project, to=Status.CLOSED, actor=actor, note=text, extra=("outcome",))
    audit.record(actor=actor, action=ProjectsAction.PROJECT_CLOSED, target=project,
                 data={"outcome": project.outcome}, label=str(project))
    if renewed:
        _renew(actor, project)
    return project


def _renew(actor: Actor, project: ServiceProject) -> ServiceProject:
    year = project.year + 1
    nxt = ServiceProject.objects.create(
        code=next_code(year), name=project.name, domain=project.domain, region=project.region,
        region_path=project.region_path, year=year, target_groups=project.target_groups,
        summary=project.summary, budget=project.budget, provider_id=project.provider_id,
        renewed_from=project, designed_by=user_or_none(actor))
    ProjectIndicator.objects.bulk_create([
        ProjectIndicator(project=nxt, region_path=nxt.region_path, name=i.name, unit=i.unit,
                         target=i.target)
        for i in ProjectIndicator.objects.unscoped(reason="children of a row read in scope").filter(project=project)])
    event(nxt, actor=actor, from_status="", note=f"续签自 {project.code}")
    audit.record(actor=actor, action=ProjectsAction.PROJECT_RENEWED, target=nxt,
                 data={"from": project.pk}, label=str(nxt))
    return nxt
