"""Offline problem lists (问题清单) from Excel, on the shared pipeline of core/excel.py:
``wushe import needs FILE.xlsx [--dry-run] [--valid-only]`` and the import page.

Each row becomes a need of channel "offline", accepted (staff collected it), with its
deadline counted from the date it was recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.audit import services as audit
from wushe.core.crypto import blind_index
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import Column, Importer, ImportResult, register
from wushe.core.ids import to_half_width
from wushe.core.text import clean_person_name, clean_text
from wushe.needs import perms, sla
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.categories import Channel, parse_category, parse_group, parse_urgency
from wushe.needs.models import Need, NeedEvent
from wushe.needs.services.common import actor_label, actor_user, new_code
from wushe.needs.services.intake import clean_description, clean_phone
from wushe.needs.workflow import Action, State
from wushe.regions.models import Region, RegionLevel


def parse_day(raw: object, today: dt.date) -> dt.date:
    if raw in (None, ""):
        return today
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    else:
        text = to_half_width(str(raw)).strip().replace("/", "-").replace(".", "-")
        text = text.replace("年", "-").replace("月", "-").replace("日", "")
        try:
            day = dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
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
        Column("community", "社区代码", "Community code", required=True, example="500107001001"),
        Column("category", "诉求类别", "Category", required=True, example="elderly_care"),
        Column("description", "诉求内容", "Description", required=True,
               example="独居老人需要助餐服务"),
        Column("target_group", "对象类别", "Target group", example="elderly"),
        Column("urgency", "紧急程度", "Urgency", example="一般"),
        Column("contact_name", "联系人", "Contact name", example="张三"),
        Column("contact_phone", "联系电话", "Contact phone", example="13912345678"),
        Column("received_on", "登记日期", "Date recorded", example="2026-03-05"),
        Column("source_ref", "来源编号", "Reference", example="WT-2026-001"),
    ]
    batch_size = 2000

    def __init__(self, actor: Any) -> None:
        super().__init__(actor)
        self.regions: dict[str, Region | None] = {}
        self.today = timezone.localdate()

    def check_permission(self) -> None:
        if self.actor is not None and not scope.has_perm(self.actor, perms.NEED_IMPORT):
            raise NotFound()

    def _region(self, code: object) -> Region:
        key = to_half_width(str(code or "")).strip()
        if key.endswith(".0"):  # a 12-digit code typed as a number survives as a float
            key = key[:-2]
        if key not in self.regions:
            region = Region.objects.unscoped().filter(code=key).first()
            ok = (region is not None and region.level == RegionLevel.COMMUNITY
                  and (self.actor is None
                       or scope.covers(self.actor, perms.NEED_IMPORT, region.path)))
            self.regions[key] = region if ok else None
        region = self.regions[key]
        if region is None:  # unknown and out of scope look the same
            raise ValidationFailed(f"社区代码 {key} 不存在或不在您的管辖范围",
                                   f"Community code {key} does not exist or is outside your area",
                                   field="community")
        return region

    def parse(self, row: dict[str, Any], rownum: int) -> Need:
        region = self._region(row.get("community"))
        category = parse_category(row.get("category"))
        urgency = parse_urgency(row.get("urgency"))
        day = parse_day(row.get("received_on"), self.today)
        phone = clean_phone(row["contact_phone"]) if row.get("contact_phone") not in (
            None, "") else ""
        received = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        return Need(
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
            created_by=actor_user(self.actor))

    def write(self, rows: list[Need]) -> int:
        needs = Need.objects.bulk_create(rows, batch_size=1000)
        if any(n.pk is None for n in needs):  # a backend without RETURNING
            ids = dict(Need.objects.unscoped().filter(
                tracking_code__in=[n.tracking_code for n in needs]).values_list("tracking_code", "pk"))
            for n in needs:
                n.pk = ids[n.tracking_code]
        now = timezone.now()
        who, name = actor_user(self.actor), actor_label(self.actor)
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
        paths = sorted({r.path for r in self.regions.values() if r is not None})
        audit.record(actor=self.actor, action=NeedsAction.NEED_IMPORTED,
                     region_path=paths[0] if len(paths) == 1 else (paths[0][:6] if paths else ""),
                     data={"rows": result.imported, "communities": paths[:50]})
