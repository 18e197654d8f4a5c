"""An order from the 12345 platform, checked whole before anything is written: its number,
times, category, channel, content, address and community, and the account orders are taken in
by. Read by the receiving service, the API and the importer."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from wushe.core.errors import ValidationFailed, WusheError
from wushe.core.ids import to_half_width
from wushe.core.text import clean_person_name, clean_text
from wushe.hotline.models import OrderChannel
from wushe.needs import perms as need_perms
from wushe.needs.categories import CATEGORIES, parse_category
from wushe.needs.validation import clean_phone
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

NUMBER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{5,31}")
CONTENT_MAX = 1800  # the need's description holds the content and the address (2000 at most)
ADDRESS_MAX = 150
CHANNEL_WORDS = {  # the platform's Chinese words for its channels
    "电话": OrderChannel.PHONE, "热线": OrderChannel.PHONE, "网络": OrderChannel.WEB,
    "网站": OrderChannel.WEB, "网上": OrderChannel.WEB, "APP": OrderChannel.APP,
    "微信": OrderChannel.WECHAT, "信件": OrderChannel.MAIL, "邮件": OrderChannel.MAIL,
    "其他": OrderChannel.OTHER,
}


class NotConfigured(WusheError):
    status = 503
    code = "hotline_not_configured"


@dataclass(frozen=True)
class OrderValues:
    number: str
    received_at: dt.datetime
    deadline: dt.datetime
    channel: str
    platform_category: str
    category: str
    content: str
    address: str
    community: Region
    contact_name: str
    contact_phone: str


def platform_account() -> Any:
    """The service account the platform's orders are taken in by (``WUSHE_HOTLINE_ACCOUNT``):
    its grants (needs.intake) decide which communities orders may land in."""
    from wushe.accounts.models import User

    name = settings.WUSHE_HOTLINE_ACCOUNT
    user = User.objects.filter(username=name, is_active=True).first() if name else None
    if user is None:
        raise NotConfigured("12345 接口未配置受理账号", "The 12345 exchange has no intake account "
                            "configured (WUSHE_HOTLINE_ACCOUNT)")
    return user


def clean_number(raw: object) -> str:
    text = raw.strip() if isinstance(raw, str) else str(raw) if isinstance(raw, int) else ""
    if not (text.isascii() and NUMBER_RE.fullmatch(text)):
        raise ValidationFailed("工单编号格式不正确(6–32位字母、数字或连字符)",
                               "The order number is not valid (6–32 letters, digits or hyphens)",
                               code="bad_order_number", field="number")
    return text


def _when(raw: object, field: str, zh: str, en: str, *, end_of_day: bool = False) -> dt.datetime:
    value: dt.datetime | None = None
    if isinstance(raw, dt.datetime):
        value = raw
    elif isinstance(raw, dt.date):
        value = dt.datetime.combine(raw, dt.time(23, 59, 59) if end_of_day else dt.time(9, 0))
    elif isinstance(raw, str) and raw.strip().isascii() and len(raw) <= 40:
        text = raw.strip()
        try:
            value = parse_datetime(text)
            if value is None and (day := parse_date(text)) is not None:
                value = dt.datetime.combine(day, dt.time(23, 59, 59) if end_of_day
                                            else dt.time(9, 0))
        except ValueError:
            value = None
    if value is None:
        raise ValidationFailed(f"{zh}格式应为 2026-03-05T10:00:00+08:00",
                               f"The {en} should look like 2026-03-05T10:00:00+08:00",
                               code="bad_time", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value.year < 2000:
        raise ValidationFailed(f"{zh}不合理", f"The {en} is not plausible", code="bad_time",
                               field=field)
    return value


def map_category(raw: object) -> tuple[str, str]:
    """(the platform's category text, our need category): the mapping table
    ``WUSHE_HOTLINE_CATEGORIES`` first, then our own codes and names, else the default."""
    text = clean_text(to_half_width(str(raw or "")), field="category", label_zh="诉求类别",
                      label_en="Category", max_length=40)
    mapped = settings.WUSHE_HOTLINE_CATEGORIES.get(text)
    if mapped in CATEGORIES:
        return text, mapped
    try:
        return text, parse_category(text)
    except ValidationFailed:
        return text, settings.WUSHE_HOTLINE_DEFAULT_CATEGORY


def map_channel(raw: object) -> str:
    text = to_half_width(str(raw or "")).strip()
    if text in OrderChannel.values:
        return text
    if text.upper() in CHANNEL_WORDS:
        return CHANNEL_WORDS[text.upper()]
    if text in CHANNEL_WORDS:
        return CHANNEL_WORDS[text]
    if not text:
        return OrderChannel.PHONE
    raise ValidationFailed("来源渠道无效", "Unknown channel", code="bad_channel", field="channel")


def order_lookup(actor: MaybeActor) -> RegionLookup:
    """Communities by code or name, among those the actor may take needs in."""
    return RegionLookup(actor, need_perms.NEED_INTAKE, (RegionLevel.COMMUNITY,), "community")


def clean_order(data: dict[str, Any], lookup: RegionLookup) -> OrderValues:
    """Every field checked; raises the first problem (ValidationFailed, with its field)."""
    number = clean_number(data.get("number"))
    received_at = _when(data.get("received_at"), "received_at", "受理时间", "time received")
    deadline = _when(data.get("deadline"), "deadline", "办理时限", "deadline", end_of_day=True)
    if deadline <= received_at:
        raise ValidationFailed("办理时限应晚于受理时间", "The deadline must be after the time received",
                               code="bad_time", field="deadline")
    now = timezone.now()
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationFailed("受理时间不能晚于现在", "The time received cannot be in the future",
                               code="bad_time", field="received_at")
    platform_category, category = map_category(data.get("category"))
    content = clean_text(data.get("content"), field="content", label_zh="诉求内容",
                         label_en="Content", max_length=CONTENT_MAX, required=True)
    raw_place, raw_contact = data.get("place"), data.get("contact")
    place: dict[str, Any] = raw_place if isinstance(raw_place, dict) else {}
    contact: dict[str, Any] = raw_contact if isinstance(raw_contact, dict) else {}
    address = clean_text(place.get("address"), field="place.address", label_zh="地址",
                         label_en="Address", max_length=ADDRESS_MAX)
    community_raw = place.get("community")
    if not isinstance(community_raw, str | int) or not str(community_raw).strip():
        raise ValidationFailed("请填写所属社区(代码或名称)", "The community (code or name) is required",
                               code="unknown_community", field="place.community")
    try:
        community = lookup.get(str(community_raw).strip()[:60])
    except WusheError as exc:
        raise ValidationFailed("所属社区不存在或不在受理范围内", "Unknown community, or not one "
                               "orders may be taken in", code="unknown_community",
                               field="place.community") from exc
    name = contact.get("name")
    return OrderValues(
        number=number, received_at=min(received_at, now), deadline=deadline,
        channel=map_channel(data.get("channel")), platform_category=platform_category,
        category=category, content=content, address=address, community=community,
        contact_name=clean_person_name(name, field="contact.name") if name else "",
        contact_phone=clean_phone(contact.get("phone"), field="contact.phone"))
