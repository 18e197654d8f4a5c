"""Intake: the public 点单 (no account), and staff intake at the window, on the hotline and by
grid workers. Every need starts here, with its deadline and its first event."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.crypto import blind_index
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.idempotency import IdempotencyConflict, body_hash, check_replay
from wushe.core.ids import to_half_width
from wushe.core.services import service
from wushe.core.text import clean_person_name, clean_text
from wushe.needs import hooks, perms, sla, workflow
from wushe.needs import rules as need_rules
from wushe.needs.access import visible_needs
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.categories import (
    Channel,
    NeedGroup,
    Urgency,
    parse_category,
)
from wushe.needs.codes import new_code
from wushe.needs.models import Need
from wushe.needs.services._common import community_by_code, community_of, event
from wushe.needs.sla import rule
from wushe.needs.validation import clean_description, clean_phone
from wushe.regions import rules
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

STAFF_CHANNELS = (Channel.WINDOW, Channel.HOTLINE, Channel.GRID)
NOT_DUPLICATES = (workflow.State.MERGED, workflow.State.DECLINED)


def _choice(value: str, allowed: list[str], field: str, zh: str, en: str) -> str:
    if value not in allowed:
        raise ValidationFailed(f"{zh}无效", f"Unknown {en}", field=field)
    return value


def _new_need(*, channel: str, region: Region, category: str, description: str,
              target_group: str, urgency: str, received_at: dt.datetime,
              contact_name: str = "", contact_phone: str = "", **extra: Any) -> Need:
    community = community_of(region)
    return Need(
        tracking_code=new_code(), channel=channel, category=category, target_group=target_group,
        urgency=urgency, description=description, contact_name=contact_name,
        contact_phone=contact_phone,
        contact_phone_bidx=blind_index(contact_phone) if contact_phone else None,
        region=region, community=community, region_path=region.path, received_at=received_at,
        due_on=sla.due_date(received_at, category, urgency, community), **extra)


def _duplicates(qs: Any, *, community: Region, category: str, phone_bidx: str | None,
                requester_id: int | None, since: dt.datetime) -> Any:
    if not phone_bidx and not requester_id:
        return qs.none()
    same_person = {"requester_id": requester_id} if requester_id else \
        {"contact_phone_bidx": phone_bidx}
    return (qs.filter(community=community, category=category, received_at__gte=since,
                      **same_person)
            .exclude(state__in=NOT_DUPLICATES).order_by("-received_at"))


def _duplicate_window_start(community: Region, now: dt.datetime | None = None) -> dt.datetime:
    days = rule(need_rules.DUPLICATE_DAYS.key, community.path)
    return (now or timezone.now()) - dt.timedelta(days=days)


def _key_hash(key: str) -> str:
    key = key.strip()
    if not key or len(key) > 200:
        raise ValidationFailed("Idempotency-Key 应为1–200个字符", "The Idempotency-Key must be 1–200 characters",
                               code="idempotency_key", field="idempotency_key")
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Submitted:
    need: Need
    created: bool


@service
def need_submit_public(
    *, category: object, description: object, community: object, contact_name: object,
    contact_phone: object, consent: object, idempotency_key: str | None = None,
    target_group: str = NeedGroup.GENERAL, urgency: str = Urgency.NORMAL,
    notify: object = False,
) -> Submitted:
    """A resident's 点单 with no account. ``notify``: the resident asks for SMS about the
    progress; the first (and, until it comes back, only) message is a confirmation code. A retry with the same Idempotency-Key and the same
    content returns the first need instead of making a second one; the same key with other
    content is refused (409 ``idempotency_conflict``) and nothing is written."""
    key = _key_hash(idempotency_key) if idempotency_key is not None else None
    if consent is not True:
        raise ValidationFailed("请阅读并同意个人信息使用说明后再提交",
                               "Agree to the use of your personal information before submitting",
                               code="consent_required", field="consent")
    if notify is not True and notify is not False:
        raise ValidationFailed("短信通知选项无效", "notify must be true or false",
                               code="invalid_notify", field="notify")
    values = {
        "category": parse_category(category), "description": clean_description(description),
        "contact_name": clean_person_name(contact_name, field="contact_name"),
        "contact_phone": clean_phone(contact_phone),
    }
    phone_bidx = blind_index(values["contact_phone"])
    content = body_hash({**values, "community": to_half_width(str(community or "")).strip(),
                         "target_group": target_group, "urgency": urgency,
                         **({"notify": True} if notify else {})})
    if key:
        first = _existing(key)
        if first is not None:
            return _replay(first, phone_bidx, content)
    region = community_by_code(community)
    target_group = _choice(target_group, NeedGroup.values, "target_group", "对象类别", "target group")
    urgency = _choice(urgency, Urgency.values, "urgency", "紧急程度", "urgency")
    now = timezone.now()
    need = _new_need(channel=Channel.ONLINE, region=region, target_group=target_group,
                     urgency=urgency, received_at=now, consent_at=now, idempotency_key=key,
                     idempotency_body=content if key else "", **values)
    need.duplicate_of_id = _duplicates(
        Need.objects.unscoped(reason="uniqueness check, no row shown"), community=region, category=need.category, phone_bidx=phone_bidx,
        requester_id=None, since=_duplicate_window_start(region, now)
    ).values_list("pk", flat=True).first()
    try:
        with transaction.atomic():  # a savepoint: a lost race on the key leaves the outer intact
            need.save()
    except IntegrityError:
        first = Need.objects.unscoped(reason="idempotency: the same submission's own row").filter(idempotency_key=key).first() if key else None
        if first is None:
            raise
        return _replay(first, phone_bidx, content)
    event(need, actor=None, action=workflow.Action.SUBMIT, from_state="",
          to_state=need.state, data={"channel": need.channel})
    audit.record(actor=None, action=NeedsAction.NEED_SUBMITTED, target=need,
                 label=need.tracking_code,
                 data={"channel": need.channel, "category": need.category,
                       "community": region.code, "idempotent": bool(key)})
    if notify:
        from wushe.needs.services.subscription import subscription_start

        subscription_start(need=need)
    return Submitted(need, True)


def _existing(key: str) -> Need | None:
    return (Need.objects.unscoped(reason="idempotency: the same submission's own row").filter(idempotency_key=key)
            .only("id", "tracking_code", "contact_phone_bidx", "idempotency_body").first())


def _replay(first: Need, phone_bidx: str, content: str) -> Submitted:
    # The same key with other content is not a retry: refuse rather than drop the new content
    # (or hand a stranger someone else's tracking code). A need stored before the content hash
    # was kept is compared by its phone alone.
    check_replay(first.idempotency_body, content)
    if first.contact_phone_bidx != phone_bidx:
        raise IdempotencyConflict()
    return Submitted(first, False)


@service
def need_intake(
    *, actor: Actor, channel: str, region: Region, category: object, description: object,
    target_group: str = NeedGroup.GENERAL, urgency: str = Urgency.NORMAL,
    contact_name: object = "", contact_phone: object = "", requester: Any = None,
    care_profile: Any = None, confirm_duplicate: bool = False, source_ref: object = "",
    received_at: dt.datetime | None = None,
) -> Need:
    """Staff intake (window, hotline, grid report): the need is accepted on the spot.

    A need of the same person and category within the duplicate window is refused with the
    matches (code ``possible_duplicate``) unless ``confirm_duplicate``: staff then merge or go on.
    """
    channel = _choice(channel, list(STAFF_CHANNELS), "channel", "受理渠道", "channel")
    scope.require_region(actor, perms.NEED_INTAKE, region.path)
    if channel == Channel.GRID and region.level != RegionLevel.GRID:
        raise ValidationFailed("网格上报须选择网格", "A grid report is made from a grid", field="region")
    if channel != Channel.GRID and region.level != RegionLevel.COMMUNITY:
        raise ValidationFailed("请选择社区(村)", "Choose a community or village", field="region")
    values: dict[str, Any] = {
        "category": parse_category(category), "description": clean_description(description),
        "target_group": _choice(target_group, NeedGroup.values, "target_group", "对象类别",
                                "target group"),
        "urgency": _choice(urgency, Urgency.values, "urgency", "紧急程度", "urgency"),
        "contact_name": clean_person_name(contact_name, field="contact_name")
        if contact_name else "",
        "contact_phone": clean_phone(contact_phone) if contact_phone else "",
    }
    if requester is not None:
        scope.require(actor, perms.NEED_VIEW, requester)
    if care_profile is not None:
        if not hooks.may_see_care_profile(actor, care_profile):  # the residents app's rule
            raise NotFound()
        if requester is not None and care_profile.person_id != requester.pk:
            raise ValidationFailed("关爱档案与求助人不一致", "The care profile is not the requester's",
                                   field="care_profile")
    if requester is None and not values["contact_phone"]:
        raise ValidationFailed("请填写联系电话,或选择已登记的求助人",
                               "Give a contact phone, or choose a registered requester",
                               field="contact_phone")
    now = timezone.now()
    received = received_at or now
    if received > now:
        raise ValidationFailed("受理时间不能晚于现在", "The time received cannot be in the future",
                               field="received_at")
    community = community_of(region)
    phone_bidx = blind_index(values["contact_phone"]) if values["contact_phone"] else None
    if not confirm_duplicate:
        found = list(_duplicates(visible_needs(actor), community=community,
                                 category=values["category"], phone_bidx=phone_bidx,
                                 requester_id=requester.pk if requester else None,
                                 since=_duplicate_window_start(community, now))[:5])
        if found:
            raise Conflict(
                f"该居民在{int(rules.value(need_rules.DUPLICATE_DAYS.key, community))}天内已有同类诉求,"
                "请核对是否重复(可合并),确认不重复后再提交",
                "This resident has a need of the same category within the duplicate window; "
                "check it (merge if it is the same) or confirm to go on",
                code="possible_duplicate", field="confirm_duplicate",
                details=[{"need": n.pk, "tracking_code": n.tracking_code, "state": n.state}
                         for n in found])
    need = _new_need(channel=channel, region=region, received_at=received, requester=requester,
                     care_profile=care_profile, created_by=actor, accepted_at=now,
                     source_ref=clean_text(source_ref, field="source_ref", label_zh="来源编号",
                                           label_en="Reference", max_length=40), **values)
    need.state = workflow.State.ACCEPTED
    need.save()
    event(need, actor=actor, action=workflow.Action.SUBMIT, from_state="",
          to_state=workflow.State.SUBMITTED, data={"channel": channel}, at=received)
    event(need, actor=actor, action=workflow.Action.ACCEPT, from_state=workflow.State.SUBMITTED,
          to_state=workflow.State.ACCEPTED)
    audit.record(actor=actor, action=NeedsAction.NEED_SUBMITTED, target=need,
                 label=need.tracking_code,
                 data={"channel": channel, "category": need.category, "region": region.code,
                       "duplicate_confirmed": confirm_duplicate})
    return need
