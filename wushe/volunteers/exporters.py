"""Excel exports: volunteers (masked), service records, team totals. Streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from wushe.core.excel import workbook_bytes
from wushe.volunteers.models import RecordStatus, ServiceRecord, Team, TeamLevel, Volunteer
from wushe.volunteers.stars import StarScale

CHUNK = 2000


def volunteers_xlsx(qs: QuerySet[Volunteer]) -> bytes:
    scale = StarScale.load()

    def rows() -> Iterator[list[Any]]:
        for v in qs.iterator(chunk_size=CHUNK):
            p = v.person
            yield [v.number, p.masked_name, p.masked_id_number, p.get_gender_display(),
                   v.region.name, v.get_status_display(), v.join_date.isoformat(),
                   "、".join(v.skill_list), "、".join(v.interest_labels),
                   float(v.hours_confirmed), v.records_confirmed,
                   scale.stars(v.hours_confirmed, v.region_path)]

    headers = ["志愿者编号", "姓名", "身份证号(脱敏)", "性别", "社区", "状态", "加入日期", "技能",
               "服务意向", "已确认时长(小时)", "已确认记录数", "星级"]
    return workbook_bytes([("志愿者", headers, rows())])


def records_xlsx(qs: QuerySet[ServiceRecord]) -> bytes:
    status = dict(RecordStatus.choices)

    def rows() -> Iterator[list[Any]]:
        for r in qs.iterator(chunk_size=CHUNK):
            yield [r.pk, r.volunteer.number, r.volunteer.person.masked_name, r.team.name,
                   r.activity.title if r.activity else "", r.service_date.isoformat(),
                   float(r.hours), r.content, str(status.get(r.status, r.status)),
                   "是" if r.superseded_by_id else "", r.corrects_id or "", r.reason]

    headers = ["记录号", "志愿者编号", "姓名", "记录队伍", "活动", "服务日期", "时长(小时)", "服务内容",
               "状态", "已被更正", "更正的记录号", "更正原因"]
    return workbook_bytes([("服务记录", headers, rows())])


def team_totals_xlsx(qs: QuerySet[Team]) -> bytes:
    levels = dict(TeamLevel.choices)

    def rows() -> Iterator[list[Any]]:
        for t in qs.iterator(chunk_size=CHUNK):
            yield [t.path, t.name, t.brand, str(levels.get(t.level, t.level)), t.region.name,
                   t.members, float(t.hours_confirmed), t.records_confirmed,
                   "" if t.active else "停用"]

    headers = ["队伍编码", "队伍名称", "品牌", "层级", "地区", "成员数", "已确认时长(含下级,小时)",
               "已确认记录数(含下级)", "状态"]
    return workbook_bytes([("队伍时长", headers, rows())])
