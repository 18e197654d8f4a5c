"""What Open311 reads: the jurisdictions (districts), the services (need categories), and the
public status of needs that came in through the public channel.

Which needs: only those submitted by residents without an account — the 点单 form, the public
API and Open311 itself, all through ``need_submit_public`` with the online channel. Needs taken
at a window, on the hotline or by grid workers never appear (they answer 404 like a missing
code). What a request shows: its category, state and dates and the community handling it —
never the resident's text, name, phone or address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.ids import region_code_text
from wushe.needs.categories import CATEGORIES, Category, Channel
from wushe.needs.codes import normalize_code
from wushe.needs.models import Need
from wushe.needs.workflow import OPEN, STATE_NAMES, State
from wushe.regions.models import Region, RegionLevel

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
PUBLIC_CHANNELS = (Channel.ONLINE,)
KIND_NAMES = {"consultation": ("咨询", "Consultation"), "help": ("求助", "Request for help"),
              "complaint": ("投诉与纠纷", "Complaint or dispute")}
# GeoReport's default window of a request search, and the longest one allowed.
DEFAULT_DAYS = 90
MAX_DAYS = 90
PAGE_SIZE = 50
PAGE_SIZE_MAX = 200
PAGE_MAX = 1000
IDS_MAX = 50
REQUEST_FIELDS = ("id", "tracking_code", "category", "state", "received_at", "updated_at",
                  "due_on", "community__name", "merged_into_id")


def lang_of(code: str) -> str:
    return "en" if code.lower().startswith("en") else "zh"


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def jurisdiction(raw: str | None) -> Region:
    """The district ``jurisdiction_id`` names (its 12-digit code); without one, the only
    district of this installation. Anything else is refused."""
    districts = Region.objects.unscoped(reason="reference: the region tree").filter(level=RegionLevel.DISTRICT).only(
        "id", "code", "name", "path")
    if raw is None or raw == "":
        found = list(districts[:2])
        if len(found) == 1:
            return found[0]
        raise ValidationFailed("请提供 jurisdiction_id(区的12位行政区划代码)",
                               "Give jurisdiction_id (the district's 12-digit code)",
                               code="jurisdiction_required", field="jurisdiction_id")
    code = region_code_text(raw, field="jurisdiction_id")
    region = districts.filter(code=code).first() if code.isdigit() and len(code) == 12 else None
    if region is None:
        raise ValidationFailed("jurisdiction_id 不是本平台的区", "jurisdiction_id is not a "
                               "district served here", code="unknown_jurisdiction",
                               field="jurisdiction_id")
    return region


def communities(district: Region) -> list[Region]:
    return list(Region.objects.unscoped(reason="reference: the region tree").filter(level=RegionLevel.COMMUNITY,
                                                 path__startswith=district.path)
                .only("id", "code", "name").order_by("code"))


def service_get(code: str) -> Category:
    category = CATEGORIES.get(code)
    if category is None:
        raise NotFound("没有这个服务类别", "No service has this service_code")
    return category


def service_out(c: Category, lang: str) -> dict[str, Any]:
    kind = KIND_NAMES.get(str(c.kind), ("", ""))
    return {
        "service_code": c.code, "service_name": c.name(lang),
        "description": (f"{c.en} ({kind[1].lower()}): handled by the community you live in"
                        if lang == "en" else f"{c.zh}({kind[0]}类诉求),由所在社区受理"),
        "metadata": True,  # consent (and the community) are attributes of every service
        "type": "realtime",
        "keywords": ", ".join((c.zh, c.en, c.code)),
        "group": pick(kind, lang),
    }


def service_definition(c: Category, district: Region, lang: str) -> dict[str, Any]:
    return {"service_code": c.code, "attributes": [
        {"variable": True, "code": "consent", "datatype": "singlevaluelist", "required": True,
         "datatype_description": pick(("须为 true", "Must be true"), lang), "order": 1,
         "description": pick((
             "我已阅读并同意个人信息使用说明:姓名和电话仅用于办理本诉求",
             "I agree to the use of my personal information: the name and phone are used only "
             "to handle this request"), lang),
         "values": [{"key": "true", "name": pick(("同意", "I agree"), lang)}]},
        {"variable": True, "code": "community", "datatype": "singlevaluelist", "required": False,
         "datatype_description": pick((
             "社区(村)的12位代码;address_string 中没有社区名称时必填",
             "The community's (village's) 12-digit code; required when address_string does "
             "not name one"), lang), "order": 2,
         "description": pick(("所在社区(村)", "The community (village) you live in"), lang),
         "values": [{"key": r.code, "name": r.name} for r in communities(district)]},
    ]}


def resolve_community(district: Region, *, code: str | None, address: str) -> Region:
    """The community of a request: the ``community`` attribute's code, else the one community
    of the district whose name the address contains. Regions carry no coordinates, so a
    lat/long alone cannot place a request."""
    if code:
        text = region_code_text(code, field="community")
        region = (Region.objects.unscoped(reason="reference: the region tree").filter(code=text, level=RegionLevel.COMMUNITY,
                                                   path__startswith=district.path)
                  .only("id", "code").first() if text.isdigit() and len(text) == 12 else None)
        if region is None:
            raise ValidationFailed("attribute[community] 不是本区的社区(村)代码",
                                   "attribute[community] is not a community code of this "
                                   "jurisdiction", code="unknown_community", field="community")
        return region
    named = [r for r in communities(district) if address and r.name in address]
    if len(named) == 1:
        return named[0]
    raise ValidationFailed(
        "无法从地址确定所在社区,请用 attribute[community] 提供社区(村)代码",
        "The address does not name one community; give its code as attribute[community]",
        code="community_required", field="community")


@dataclass(frozen=True)
class RequestFilters:
    ids: list[str]
    service_codes: list[str]
    statuses: list[str]
    start: dt.datetime
    end: dt.datetime
    page: int
    page_size: int


def _list(raw: str | None) -> list[str]:
    return [p.strip() for p in (raw or "").split(",") if p.strip()]


def _when(raw: str, field: str) -> dt.datetime:
    from django.utils.dateparse import parse_datetime

    try:
        value = parse_datetime(raw.strip().replace("Z", "+00:00")) if len(raw) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise ValidationFailed(f"{field} 应为 W3C 日期时间,如 2026-01-01T00:00:00Z",
                               f"{field} must be a W3C datetime such as 2026-01-01T00:00:00Z",
                               code="invalid_datetime", field=field)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _bounded(raw: str | None, field: str, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 6) or not low <= int(text) <= high:
        raise ValidationFailed(f"{field} 应为 {low}–{high} 的整数",
                               f"{field} must be a whole number from {low} to {high}",
                               code="invalid_paging", field=field)
    return int(text)


def parse_filters(params: Any) -> RequestFilters:
    ids = _list(params.get("service_request_id"))
    if len(ids) > IDS_MAX:
        raise ValidationFailed(f"service_request_id 最多 {IDS_MAX} 个",
                               f"At most {IDS_MAX} service_request_id values",
                               code="too_many_ids", field="service_request_id")
    codes = _list(params.get("service_code"))
    for code in codes:
        if code not in CATEGORIES:
            raise ValidationFailed("service_code 不存在", "Unknown service_code",
                                   code="unknown_service", field="service_code")
    statuses = [s.lower() for s in _list(params.get("status"))]
    if any(s not in ("open", "closed") for s in statuses):
        raise ValidationFailed("status 应为 open 或 closed", "status is open or closed",
                               code="invalid_status", field="status")
    now = timezone.now()
    end = _when(params["end_date"], "end_date") if params.get("end_date") else None
    start = _when(params["start_date"], "start_date") if params.get("start_date") else None
    if start is None:
        start = (end or now) - dt.timedelta(days=DEFAULT_DAYS)
    if end is None:
        end = min(now, start + dt.timedelta(days=MAX_DAYS))
    if end < start or end - start > dt.timedelta(days=MAX_DAYS):
        raise ValidationFailed(f"start_date 到 end_date 应在 {MAX_DAYS} 天以内且不倒置",
                               f"start_date to end_date must be in order and at most "
                               f"{MAX_DAYS} days", code="invalid_range", field="start_date")
    return RequestFilters(
        ids=[normalize_code(i) for i in ids], service_codes=codes, statuses=statuses,
        start=start, end=end,
        page=_bounded(params.get("page"), "page", 1, 1, PAGE_MAX),
        page_size=_bounded(params.get("page_size"), "page_size", PAGE_SIZE, 1, PAGE_SIZE_MAX))


def public_needs(district: Region) -> QuerySet[Need]:
    """The needs Open311 may show at all: submitted publicly, in the district."""
    return (Need.objects.unscoped(reason="public: only public rows, filtered here")
            .filter(channel__in=PUBLIC_CHANNELS, region_path__startswith=district.path)
            .select_related("community").only(*REQUEST_FIELDS))


def request_list(*, district: Region, filters: RequestFilters) -> list[Need]:
    qs = public_needs(district)
    if filters.ids:  # GeoReport: the ids override every other filter
        qs = qs.filter(tracking_code__in=filters.ids)
    else:
        qs = qs.filter(received_at__gte=filters.start, received_at__lte=filters.end)
        if filters.service_codes:
            qs = qs.filter(category__in=filters.service_codes)
        if filters.statuses and len(set(filters.statuses)) == 1:
            lookup = {"state__in": list(OPEN)}
            qs = qs.filter(**lookup) if filters.statuses[0] == "open" else qs.exclude(**lookup)
    first = (filters.page - 1) * filters.page_size
    return list(qs.order_by("-received_at", "-id")[first:first + filters.page_size])


def request_get(*, district: Region, tracking_code: str) -> Need:
    """One public need by its tracking code; a need of another channel or district, or a
    malformed code, is as missing as an unknown one."""
    try:
        code = normalize_code(tracking_code)
    except ValidationFailed:
        code = None
    need = public_needs(district).filter(tracking_code=code).first() if code else None
    if need is None:
        raise NotFound("没有这个服务请求", "No service request has this id")
    return need


def request_out(need: Need, lang: str) -> dict[str, Any]:
    category = CATEGORIES.get(need.category)
    is_open = need.state in OPEN
    if need.state == State.MERGED:
        notes = pick(("已与同类诉求合并办理", "merged with a similar request"), lang)
    else:
        notes = pick(STATE_NAMES.get(need.state, ("", need.state)), lang)
    expected = None
    if is_open and need.due_on:
        expected = timezone.make_aware(dt.datetime.combine(need.due_on, dt.time(23, 59, 59)))
    return {
        "service_request_id": need.tracking_code,
        "status": "open" if is_open else "closed",
        "status_notes": notes,
        "service_name": category.name(lang) if category else need.category,
        "service_code": need.category,
        "agency_responsible": need.community.name,
        "service_notice": "",
        "requested_datetime": _w3c(need.received_at),
        "updated_datetime": _w3c(need.updated_at),
        "expected_datetime": _w3c(expected),
        "address": need.community.name,
    }


def _w3c(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None
