"""SMS to a resident about their need (issue #17): the address resolver "needs.contact", the
messages, and the listener that tells a confirmed subscriber of each state change.

A message carries only the tracking code, the new state (in Chinese) and the tracking link —
never a name, a description, an address or a phone. The texts are Chinese on purpose: a
government SMS platform sends only the Chinese templates registered with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from wushe.audit import recorder as audit
from wushe.core.crypto import blind_index
from wushe.core.errors import WusheError
from wushe.core.ids import normalize_phone
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.hooks import on_step
from wushe.needs.models import Need, NeedEvent, NeedSubscription
from wushe.needs.workflow import STATE_NAMES, Action, State
from wushe.notifications.send import (
    Address,
    absolute_link,
    notify_address,
    one_time_secret,
    resolver,
)

RESOLVER = "needs.contact"
KIND_CODE = "needs.need.confirm_code"
KIND_STATE = "needs.need.state_changed"

CODE_TEXT = "【五社联动】验证码 {code},用于接收诉求 {tracking} 的进度短信,10分钟内有效。"
STATE_TEXT = "【五社联动】您的诉求 {tracking} 进度更新:{state}。查看进度:{link}"
RESOLVED_TEXT = "【五社联动】您的诉求 {tracking} {state},请您评价:{link}"
# The code is blanked in the outbox once sent: staff reading the outbox must not confirm for
# the resident.
one_time_secret(KIND_CODE, r"验证码 (\d{6})")


def track_link(tracking_code: str, *, rate: bool = False) -> str:
    path = reverse("needs:track", kwargs={"code": tracking_code})
    return absolute_link(path) + ("#rate" if rate else "")


def code_text(*, code: str, tracking_code: str) -> str:
    return CODE_TEXT.format(code=code, tracking=tracking_code)


def state_text(*, tracking_code: str, state: str) -> str:
    label = STATE_NAMES.get(state, (state, state))[0]
    if state == State.RESOLVED:
        return RESOLVED_TEXT.format(tracking=tracking_code, state=label,
                                    link=track_link(tracking_code, rate=True))
    return STATE_TEXT.format(tracking=tracking_code, state=label,
                             link=track_link(tracking_code))


@resolver(RESOLVER)
def need_contact(ref: int) -> Address | None:
    """The need's contact phone, decrypted at send time, only for a need whose resident asked
    for SMS (a need without a subscription has no address here, whatever asks)."""
    need = (Need.objects.unscoped(reason="notify: a resident who asked for SMS").filter(pk=ref, subscription__isnull=False)
            .only("id", "tracking_code", "contact_phone", "contact_phone_bidx", "region_path")
            .first())
    if need is None or not need.contact_phone:
        return None
    try:
        phone = normalize_phone(need.contact_phone)
    except WusheError:
        return None

    def on_use() -> None:
        # Logged like a staff member's unmasked view of the phone, with the purpose.
        audit.record(actor=None, action=NeedsAction.NEED_UNMASKED, target=need,
                     label=need.tracking_code,
                     data={"field": "contact_phone", "purpose": "notification"})

    return Address(value=phone, phone_bidx=need.contact_phone_bidx or blind_index(phone),
                   on_use=on_use)


def send_code(*, need: Need, number: int, code: str) -> None:
    """The confirmation code (urgent: it is valid only 10 minutes). Call in the transaction."""
    notify_address(resolver=RESOLVER, ref=need.pk, kind=KIND_CODE,
                   key=f"needs.code:{need.pk}:{number}",
                   text=code_text(code=code, tracking_code=need.tracking_code), urgent=True)


@on_step
def need_stepped(need_id: int, action: str, from_state: str, to_state: str) -> None:
    """After a committed step: one SMS per confirmed subscriber of the need (and of the needs
    merged into it, whose tracking page shows this one). Unconfirmed: nothing."""
    if from_state == to_state or action == Action.RATE:  # the resident rated it themselves
        return
    subs = list(NeedSubscription.objects
                .filter(Q(need_id=need_id) | Q(need__merged_into_id=need_id),
                        confirmed_at__isnull=False)
                .select_related("need").only("id", "need__id", "need__tracking_code"))
    if not subs:
        return
    event_id = (NeedEvent.objects.unscoped(reason="hook: the calling service authorised it")
                .filter(need_id=need_id, action=action, to_state=to_state)
                .order_by("-id").values_list("pk", flat=True).first())
    urgent = not settings.WUSHE_NEEDS_SMS_QUIET_HOURS
    with transaction.atomic():
        for sub in subs:
            notify_address(resolver=RESOLVER, ref=sub.need.pk, kind=KIND_STATE,
                           key=f"needs.state:{sub.need.pk}:{event_id or to_state}",
                           text=state_text(tracking_code=sub.need.tracking_code,
                                           state=to_state),
                           urgent=urgent)


# --- a resident supporting an idea (自治金点子) --------------------------------------------------

SUPPORT_RESOLVER = "needs.supporter"
KIND_SUPPORT_CODE = "needs.idea.support_code"
SUPPORT_CODE_TEXT = "【五社联动】验证码 {code},用于支持自治金点子 {idea},10分钟内有效。"
one_time_secret(KIND_SUPPORT_CODE, r"验证码 (\d{6})")


@resolver(SUPPORT_RESOLVER)
def idea_supporter(ref: int) -> Address | None:
    """The supporter's phone, only while the support waits for its code (blanked after)."""
    from wushe.needs.models import IdeaSupport

    sup = (IdeaSupport.objects.filter(pk=ref, confirmed_at__isnull=True)
           .only("id", "phone", "phone_bidx").first())
    if sup is None or not sup.phone:
        return None
    try:
        phone = normalize_phone(sup.phone)
    except WusheError:
        return None
    return Address(value=phone, phone_bidx=sup.phone_bidx)


def send_support_code(*, support_id: int, number: int, code: str, idea_code: str) -> None:
    notify_address(resolver=SUPPORT_RESOLVER, ref=support_id, kind=KIND_SUPPORT_CODE,
                   key=f"needs.support:{support_id}:{number}",
                   text=SUPPORT_CODE_TEXT.format(code=code, idea=idea_code), urgent=True)
