"""Excel exports of the workforce pages; each export is an audited act. Names are masked and
ID numbers left out: an export leaves the platform."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db import transaction

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.errors import PermissionDenied
from wushe.core.excel import workbook_bytes
from wushe.regions.models import Region
from wushe.workforce import selectors
from wushe.workforce.audit_codes import WorkforceAction
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import CommunityWorker, SocialWorker

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "workforce.view"


def _record(actor: Actor, action: WorkforceAction, data: dict[str, Any]) -> None:
    with transaction.atomic():
        paths = scope.paths(actor, VIEW)
        audit.record(actor=actor, action=action,
                     region_path=paths[0] if len(paths) == 1 else "", data=data)


def _require(actor: Actor) -> None:
    if not scope.has_perm(actor, VIEW):
        raise PermissionDenied()


def staffing_export(*, actor: Actor, region: Region | None = None) -> bytes:
    _require(actor)
    report = selectors.staffing_report(actor=actor, region=region)
    communities = ([r.code, r.name, r.population, str(r.ratio), r.floor, r.required, r.actual,
                    r.shortfall] for r in report.rows)
    streets = ([s.code, s.name, s.communities, s.population, s.required, s.actual, s.shortfall,
                s.short_communities] for s in report.streets)
    content = workbook_bytes([
        ("社区配备", ["社区代码", "社区(村)", "常住人口", "每万人配备数", "最低配备数", "应配",
                   "实配", "缺口"], communities),
        ("镇街汇总", ["镇街代码", "镇街", "社区(村)数", "常住人口", "应配(各社区之和)", "实配",
                   "缺口(各社区缺口之和)", "不达标社区数"], streets),
    ])
    _record(actor, WorkforceAction.STAFFING_EXPORTED,
            {"region": region.code if region else "", "rows": len(report.rows)})
    return content


def _social_rows(workers: Iterator[SocialWorker]) -> Iterator[list[Any]]:
    for w in workers:
        yield [w.person.masked_name, w.get_certificate_level_display(), w.certificate_number or "",
               w.employer.name if w.employer else "", w.site.name if w.site else "",
               w.region.code, w.region.name, w.get_status_display(), w.hired_on]


def social_workers_export(*, actor: Actor, filters: selectors.SocialWorkerFilters) -> bytes:
    _require(actor)
    qs = selectors.social_worker_list(actor=actor, filters=filters)
    content = workbook_bytes([("社会工作者", ["姓名", "证书等级", "证书编号", "工作单位", "服务站点",
                                         "地区代码", "地区", "状态", "入职日期"],
                               _social_rows(qs.iterator(chunk_size=2000)))])
    _record(actor, WorkforceAction.WORKERS_EXPORTED,
            {"kind": "social-workers", "filters": {k: v for k, v in vars(filters).items() if v}})
    return content


def _community_rows(workers: Iterator[CommunityWorker]) -> Iterator[list[Any]]:
    ladder = ladder_for()
    names = {p.number: p.name for p in ladder.posts}
    for w in workers:
        yield [w.person.masked_name, w.community.code, w.community.name,
               names.get(w.post, str(w.post)), w.grade, w.get_education_display(), w.hired_on,
               w.get_status_display()]


def community_workers_export(*, actor: Actor, filters: selectors.CommunityWorkerFilters) -> bytes:
    _require(actor)
    qs = selectors.community_worker_list(actor=actor, filters=filters)
    content = workbook_bytes([("社区工作者", ["姓名", "社区代码", "社区(村)", "岗位", "等级", "学历",
                                         "入职日期", "状态"],
                               _community_rows(qs.iterator(chunk_size=2000)))])
    _record(actor, WorkforceAction.WORKERS_EXPORTED,
            {"kind": "community-workers", "filters": {k: v for k, v in vars(filters).items() if v}})
    return content
