"""Designing a project (项目设计): its region, domain, groups, budget, goals with output
indicators, and the origin needs picked from the demand menu."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.money import parse_money
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.projects import access, groups, workflow
from wushe.projects.audit_codes import ProjectsAction
from wushe.projects.models import Domain, ProjectIndicator, ProjectNeed, ServiceProject
from wushe.projects.services._common import event, next_code
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class IndicatorSpec:
    name: str
    unit: str
    target: Any
    achieved: Any = 0


def _year(raw: Any) -> int:
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed("年度无效", "The year is not valid", field="year")
    return year


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """Clean the design fields present in ``data`` (name, domain, year, groups, summary, money)."""
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = clean_text(data["name"], field="name", label_zh="项目名称",
                                 label_en="Project name", max_length=200, required=True)
    if "domain" in data:
        if data["domain"] not in Domain.values:
            raise ValidationFailed("项目领域无效", "Unknown domain", field="domain")
        out["domain"] = data["domain"]
    if "year" in data:
        out["year"] = _year(data["year"])
    if "target_groups" in data:
        out["target_groups"] = groups.encode(data["target_groups"] or [])
    if "summary" in data:
        out["summary"] = clean_text(data["summary"], field="summary", label_zh="项目概述",
                                    label_en="Summary", max_length=4000)
    if "budget" in data:
        out["budget"] = parse_money(data["budget"], field="budget", label_zh="项目预算",
                                    label_en="Budget")
    if "leveraged" in data:
        out["leveraged"] = parse_money(data["leveraged"] or 0, field="leveraged",
                                       label_zh="撬动社会资源", label_en="Leveraged resources",
                                       allow_zero=True)
    return out


def _indicator(spec: IndicatorSpec, i: int) -> dict[str, Any]:
    field = f"indicators.{i}"
    return {
        "name": clean_text(spec.name, field=field, label_zh="产出指标", label_en="Indicator",
                           max_length=200, required=True),
        "unit": clean_text(spec.unit, field=field, label_zh="单位", label_en="Unit",
                           max_length=20, required=True),
        "target": parse_money(spec.target, field=field, label_zh="指标目标值",
                              label_en="Indicator target"),
        "achieved": parse_money(spec.achieved or 0, field=field, label_zh="已完成值",
                                label_en="Achieved", allow_zero=True),
    }


@service
def project_create(*, actor: Actor, region: Region, name: str, domain: str, year: Any,
                   budget: Any, target_groups: list[str] | tuple[str, ...] | str = (), summary: str = "",
                   leveraged: Any = 0, indicators: list[IndicatorSpec] | None = None,
                   need_ids: list[int] | None = None) -> ServiceProject:
    """Design a project in a street, community or the district (status ``designed``)."""
    scope.require_region(actor, access.DESIGN, region.path)
    if region.level == RegionLevel.GRID:
        raise ValidationFailed("项目须落在区、街道或社区", "A project sits on a district, street or "
                               "community", field="region")
    data = _fields({"name": name, "domain": domain, "year": year, "budget": budget,
                    "target_groups": target_groups, "summary": summary, "leveraged": leveraged})
    rows = [_indicator(s, i) for i, s in enumerate(indicators or [])]
    project = ServiceProject.objects.create(
        code=next_code(data["year"]), region=region, region_path=region.path,
        designed_by=user_or_none(actor), **data)
    ProjectIndicator.objects.bulk_create(
        [ProjectIndicator(project=project, region_path=project.region_path, **r) for r in rows])
    event(project, actor=actor, from_status="")
    audit.record(actor=actor, action=ProjectsAction.PROJECT_CREATED, target=project,
                 data={"code": project.code, "budget": str(project.budget),
                       "indicators": len(rows)}, label=str(project))
    if need_ids:
        _attach(actor, project, need_ids)
    return project


@service
def project_update(*, actor: Actor, project: ServiceProject, **changes: Any) -> ServiceProject:
    """Change the design while the project is designed or listed (name, domain, year, groups,
    summary, budget, leveraged). ``leveraged`` may also be updated later by a manager."""
    access.require(actor, (access.DESIGN, access.MANAGE), project)
    unknown = set(changes) - {"name", "domain", "year", "target_groups", "summary", "budget",
                              "leveraged"}
    if unknown:
        raise ValidationFailed("不能修改这些字段", f"These fields cannot be changed: {sorted(unknown)}")
    data = _fields(changes)
    if project.status not in workflow.EDITABLE and set(data) - {"leveraged", "summary"}:
        raise ValidationFailed("项目已进入采购,只能修改概述和撬动资源",
                               "Once procured, only the summary and leveraged resources may change")
    if "year" in data and project.purchase_list_id and data["year"] != project.year:
        raise ValidationFailed("已列入购买清单的项目不能改年度",
                               "A listed project cannot change year", field="year")
    old = {k: str(getattr(project, k)) for k in data}
    for k, v in data.items():
        setattr(project, k, v)
    project.save(update_fields=[*data, "updated_at"])
    audit.record(actor=actor, action=ProjectsAction.PROJECT_UPDATED, target=project,
                 data={"old": old, "new": {k: str(v) for k, v in data.items()}}, label=str(project))
    return project


@service
def indicator_save(*, actor: Actor, project: ServiceProject, spec: IndicatorSpec,
                   indicator: ProjectIndicator | None = None) -> ProjectIndicator:
    """Add an output indicator, or change one (the target only while the design is open;
    what was achieved at any time until the project closes)."""
    access.require(actor, (access.DESIGN, access.MANAGE, "supervision.manage"), project)
    row = _indicator(spec, 0)
    if indicator is None:
        if project.status not in workflow.EDITABLE:
            raise ValidationFailed("项目已进入采购,不能再增加指标",
                                   "Indicators cannot be added once procured")
        indicator = ProjectIndicator.objects.create(project=project,
                                                    region_path=project.region_path, **row)
    else:
        if indicator.project_id != project.pk:
            raise NotFound()
        if project.status == "closed":
            raise ValidationFailed("项目已结项", "The project is closed")
        if project.status not in workflow.EDITABLE and (
                row["target"] != indicator.target or row["name"] != indicator.name):
            raise ValidationFailed("项目已进入采购,只能更新完成值",
                                   "Once procured, only the achieved value may change")
        for k, v in row.items():
            setattr(indicator, k, v)
        indicator.save()
    audit.record(actor=actor, action=ProjectsAction.INDICATOR_SAVED, target=project,
                 data={"indicator": indicator.pk, **{k: str(v) for k, v in row.items()}},
                 label=str(project))
    return indicator


def _attach(actor: Actor, project: ServiceProject, need_ids: list[int]) -> int:
    from wushe.needs.access import region_q
    from wushe.needs.models import Need

    ids = sorted({int(i) for i in need_ids})
    # Needs the actor sees by region (not merely as an assignee), minors only with that right.
    q = region_q(actor)
    qs = Need.objects.unscoped(reason="scope: filtered by region_q here") if q is None \
        else Need.objects.unscoped(reason="scope: filtered by region_q here").filter(q)
    found = set(qs.filter(pk__in=ids).exclude(state="merged").values_list("pk", flat=True))
    if len(found) != len(ids):
        raise NotFound("诉求不存在", "Need not found", field="need_ids")
    existing = set(ProjectNeed.objects.unscoped(reason="children of a row read in scope").filter(project=project, need_id__in=ids)
                   .values_list("need_id", flat=True))
    now = timezone.now()
    new = [ProjectNeed(project=project, need_id=i, region_path=project.region_path,
                       added_by=user_or_none(actor), added_at=now)
           for i in ids if i not in existing]
    ProjectNeed.objects.bulk_create(new)
    audit.record(actor=actor, action=ProjectsAction.PROJECT_NEEDS_ATTACHED, target=project,
                 data={"needs": [n.need_id for n in new]}, label=str(project))
    return len(new)


@service
def project_needs_attach(*, actor: Actor, project: ServiceProject, need_ids: list[int]) -> int:
    """Attach origin needs (only needs the actor may see); returns how many were new."""
    access.require(actor, access.DESIGN, project)
    if project.status == "closed":
        raise ValidationFailed("项目已结项", "The project is closed")
    if len(need_ids) > 2000:
        raise ValidationFailed("一次最多关联2000条诉求", "Attach at most 2,000 needs at a time",
                               field="need_ids")
    return _attach(actor, project, need_ids)


@service
def project_need_detach(*, actor: Actor, project: ServiceProject, need_id: int) -> None:
    access.require(actor, access.DESIGN, project)
    deleted, _ = ProjectNeed.objects.unscoped(reason="service: scope.require checked the actor").filter(project=project, need_id=need_id).delete()
    if not deleted:
        raise NotFound("诉求不存在", "Need not found")
    audit.record(actor=actor, action=ProjectsAction.PROJECT_NEED_DETACHED, target=project,
                 data={"need": need_id}, label=str(project))


