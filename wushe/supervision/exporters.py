"""Excel export of supervision records (visits and sessions that took place)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.db import transaction

from wushe.accounts import scope
from wushe.accounts.labels import user_label
from wushe.audit import recorder as audit
from wushe.core import exportjobs
from wushe.core.errors import PermissionDenied
from wushe.core.excel import workbook_bytes
from wushe.supervision import selectors
from wushe.supervision.audit_codes import SupervisionAction
from wushe.supervision.models import CHECKS

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

HEADERS = ["日期 Date", "类型 Kind", "层级 Tier", "项目编号 Project code", "项目名称 Project",
           "地区 Region", "督导单位 Supervising site", "督导人 Supervisor",
           *[h for _key, zh, en in CHECKS for h in (f"{zh} {en}", f"{zh}说明 Note")],
           "已支出金额 Spent (yuan)", "在岗人数 Staff on post", "督导发现 Findings",
           "主题 Topic", "参加人数 Participants", "参加机构数 Organisations",
           "整改事项 Rectification items", "未销号 Open items"]


def _rows(qs: Any) -> Iterator[list[Any]]:
    for s in qs.iterator(chunk_size=2000):
        yield [s.done_on, s.get_kind_display(), s.get_tier_display(),
               s.project.code if s.project else "", s.project.name if s.project else "",
               s.region.name, s.supervising_site.name if s.supervising_site else "",
               user_label(s.supervisor),
               *[v for key, _zh, _en in CHECKS
                 for v in (getattr(s, f"get_{key}_result_display")(), getattr(s, f"{key}_note"))],
               s.spent_amount, s.staff_on_post, s.findings, s.topic, s.participants,
               s.organisations, s.n_items, s.open_items]


def records_export(*, actor: Actor, filters: selectors.VisitFilters) -> bytes:
    """The filtered records as a workbook; the export itself is an audited act."""
    if not scope.has_perm(actor, selectors.VIEW):
        raise PermissionDenied()
    qs = selectors.record_list(actor=actor, filters=filters)
    content = workbook_bytes([("督导记录", HEADERS, _rows(qs))])
    with transaction.atomic():
        paths = scope.paths(actor, selectors.VIEW)
        audit.record(actor=actor, action=SupervisionAction.RECORDS_EXPORTED,
                     region_path=paths[0] if paths else "",
                     data={"filters": {k: str(v) for k, v in vars(filters).items() if v}})
    return content



# The records export runs in the worker (3 s for a district's year at city scale): a page job.
RECORDS = "supervision.records"
_DATES = {"date_from", "date_to"}


def filters_params(filters: selectors.VisitFilters) -> dict[str, Any]:
    """The filters as the job's JSON parameters (dates as ISO text, empty ones left out)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v
            for k, v in dataclasses.asdict(filters).items() if v not in (None, "")}


def filters_from(params: dict[str, Any]) -> selectors.VisitFilters:
    known = {f.name for f in dataclasses.fields(selectors.VisitFilters)}
    values: dict[str, Any] = {k: dt.date.fromisoformat(v) if k in _DATES else v
                              for k, v in params.items() if k in known}
    return selectors.VisitFilters(**values)


exportjobs.register(exportjobs.Export(
    RECORDS, lambda actor, params: records_export(actor=actor, filters=filters_from(params)),
    file_stem="supervision-records", title_zh="督导记录", title_en="Supervision records"))
