"""Offline problem lists (问题清单) from Excel, on the shared pipeline of core/excel.py:
``wushe import needs FILE.xlsx [--dry-run] [--valid-only]`` and the import page.

Each row becomes a need of channel "offline", accepted (staff collected it), with its
deadline counted from the date it was recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.crypto import blind_index
from wushe.core.dates import read_day
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import (
    Column,
    Importer,
    ImportResult,
    RowSkipped,
    audit_region,
    register,
)
from wushe.core.text import clean_person_name, clean_text
from wushe.needs import perms, sla
from wushe.needs.actors import actor_label
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.categories import Channel, parse_category, parse_group, parse_urgency
from wushe.needs.codes import new_code
from wushe.needs.models import Need, NeedEvent
from wushe.needs.validation import clean_description, clean_phone
from wushe.needs.workflow import Action, State
from wushe.people.importers import COMMUNITY_WORDS, PHONE_WORDS
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor


def parse_day(raw: object, today: dt.date) -> dt.date:
    try:
        day = read_day(raw) or today
    except ValueError:
        raise ValidationFailed("登记日期格式应为 2026-03-05", "The date should look like 2026-03-05",
                               field="received_on") from None
    if day > today:
        raise ValidationFailed("登记日期不能晚于今天", "The date cannot be in the future",
                               field="received_on")
    if day.year < 2000:
        raise ValidationFailed("登记日期不合理", "The date is not plausible", field="received_on")
    return day


@register
class NeedImporter(Importer):
    kind = "needs"
    title_zh = "问题清单"
    title_en = "Offline problem list"
    columns = [
        Column("community", "社区代码", "Community code", required=True, example="500107001001",
               aliases=COMMUNITY_WORDS),
        Column("category", "诉求类别", "Category", required=True, example="elderly_care",
               aliases=("类别", "问题类别", "诉求分类", "问题分类", "事项类别", "问题类型", "需求类别")),
        Column("description", "诉求内容", "Description", required=True,
               example="独居老人需要助餐服务",
               aliases=("问题描述", "问题内容", "具体问题", "诉求", "需求内容", "事项内容",
                        "反映问题", "内容")),
        Column("target_group", "对象类别", "Target group", example="elderly",
               aliases=("服务对象", "对象", "人群类别")),
        Column("urgency", "紧急程度", "Urgency", example="一般", aliases=("缓急程度", "紧急度")),
        Column("contact_name", "联系人", "Contact name", example="张三",
               aliases=("联系人姓名", "反映人", "诉求人", "姓名")),
        Column("contact_phone", "联系电话", "Contact phone", example="13912345678",
               aliases=PHONE_WORDS),
        Column("received_on", "登记日期", "Date recorded", example="2026-03-05", date=True,
               aliases=("日期", "登记时间", "反映时间", "收集日期", "受理日期", "收集时间")),
        Column("source_ref", "来源编号", "Reference", example="WT-2026-001",
               aliases=("编号", "问题编号", "工单号", "台账编号")),
    ]
    batch_size = 2000

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.regions = RegionLookup(actor, perms.NEED_IMPORT, (RegionLevel.COMMUNITY,),
                                    "community")
        self.today = timezone.localdate()
        self.refs: dict[int, set[str]] = {}  # community id -> references imported before
        self.in_file: set[tuple[int, str]] = set()
        self.recorded: dict[tuple[int, dt.datetime], set[tuple[str, str]]] = {}

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, perms.NEED_IMPORT):
            raise NotFound()

    def _already(self, need: Need) -> None:
        """A rerun of a list adds nothing: the same reference, or with none the same problem
        (category and description) recorded on the same day in the same community."""
        community = need.community_id
        if need.source_ref:
            if (community, need.source_ref) in self.in_file:
                raise ValidationFailed("来源编号在本文件中重复", "This reference appears twice in "
                                       "the file", field="source_ref")
            self.in_file.add((community, need.source_ref))
            if community not in self.refs:  # one query per community, not one per row
                self.refs[community] = set(Need.objects.unscoped(reason="uniqueness check, no row shown").filter(
                    channel=Channel.OFFLINE, community_id=community).exclude(source_ref="")
                    .values_list("source_ref", flat=True))
            if need.source_ref in self.refs[community]:
                raise RowSkipped("该来源编号的问题已导入,未重复导入", "A problem with this reference"
                                 " was imported before; not imported again", field="source_ref")
            return
        day = (community, need.received_at)
        if day not in self.recorded:  # one query per community and day, descriptions decrypted
            self.recorded[day] = {(n.category, n.description) for n in Need.objects.unscoped(reason="uniqueness check, no row shown")
                                  .filter(channel=Channel.OFFLINE, community_id=community,
                                          received_at=need.received_at, source_ref="")
                                  .only("category", "description")}
        if (need.category, need.description) in self.recorded[day]:
            raise RowSkipped("同一天已导入相同的问题,未重复导入", "The same problem was imported "
                             "for this day before; not imported again", field="description")

    def parse(self, row: dict[str, Any], rownum: int) -> Need:
        region = self.regions.get(row.get("community"))
        category = parse_category(row.get("category"))
        urgency = parse_urgency(row.get("urgency"))
        day = parse_day(row.get("received_on"), self.today)
        phone = clean_phone(row["contact_phone"]) if row.get("contact_phone") not in (
            None, "") else ""
        received = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        need = Need(
            tracking_code=new_code(), channel=Channel.OFFLINE, category=category,
            target_group=parse_group(row.get("target_group")), urgency=urgency,
            description=clean_description(row.get("description")),
            contact_name=clean_person_name(row["contact_name"], field="contact_name")
            if row.get("contact_name") not in (None, "") else "",
            contact_phone=phone, contact_phone_bidx=blind_index(phone) if phone else None,
            region=region, community=region, region_path=region.path, state=State.ACCEPTED,
            received_at=received, accepted_at=timezone.now(),
            due_on=sla.due_date(day, category, urgency, region),
            source_ref=clean_text(row.get("source_ref"), field="source_ref", label_zh="来源编号",
                                  label_en="Reference", max_length=40),
            created_by=user_or_none(self.actor))
        self._already(need)
        return need

    def write(self, rows: list[Need]) -> int:
        needs = Need.objects.bulk_create(rows, batch_size=1000)
        if any(n.pk is None for n in needs):  # a backend without RETURNING
            ids = dict(Need.objects.unscoped(reason="importer: the rows it just wrote").filter(
                tracking_code__in=[n.tracking_code for n in needs]).values_list("tracking_code", "pk"))
            for n in needs:
                n.pk = ids[n.tracking_code]
        now = timezone.now()
        who, name = user_or_none(self.actor), actor_label(self.actor)
        events = []
        for n in needs:
            events.append(NeedEvent(need=n, region_path=n.region_path, at=n.received_at,
                                    actor=who, actor_name=name, action=Action.SUBMIT,
                                    from_state="", to_state=State.SUBMITTED,
                                    data={"channel": Channel.OFFLINE, "import": True}))
            events.append(NeedEvent(need=n, region_path=n.region_path, at=now, actor=who,
                                    actor_name=name, action=Action.ACCEPT,
                                    from_state=State.SUBMITTED, to_state=State.ACCEPTED))
        NeedEvent.objects.bulk_create(events, batch_size=2000)
        return len(needs)

    def finish(self, result: ImportResult) -> None:
        paths = self.regions.paths()
        audit.record(actor=self.actor, action=NeedsAction.NEED_IMPORTED,
                     region_path=audit_region(paths),
                     data={"rows": result.imported, "communities": paths[:50]})
