"""Setting up evaluations: indicator sets, the evaluation of a project stage, its committee."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.accounts.labels import user_label
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, PermissionDenied, ValidationFailed
from wushe.core.masking import mask_name
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.evaluation import access
from wushe.evaluation.audit_codes import EvalAction
from wushe.evaluation.indicators import default_indicator_set
from wushe.evaluation.models import (
    CommitteeMember,
    Dimension,
    EvalStatus,
    Evaluation,
    Indicator,
    IndicatorSet,
    Party,
    Stage,
)
from wushe.evaluation.services._common import choice, decimal, lock, recompute

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# Project statuses from which a stage may be evaluated (projects/models Status values).
STAGE_FROM = {Stage.MIDTERM: ("in_service",),
              Stage.FINAL: ("in_service", "midterm_evaluated")}
@service
def indicator_set_create(*, actor: Actor, name: object, indicators: list[dict[str, Any]],
                         make_default: bool = False) -> IndicatorSet:
    """A new sheet. Sheets are never edited: evaluations keep the one they were scored on."""
    if not scope.has_perm(actor, access.MANAGE):
        raise PermissionDenied()
    title = clean_text(name, field="name", label_zh="指标体系名称", label_en="Name",
                       max_length=100, required=True)
    if IndicatorSet.objects.filter(name=title).exists():
        raise Conflict("已有同名指标体系", "An indicator set of that name exists", field="name")
    if not indicators:
        raise ValidationFailed("请至少设置一项指标", "Give at least one indicator",
                               field="indicators")
    rows, seen = [], set()
    for i, raw in enumerate(indicators):
        where = f"indicators.{i}"
        label = clean_text(raw.get("name"), field=where, label_zh="指标名称",
                           label_en="Indicator name", max_length=100, required=True)
        if label in seen:
            raise ValidationFailed(f"指标“{label}”重复", f"Indicator {label} is repeated",
                                   field=where)
        seen.add(label)
        rows.append(Indicator(
            dimension=choice(raw.get("dimension"), Dimension, where, "评估维度", "Dimension"),
            name=label, position=i,
            name_en=clean_text(raw.get("name_en", ""), field=where, label_zh="英文名称",
                               label_en="English name", max_length=100),
            max_score=decimal(raw.get("max_score"), where, "满分", "the maximum",
                              maximum=Decimal(100))))
        if rows[-1].max_score <= 0:
            raise ValidationFailed("满分须大于0", "The maximum must be above 0", field=where)
    if make_default:
        IndicatorSet.objects.filter(is_default=True).update(is_default=False)
    made = IndicatorSet.objects.create(name=title, is_default=make_default,
                                       created_by=user_or_none(actor))
    for row in rows:
        row.indicator_set = made
    Indicator.objects.bulk_create(rows)
    audit.record(actor=actor, action=EvalAction.INDICATOR_SET_CREATED, region_path="",
                 label=title, data={"indicators": len(rows), "default": make_default})
    return made


@service
def evaluation_create(*, actor: Actor, project: Any, stage: str,
                      indicator_set: IndicatorSet | None = None) -> Evaluation:
    """Open the four-party evaluation of one project stage (survey link included)."""
    scope.require(actor, access.MANAGE, project, view_perm="projects.view")
    stage = choice(stage, Stage, "stage", "评估阶段", "Stage")
    if project.provider_id is None:
        raise Conflict("项目尚无承接组织,不能评估", "The project has no provider to evaluate",
                       field="project")
    if project.status not in STAGE_FROM[stage]:  # type: ignore[index]
        raise Conflict("项目当前状态不能开展该阶段评估",
                       "The project's status does not allow this stage's evaluation",
                       field="stage", code="illegal_transition")
    pending = Evaluation.objects.unscoped(reason="service: scope.require checked the actor").filter(project_id=project.pk, stage=Stage.MIDTERM) \
        .exclude(status=EvalStatus.DECIDED).exists()
    if stage == Stage.FINAL and pending:
        raise Conflict("中期评估尚未作出决定,不能开始末期评估",
                       "Decide the mid-term evaluation before opening the final one",
                       field="stage", code="illegal_transition")
    sheet = indicator_set or default_indicator_set()
    if not sheet.active:
        raise ValidationFailed("该指标体系已停用", "That indicator set is no longer in use",
                               field="indicator_set")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                project=project, stage=stage, indicator_set=sheet, region_id=project.region_id,
                region_path=project.region_path, year=project.year,
                provider_id=project.provider_id, survey_token=secrets.token_urlsafe(16),
                created_by=user_or_none(actor))
    except IntegrityError:
        raise Conflict("该项目此阶段已有评估", "This stage of the project is already being evaluated",
                       field="stage") from None
    audit.record(actor=actor, action=EvalAction.EVALUATION_CREATED, target=evaluation,
                 label=str(project), data={"project": project.pk, "stage": stage,
                                           "indicator_set": sheet.pk})
    return evaluation


def _open(evaluation: Evaluation) -> None:
    if evaluation.status == EvalStatus.DECIDED:
        raise Conflict("评估已作出决定,不能再更改", "The evaluation is decided and can no longer change",
                       code="illegal_transition")


@service
def member_add(*, actor: Actor, evaluation: Evaluation, party: str, user: Any = None,
               name: object = "") -> CommitteeMember:
    """A seat on the committee. Purchaser, street and expert seats are accounts holding
    ``evaluation.score`` over the project; a recipients' seat may be a name only."""
    access.require_manage(actor, evaluation)
    lock(evaluation)
    _open(evaluation)
    party = choice(party, Party, "party", "评估方", "Party")
    if user is None and party != Party.RECIPIENTS:
        raise ValidationFailed("购买方、镇街和第三方专家须选择账号",
                               "Purchaser, street and expert members must be accounts",
                               field="user")
    if user is not None:
        if not scope.covers(user, access.SCORE, evaluation.region_path):
            raise ValidationFailed("该账号无权为此项目评分", "That account may not score this project",
                                   field="user")
        access.require_no_conflict(user, evaluation)
        if CommitteeMember.objects.filter(evaluation=evaluation, user=user).exists():
            raise Conflict("该账号已是委员会成员", "That account is already on the committee",
                           field="user")
    label = clean_text(name, field="name", label_zh="姓名", label_en="Name", max_length=60,
                       required=user is None)
    member = CommitteeMember.objects.create(
        evaluation=evaluation, party=party, user=user,
        name=label or user_label(user))
    recompute(evaluation)
    audit.record(actor=actor, action=EvalAction.MEMBER_ADDED, target=evaluation,
                 label=mask_name(member.name), data={"member": member.pk, "party": party,
                                          "user": getattr(user, "pk", None)})
    return member


@service
def member_remove(*, actor: Actor, member: CommitteeMember) -> None:
    evaluation = member.evaluation
    access.require_manage(actor, evaluation)
    lock(evaluation)
    _open(evaluation)
    data = {"member": member.pk, "party": member.party, "scored": member.total is not None}
    name = member.name
    member.delete()
    recompute(evaluation)
    audit.record(actor=actor, action=EvalAction.MEMBER_REMOVED, target=evaluation, label=mask_name(name),
                 data=data)
