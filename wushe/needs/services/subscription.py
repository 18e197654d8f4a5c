"""A resident's SMS subscription (issue #17): opt in at intake, prove the phone with a code,
ask for another code. No account: the tracking code is the key, as for tracking and rating."""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.crypto import salted_hmac

from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, WusheError
from wushe.core.services import service
from wushe.needs import notify
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.codes import normalize_code
from wushe.needs.models import Need, NeedSubscription
from wushe.needs.models.subscription import (
    CODE_RESEND_SECONDS,
    CODE_VALID_SECONDS,
    CODES_MAX,
    TRIES_MAX,
)
from wushe.needs.services._smscode import check_code, clean_sms_code


def _hash(need_id: int, code: str) -> str:
    return salted_hmac("wushe.needs.sms_code", f"{need_id}:{code}", algorithm="sha256").hexdigest()


def _issue_code(sub: NeedSubscription, need: Need) -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    sub.sends += 1
    sub.code_hash = _hash(need.pk, code)
    sub.code_sent_at = timezone.now()
    sub.save(update_fields=["sends", "code_hash", "code_sent_at"])
    notify.send_code(need=need, number=sub.sends, code=code)
    audit.record(actor=None, action=NeedsAction.SMS_CODE_SENT, target=need,
                 label=need.tracking_code, data={"number": sub.sends})


@service
def subscription_start(*, need: Need) -> NeedSubscription:
    """Opt in at intake (inside need_submit_public's transaction): the first code is sent."""
    sub = NeedSubscription.objects.create(need=need)
    _issue_code(sub, need)
    return sub


def _subscription(tracking_code: object) -> tuple[Need, NeedSubscription]:
    code = normalize_code(tracking_code)
    need = (Need.objects.unscoped(reason="public: a tracking code, nothing personal")
            .filter(tracking_code=code).first())
    if need is None:
        raise NotFound("查询码不存在", "No request has this tracking code")
    sub = NeedSubscription.objects.select_for_update().filter(need=need).first()
    if sub is None:
        raise NotFound("该诉求未订阅进度短信", "No SMS updates were asked for this request",
                       code="no_subscription")
    return need, sub


def _locked() -> Conflict:
    return Conflict("验证码错误次数过多,短信通知已锁定;您仍可凭查询码查看进度",
                    "Too many wrong codes: SMS updates are locked. You can still follow the "
                    "request with its tracking code", code="sms_locked", field="code")


def _refuse_locked(sub: NeedSubscription) -> None:
    if sub.locked:
        raise _locked()


@service
def need_sms_code_resend(*, tracking_code: object) -> NeedSubscription:
    """Another code: at most CODES_MAX a need, one a minute; not once confirmed or locked."""
    need, sub = _subscription(tracking_code)
    if sub.confirmed:
        raise Conflict("手机号已验证,无需再发验证码", "The phone is already confirmed",
                       code="sms_already_confirmed")
    _refuse_locked(sub)
    if sub.sends >= CODES_MAX:
        raise Conflict(f"验证码最多发送{CODES_MAX}次", f"At most {CODES_MAX} codes are sent",
                       code="sms_code_limit")
    if sub.code_sent_at is not None:
        wait = CODE_RESEND_SECONDS - (timezone.now() - sub.code_sent_at).total_seconds()
        if wait > 0:
            raise Conflict(f"请{int(wait) + 1}秒后再获取验证码",
                           f"Wait {int(wait) + 1} seconds before asking for another code",
                           code="sms_code_too_soon")
    _issue_code(sub, need)
    return sub




@service
def need_sms_code_check(*, tracking_code: object,
                        code: object) -> tuple[NeedSubscription, WusheError | None]:
    """The resident proves the phone. Right: confirmed. Wrong: the try is counted and the
    refusal returned, not raised, so this transaction commits it (``needs.confirm.
    need_sms_confirm`` raises it after); TRIES_MAX wrong codes lock the subscription. Expired:
    refused, no try counted, a new code may be asked for. A malformed code changes nothing."""
    digits = clean_sms_code(code)
    need, sub = _subscription(tracking_code)
    if sub.confirmed:
        return sub, None
    _refuse_locked(sub)

    def wrong(tries: int) -> None:
        audit.record(actor=None, action=NeedsAction.SMS_CODE_WRONG, target=need,
                     label=need.tracking_code, data={"tries": tries})

    def lock() -> WusheError:
        audit.record(actor=None, action=NeedsAction.SMS_LOCKED, target=need,
                     label=need.tracking_code)
        return _locked()

    refusal = check_code(sub, _hash(need.pk, digits), valid_seconds=CODE_VALID_SECONDS,
                         tries_max=TRIES_MAX, record_wrong=wrong, locked=lock)
    if refusal is None:
        sub.confirmed_at = timezone.now()
        sub.save(update_fields=["confirmed_at"])
        audit.record(actor=None, action=NeedsAction.SMS_CONFIRMED, target=need,
                     label=need.tracking_code)
    return sub, refusal

