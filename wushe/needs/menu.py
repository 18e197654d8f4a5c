"""需求菜单: needs aggregated by category × target group × community (or street) over a
period — the input to project design (社工项目, 项目购买清单). Counts only, no personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from wushe.accounts import scope
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import workbook_bytes
from wushe.needs import perms
from wushe.needs.categories import CATEGORIES, GROUP_NAMES, NeedGroup
from wushe.needs.models import Need
from wushe.needs.workflow import DONE, OPEN
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class MenuQuery:
    start: dt.date
    end: dt.date
    by: str = "community"  # or "street"
    region_code: str = ""
    category: str = ""
    target_group: str = ""

    def check(self) -> None:
        if self.end < self.start:
            raise ValidationFailed("结束日期不能早于开始日期", "The end date is before the start date",
                                   field="end")
        if (self.end - self.start).days > MAX_DAYS:
            raise ValidationFailed("统计区间最长3年", "The period may be at most 3 years", field="start")
        if self.by not in ("community", "street"):
            raise ValidationFailed("汇总层级无效", "Group by community or street", field="by")
        if self.category and self.category not in CATEGORIES:
            raise ValidationFailed("诉求类别无效", "Unknown category", field="category")
        if self.target_group and self.target_group not in NeedGroup.values:
            raise ValidationFailed("对象类别无效", "Unknown target group", field="target_group")


def default_query(today: dt.date | None = None) -> MenuQuery:
    today = today or timezone.localdate()
    return MenuQuery(start=today.replace(month=1, day=1), end=today)


def demand_menu(*, actor: Actor, query: MenuQuery) -> list[dict[str, Any]]:
    """One row per (area, category, target group): counts, open, resolved, on time, rating."""
    query.check()
    if not scope.has_perm(actor, perms.NEED_MENU):
        raise NotFound()
    q = scope.filter_q(actor, perms.NEED_MENU, "region_path")
    qs = Need.objects.unscoped(reason="scope: filtered by scope.filter_q here") if q is None else Need.objects.unscoped(reason="scope: filtered by scope.filter_q here").filter(q)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(query.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(query.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = qs.filter(received_at__gte=start, received_at__lt=end).exclude(state="merged")
    if query.region_code:
        region = Region.objects.unscoped(reason="reference: the region tree").filter(code=query.region_code).only("path").first()
        if region is None or not scope.covers(actor, perms.NEED_MENU, region.path):
            raise NotFound("地区不存在", "Region not found")
        qs = qs.filter(scope.subtree_q("region_path", region.path))
    if query.category:
        qs = qs.filter(category=query.category)
    if query.target_group:
        qs = qs.filter(target_group=query.target_group)
    width = 12 if query.by == "community" else 9
    rows = list(qs.annotate(area=Substr("region_path", 1, width))
                .values("area", "category", "target_group")
                .annotate(total=Count("id"), open=Count("id", filter=Q(state__in=OPEN)),
                          done=Count("id", filter=Q(state__in=DONE)),
                          on_time=Count("id", filter=Q(resolved_on_time=True)),
                          satisfaction=Avg("satisfaction"))
                .order_by("area", "-total"))
    names = dict(Region.objects.unscoped(reason="reference: the region tree").filter(path__in={r["area"] for r in rows})
                 .values_list("path", "name"))
    out = []
    for r in rows:
        c = CATEGORIES.get(r["category"])
        out.append({**r, "area_name": names.get(r["area"], r["area"]),
                    "category_name": str(c.label) if c else r["category"],
                    "group_name": str(NeedGroup(r["target_group"]).label),
                    "satisfaction": round(float(r["satisfaction"]), 2)
                    if r["satisfaction"] is not None else None})
    return out


def menu_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Column totals and the category and target-group marginals (for the page's summary)."""
    by_category: dict[str, int] = {}
    by_group: dict[str, int] = {}
    for r in rows:
        by_category[r["category"]] = by_category.get(r["category"], 0) + r["total"]
        by_group[r["target_group"]] = by_group.get(r["target_group"], 0) + r["total"]
    return {
        "total": sum(r["total"] for r in rows), "open": sum(r["open"] for r in rows),
        "done": sum(r["done"] for r in rows),
        "by_category": sorted(((str(CATEGORIES[k].label) if k in CATEGORIES else k, v)
                               for k, v in by_category.items()), key=lambda kv: -kv[1]),
        "by_group": sorted(((str(NeedGroup(k).label), v) for k, v in by_group.items()),
                           key=lambda kv: -kv[1]),
    }


def menu_xlsx(rows: list[dict[str, Any]], query: MenuQuery) -> bytes:
    headers = ["地区代码 Area code", "地区 Area", "类别代码 Category code", "诉求类别 Category",
               "对象 Target group", "件数 Needs", "在办 Open", "已办结 Resolved",
               "按时办结 On time", "满意度 Satisfaction"]
    body = ([r["area"], r["area_name"], r["category"],
             CATEGORIES[r["category"]].zh if r["category"] in CATEGORIES else r["category"],
             GROUP_NAMES.get(r["target_group"], (r["target_group"],))[0], r["total"], r["open"],
             r["done"], r["on_time"], r["satisfaction"]] for r in rows)
    title = f"需求菜单 {query.start:%Y%m%d}-{query.end:%Y%m%d}"
    return workbook_bytes([(title, headers, body)])
