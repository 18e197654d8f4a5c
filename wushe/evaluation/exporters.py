"""The evaluation results as a workbook (core.excel.workbook_bytes), one row per evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from wushe.core.excel import workbook_bytes
from wushe.evaluation.models import PARTIES, Evaluation

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

HEADERS = ["项目编号 Project code", "项目名称 Project", "承接组织 Provider", "地区 Region",
           "年度 Year", "评估阶段 Stage", "状态 Status", "购买方 Purchaser", "镇街 Street",
           "服务对象 Recipients", "第三方专家 Experts", "加权总分 Total", "等级 Grade",
           "建议 Suggested", "决定 Decision", "理由 Reason", "决定时间 Decided at"]


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None


def rows(evaluations: QuerySet[Evaluation]) -> Iterator[list[Any]]:
    for ev in evaluations.iterator(chunk_size=2000):
        yield [ev.project.code, ev.project.name, ev.provider.name, ev.region.name, ev.year,
               ev.get_stage_display(), ev.get_status_display(),
               *(_num(ev.party_score(p)) for p in PARTIES), _num(ev.total),
               ev.get_grade_display() if ev.grade else "",
               ev.get_suggested_decision_display() if ev.suggested_decision else "",
               ev.get_decision_display() if ev.decision else "", ev.decision_reason,
               ev.decided_at.strftime("%Y-%m-%d %H:%M") if ev.decided_at else ""]


def evaluations_xlsx(evaluations: QuerySet[Evaluation]) -> bytes:
    return workbook_bytes([("四方评估结果", HEADERS, rows(evaluations))])


def evaluation_export(*, actor: Actor, filters: Any) -> bytes:
    """The filtered results in the actor's scope; the export itself is an audited act."""
    from django.db import transaction

    from wushe.accounts import scope
    from wushe.audit import recorder as audit
    from wushe.core.errors import PermissionDenied
    from wushe.evaluation import access, selectors
    from wushe.evaluation.audit_codes import EvalAction

    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()
    qs = selectors.evaluation_list(actor=actor, filters=filters).order_by("-year", "id")
    content = evaluations_xlsx(qs)
    with transaction.atomic():
        paths = scope.paths(actor, access.VIEW)
        audit.record(actor=actor, action=EvalAction.EVALUATION_EXPORTED,
                     region_path=paths[0] if paths else "",
                     data={"filters": {k: str(v) for k, v in vars(filters).items() if v}})
    return content
