"""The second factor (等保 2.0 level 3, 身份鉴别 "双因素认证"): TOTP with single-use recovery codes.

Which accounts need it is a setting (``WUSHE_OTP_ROLES``) read against the account's grants;
superusers and staff (the back office) need it too, and an account that enrolled of its own
accord is asked for its code as well. The devices are django-otp's: one ``TOTPDevice`` (the
authenticator app) and one ``StaticDevice`` holding the ten recovery codes. Every write here is
a service and audited; a failed check is committed (audited, throttled) even though it raises.
"""

from __future__ import annotations

import re
import unicodedata
from base64 import b32encode
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.accounts import scope
from wushe.accounts.credentials import end_access
from wushe.accounts.models import User
from wushe.accounts.scope import home_path
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.core.scoping import scopes_disabled
from wushe.core.services import service

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
# The name of the authenticators the demo generator enrols (their secrets are in the demo's
# login sheet); `wushe otp` prints codes for these only.
DEMO_DEVICE_NAME = "wushe-demo"
RECOVERY_NAME = "recovery"
RESET_PERMS = ("security.manage", "accounts.manage")

_TOTP_RE = re.compile(r"\d{6}")
_RECOVERY_RE = re.compile(r"[a-z2-7]{8}")


class OtpRequired(WusheError):
    status = 401
    code = "otp_required"


class OtpInvalid(WusheError):
    status = 401
    code = "otp_invalid"


class OtpEnrolmentRequired(WusheError):
    status = 401
    code = "otp_enrolment_required"


def otp_required_error() -> OtpRequired:
    return OtpRequired("此账号须输入动态验证码(otp)", "This account needs a one-time code (otp)")


def otp_invalid_error() -> OtpInvalid:
    return OtpInvalid("动态验证码或恢复码错误", "Wrong one-time code or recovery code")


def otp_enrolment_error() -> OtpEnrolmentRequired:
    return OtpEnrolmentRequired(
        "此账号须先在网页登录时绑定动态验证码(双因素认证)",
        "This account must first set up its one-time codes by signing in on the web page")


# --- reads ------------------------------------------------------------------------------------

def otp_required(user: Any) -> bool:
    """Whether the account's grants (or superuser/staff status) call for a second factor."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return bool(scope.roles(user) & set(settings.WUSHE_OTP_ROLES))


def totp_device(user: Any) -> TOTPDevice | None:
    """The account's confirmed authenticator, if it has one."""
    with scopes_disabled():
        return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-pk").first()


def otp_needed_at_login(user: Any) -> bool:
    """Required by role, or enrolled of the account's own accord: either way the code is asked."""
    return otp_required(user) or totp_device(user) is not None


def recovery_codes_left(user: Any) -> int:
    with scopes_disabled():
        left: int = StaticToken.objects.filter(device__user_id=user.pk,
                                               device__confirmed=True).count()
    return left


def otpauth_uri(device: TOTPDevice) -> str:
    return str(device.config_url)


def secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii")


def secret_grouped(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    secret = secret_base32(device)
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalise_code(raw: str) -> str:
    """Full-width digits fold to ASCII (NFKC); spaces and hyphens go; letters are lower-cased."""
    text = unicodedata.normalize("NFKC", raw or "")[:64]
    return re.sub(r"[\s\-]", "", text).lower()


# --- writes -----------------------------------------------------------------------------------

@service
def otp_enrol_start(*, actor: User) -> TOTPDevice:
    """An unconfirmed authenticator for ``actor``: the one already started, or a new one.

    Reloading the enrolment page shows the same secret; only a confirmed device counts.
    """
    device = (TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("-pk").first())
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_NAME, confirmed=False)
        audit.record(actor=actor, action=Action.OTP_ENROL_STARTED, target=actor,
                     region_path=home_path(actor), data={"device": device.pk})
    return device


def otp_enrol_confirm(*, actor: User, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the started authenticator with a current code; it replaces any earlier one, and
    ten new recovery codes replace the old ones. The codes are returned once, never again."""
    outcome: tuple[TOTPDevice, list[str]] | WusheError
    with transaction.atomic(), scopes_disabled():
        device = (TOTPDevice.objects.select_for_update()
                  .filter(pk=device_id, user=actor, confirmed=False).first())
        if device is None:
            raise NotFound()
        code = normalise_code(code)
        if _TOTP_RE.fullmatch(code) and device.verify_token(code):
            TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
            StaticDevice.objects.filter(user=actor).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            static = StaticDevice.objects.create(user=actor, name=RECOVERY_NAME, confirmed=True)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
            audit.record(actor=actor, action=Action.OTP_ENROLLED, target=actor,
                         region_path=home_path(actor),
                         data={"device": device.pk, "recovery_codes": RECOVERY_CODES})
            outcome = (device, codes)
        else:
            audit.record(actor=actor, action=Action.OTP_FAILED, target=actor,
                         region_path=home_path(actor), data={"step": "enrol"})
            outcome = otp_invalid_error()
    if isinstance(outcome, WusheError):
        raise outcome
    return outcome


def otp_verify(*, user: User, code: str, step: str = "login") -> Device:
    """Check a six-digit code or a recovery code; a recovery code is used up.

    A wrong code is audited and counted by django-otp's throttle (each failure doubles the wait
    before the device accepts the next try), committed even though the call raises.
    """
    outcome: Device | WusheError
    with transaction.atomic(), scopes_disabled():
        code = normalise_code(code)
        device: Device | None = None
        data: dict[str, Any] = {"step": step}
        if _TOTP_RE.fullmatch(code):
            totp = (TOTPDevice.objects.select_for_update()
                    .filter(user=user, confirmed=True).order_by("-pk").first())
            if totp is not None and totp.verify_token(code):
                device = totp
        elif _RECOVERY_RE.fullmatch(code):
            static = (StaticDevice.objects.select_for_update()
                      .filter(user=user, confirmed=True).first())
            if static is not None and static.verify_token(code):
                device = static
                data["left"] = static.token_set.count()
        if device is None:
            audit.record(actor=user, action=Action.OTP_FAILED, target=user,
                         region_path=home_path(user), data=data)
            outcome = otp_invalid_error()
        else:
            action = (Action.OTP_RECOVERY_USED if isinstance(device, StaticDevice)
                      else Action.OTP_VERIFIED)
            audit.record(actor=user, action=action, target=user,
                         region_path=home_path(user), data=data)
            outcome = device
    if isinstance(outcome, WusheError):
        raise outcome
    return outcome


def otp_reset_target(*, actor: Actor, username: str) -> User:
    """The account whose second factor ``actor`` may reset; outside scope it does not exist.

    The actor must hold ``security.manage`` or ``accounts.manage`` over every region the account
    has a grant in; an account without grants (a superuser) only a superuser may reset.
    """
    with scopes_disabled():
        user = User.objects.filter(username=username[:150]).first()
    if user is None:
        raise NotFound("账号不存在", "Account not found")
    if scope.is_superuser(actor):
        return user
    paths = {p for _role, p in scope._grants(user)}
    if not paths or not all(any(scope.covers(actor, perm, p) for perm in RESET_PERMS)
                            for p in paths):
        raise NotFound("账号不存在", "Account not found")
    return user


@service
def otp_reset(*, actor: User, user: User) -> int:
    """Remove another account's authenticator and recovery codes (a lost phone); the account
    enrols again at its next login. Never one's own: another administrator must do it."""
    target = otp_reset_target(actor=actor, username=user.username)
    if target.pk == actor.pk:
        raise PermissionDenied("不能重置自己的双因素认证,请联系另一位管理员",
                               "You may not reset your own second factor; ask another "
                               "administrator")
    devices = [TOTPDevice.objects.filter(user=target), StaticDevice.objects.filter(user=target)]
    removed: int = sum(qs.count() for qs in devices)
    for qs in devices:
        qs.delete()
    # A lost phone may have gone with an open session: those end too, and the tokens.
    revoked = end_access(target)
    audit.record(actor=actor, action=Action.OTP_RESET, target=target,
                 region_path=home_path(target), label=target.username,
                 data={"user": target.username, "devices_removed": removed,
                       "tokens_revoked": revoked})
    return removed


def token_second_factor(*, user: User, code: str | None) -> None:
    """The token endpoint's check after the password: refuse an account that needs a code
    without a right one (a recovery code works too)."""
    if not otp_needed_at_login(user):
        return
    if totp_device(user) is None:
        raise otp_enrolment_error()
    if not (code or "").strip():
        raise otp_required_error()
    otp_verify(user=user, code=code or "", step="api")
