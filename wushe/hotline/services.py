"""Writes of the 12345 exchange: an order received (it becomes a need through the needs intake
service, deduplicated by its number) and the status updates queued and pushed back.

An order is checked whole before anything is written: a bad number, phone, content, time or an
unknown community is refused with a bilingual error and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from wushe.audit import recorder as audit
from wushe.core.errors import ValidationFailed, WusheError
from wushe.core.ids import to_half_width
from wushe.core.services import service
from wushe.core.text import clean_person_name, clean_text
from wushe.hotline import signing
from wushe.hotline.audit_codes import HotlineAction
from wushe.hotline.models import (
    HotlineUpdate,
    Order,
    OrderChannel,
    OrderSource,
    UpdateKind,
    UpdateState,
)
from wushe.needs import perms as need_perms
from wushe.needs.categories import CATEGORIES, Channel, parse_category
from wushe.needs.models import Need
from wushe.needs.services.intake import clean_phone, need_intake
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor, MaybeActor

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Received:
    order: Order
    created: bool


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


def _description(values: OrderValues) -> str:
    text = values.content
    if values.address:
        text += f"\n\n【12345 地址】{values.address}"
    return text


def existing(number: str) -> Order | None:
    return Order.objects.unscoped(reason="feed: the district-wide 12345 orders").filter(number=number).select_related("need").first()


@service
def order_receive(*, actor: Actor, data: dict[str, Any]) -> Received:
    """An order from the platform's API. The same number again answers with the first order
    and its need, and writes nothing."""
    found = existing(clean_number(data.get("number")))
    if found is not None:
        return Received(found, False)
    values = clean_order(data, order_lookup(actor))
    order = order_create(actor=actor, values=values, source=OrderSource.API)
    if order is None:  # lost a race with the same number
        found = existing(values.number)
        assert found is not None
        return Received(found, False)
    return Received(order, True)


def order_create(*, actor: Actor, values: OrderValues, source: str) -> Order | None:
    """The need (through the needs intake service, contact encrypted as usual), the order, its
    受理 update and the audit row; None when the number was taken meanwhile. Call inside a
    transaction."""
    try:
        with transaction.atomic():
            need = need_intake(
                actor=actor, channel=Channel.HOTLINE, region=values.community,
                category=values.category, description=_description(values),
                contact_name=values.contact_name, contact_phone=values.contact_phone,
                confirm_duplicate=True, source_ref=f"12345:{values.number}",
                received_at=values.received_at)
            order = Order.objects.create(
                number=values.number, need=need, region_path=need.region_path,
                received_at=values.received_at, channel=values.channel,
                platform_category=values.platform_category, deadline=values.deadline,
                source=source)
    except IntegrityError:
        if existing(values.number) is None:
            raise
        return None
    update_queue(order=order, kind=UpdateKind.ACCEPTED, at=need.accepted_at or timezone.now())
    audit.record(actor=actor, action=HotlineAction.ORDER_RECEIVED, target=order,
                 label=order.number, region_path=order.region_path,
                 data={"need": need.tracking_code, "channel": order.channel,
                       "category": need.category, "community": values.community.code,
                       "source": source})
    return order


# --- status updates back to the platform --------------------------------------------------------

def update_queue(*, order: Order, kind: str, at: dt.datetime, **extra: Any) -> HotlineUpdate:
    """Queue one update (inside the caller's transaction); pushed after commit when a push URL
    is set. The payload carries no contact detail: the result text is staff-written."""
    upd = HotlineUpdate(order=order, kind=kind)
    upd.payload = {"update_id": str(upd.uid), "order_number": order.number, "status": kind,
                   "at": at.isoformat(), "tracking_code": order.need.tracking_code, **extra}
    upd.save()
    if settings.WUSHE_HOTLINE_PUSH_URL:
        transaction.on_commit(lambda: _enqueue(upd.pk))
    return upd


def _enqueue(update_id: int) -> None:
    from wushe.hotline.tasks import push

    try:
        push.enqueue(str(update_id))
    except Exception:  # the queue is down: the periodic round sends it
        log.exception("hotline push could not be enqueued (update %s)", update_id)


def backoff(attempts: int) -> dt.timedelta:
    base = settings.WUSHE_HOTLINE_RETRY_SECONDS
    return dt.timedelta(seconds=min(3600, base * 2 ** max(0, attempts - 1)))


def push_one(update_id: int) -> str:
    """Send one update. Claimed with a conditional UPDATE first, so two workers never send it
    at once; a timeout or a 5xx is retried with backoff (the platform dedupes on update_id, so
    a retry of an update it did receive is harmless); another 4xx fails it, except 409 (the
    platform already has it)."""
    url = settings.WUSHE_HOTLINE_PUSH_URL
    if not url:
        return "no_url"
    from wushe.notifications.channels import FAILED, post_json

    now = timezone.now()
    lease = dt.timedelta(seconds=settings.WUSHE_HOTLINE_PUSH_TIMEOUT * 3 + 60)
    claimed = (HotlineUpdate.objects
               .filter(pk=update_id, state__in=(UpdateState.PENDING, UpdateState.RETRYING),
                       next_at__lte=now)
               .update(state=UpdateState.SENDING, attempts=F("attempts") + 1, next_at=now + lease))
    if not claimed:
        return "skipped"
    upd = HotlineUpdate.objects.get(pk=update_id)
    body = json.dumps(upd.payload, ensure_ascii=False, sort_keys=True).encode()
    path = url.split("://", 1)[-1]
    path = "/" + path.split("/", 1)[1] if "/" in path else "/"
    decided, status, _answer = post_json(url, body, settings.WUSHE_HOTLINE_PUSH_TIMEOUT,
                                         signing.sign_headers("POST", path, body))
    now = timezone.now()
    if decided is None or status == 409:
        upd.state, upd.sent_at, upd.last_error = UpdateState.SENT, now, ""
    elif decided.outcome == FAILED or upd.attempts >= settings.WUSHE_HOTLINE_MAX_ATTEMPTS:
        upd.state, upd.last_error = UpdateState.FAILED, decided.detail[:200]
    else:
        upd.state, upd.next_at = UpdateState.RETRYING, now + backoff(upd.attempts)
        upd.last_error = decided.detail[:200]
    upd.save(update_fields=["state", "sent_at", "last_error", "next_at"])
    log.info("hotline update %s %s (attempt %s)", upd.pk, upd.state, upd.attempts)
    return str(upd.state)


def push_due(limit: int = 200) -> dict[str, int]:
    """The periodic round: every update due (new, retrying, or stuck in sending past its lease
    by a dead worker), oldest first."""
    if not settings.WUSHE_HOTLINE_PUSH_URL:
        return {"pushed": 0}
    now = timezone.now()
    stuck = (HotlineUpdate.objects.filter(state=UpdateState.SENDING, next_at__lte=now)
             .update(state=UpdateState.RETRYING))
    due = list(HotlineUpdate.objects
               .filter(state__in=(UpdateState.PENDING, UpdateState.RETRYING), next_at__lte=now)
               .order_by("next_at", "id").values_list("pk", flat=True)[:limit])
    outcomes: dict[str, int] = {"stuck": stuck}
    for pk in due:
        outcome = push_one(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def need_stepped(need_id: int, action: str, from_state: str, to_state: str) -> None:
    """The needs hook: 办结 and 回访 of a need that came from an order become updates."""
    from wushe.needs.models import FollowUp
    from wushe.needs.workflow import Action, State

    if action not in (Action.RESOLVE, Action.FOLLOW_UP, Action.RATE, Action.ACCEPT):
        return
    order = Order.objects.unscoped(reason="hook: the calling service authorised it").filter(need_id=need_id).select_related("need").first()
    if order is None:
        return
    need: Need = order.need
    with transaction.atomic():
        if action == Action.ACCEPT:
            update_queue(order=order, kind=UpdateKind.ACCEPTED, at=need.accepted_at or timezone.now())
        elif action == Action.RESOLVE:
            update_queue(order=order, kind=UpdateKind.RESOLVED, at=need.resolved_at or timezone.now(),
                         result=need.result, on_time=need.resolved_on_time)
        else:
            if action == Action.FOLLOW_UP and need.state == State.CLOSED:
                return  # a follow-up with a score: the rating's step sends it
            last = FollowUp.objects.unscoped(reason="hook: the calling service authorised it").filter(need_id=need_id).order_by("-at", "-id").first()
            update_queue(order=order, kind=UpdateKind.VISITED,
                         at=last.at if last else timezone.now(),
                         method=last.method if last else "", satisfaction=need.satisfaction)
