"""QR check-in (#21 item 4): a rotating code per activity that a volunteer's phone scans.

The code is ``<activity id>.<window>.<mac>``: ``window`` counts ``WUSHE_CHECKIN_QR_SECONDS``
(default 180) since the epoch, ``mac`` is an HMAC-SHA256 (Django's ``salted_hmac`` under
``SECRET_KEY``, salted for this purpose only) over the activity id and the window, cut to 128
bits. A code is good in its own window and the one after it, so a code read just before the
screen changes still works; an older one is "expired", anything else "not valid". The code
carries no personal data, only the activity's row id, and is no credential on its own: the
volunteer must be signed in, and signed up for the activity (the rule of the leader's check-in).

The writes (``services.activities.signup_qr_check_in`` and ``signup_qr_check_out``) run the
leader's check-in and check-out bodies, so a check-out by QR makes the same pending record as the
leader's.
"""

from __future__ import annotations

import base64
import hmac
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from wushe.core.errors import IllegalTransition, NotFound, ValidationFailed
from wushe.volunteers import access
from wushe.volunteers.models import Activity, SignUp, SignUpStatus

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

DEFAULT_SECONDS = 180
MIN_SECONDS = 30
SALT = "wushe.volunteers.checkin.v1"
MAX_CODE_LENGTH = 64
# ASCII digits only ([0-9], not \d, which takes any script's digits), a fixed-length MAC.
_CODE = re.compile(r"([0-9]{1,12})\.([0-9]{1,12})\.([A-Za-z0-9_-]{22})", re.ASCII)
VIA = "qr"


def window_seconds() -> int:
    try:
        seconds = int(getattr(settings, "WUSHE_CHECKIN_QR_SECONDS", DEFAULT_SECONDS))
    except (TypeError, ValueError):
        seconds = DEFAULT_SECONDS
    return max(MIN_SECONDS, seconds)


def current_window(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // window_seconds())


def _mac(activity_id: int, window: int) -> str:
    digest = salted_hmac(SALT, f"{activity_id}:{window}", algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def code_for(activity_id: int, *, window: int | None = None) -> str:
    w = current_window() if window is None else window
    return f"{activity_id}.{w}.{_mac(activity_id, w)}"


def checkin_path(activity_id: int, *, window: int | None = None) -> str:
    return reverse("checkin:page", args=[code_for(activity_id, window=window)])


class CodeInvalid(ValidationFailed):
    code = "checkin_code_invalid"

    def __init__(self) -> None:
        super().__init__("签到二维码无效,请扫描活动现场显示的二维码",
                         "This check-in code is not valid; scan the code shown at the activity")


class CodeExpired(ValidationFailed):
    code = "checkin_code_expired"

    def __init__(self) -> None:
        super().__init__("签到二维码已过期,请扫描现场最新显示的二维码",
                         "This check-in code has expired; scan the code shown now")


@dataclass(frozen=True)
class Code:
    activity_id: int
    window: int


def parse(raw: object, *, now: float | None = None) -> Code:
    """The activity a code names, or CodeInvalid / CodeExpired. Nothing is read or written."""
    text = raw if isinstance(raw, str) else ""
    match = _CODE.fullmatch(text) if len(text) <= MAX_CODE_LENGTH else None
    if match is None:
        raise CodeInvalid()
    activity_id, window, mac = int(match[1]), int(match[2]), match[3]
    if not hmac.compare_digest(_mac(activity_id, window), mac):
        raise CodeInvalid()
    current = current_window(now)
    if window > current:  # a code from the future was never shown
        raise CodeInvalid()
    if window < current - 1:
        raise CodeExpired()
    return Code(activity_id, window)


def my_signup(actor: Actor, code: Code) -> tuple[Activity, SignUp]:
    """The activity of a valid code and the actor's own sign-up for it (locked)."""
    own = access.own_volunteer_id(actor)
    if own is None:
        raise NotFound("您的账号未关联志愿者", "Your account is not linked to a volunteer")
    activity = Activity.objects.unscoped(reason="checkin: the signed code names the activity").filter(pk=code.activity_id).first()
    if activity is None:
        raise CodeInvalid()
    signup = (SignUp.objects.unscoped(reason="own: the actor's own volunteer record").select_for_update()
              .filter(activity=activity, volunteer_id=own).first())
    if signup is None or signup.status == SignUpStatus.CANCELLED:
        # The leader's check-in takes only a sign-up: nobody is checked in who did not sign up.
        raise IllegalTransition("您未报名该活动,不能签到", "You are not signed up for this activity",
                                code="not_signed_up")
    return activity, signup


def checkin_state(*, actor: Actor, raw_code: object) -> tuple[Activity, SignUp]:
    """Read side of the check-in page: the activity and the actor's own sign-up."""
    code = parse(raw_code)
    own = access.own_volunteer_id(actor)
    if own is None:
        raise NotFound("您的账号未关联志愿者", "Your account is not linked to a volunteer")
    activity = Activity.objects.unscoped(reason="checkin: the signed code names the activity").select_related("team").filter(
        pk=code.activity_id).first()
    if activity is None:
        raise CodeInvalid()
    signup = SignUp.objects.unscoped(reason="own: the actor's own volunteer record").filter(activity=activity, volunteer_id=own).first()
    if signup is None or signup.status == SignUpStatus.CANCELLED:
        raise IllegalTransition("您未报名该活动,不能签到", "You are not signed up for this activity",
                                code="not_signed_up")
    return activity, signup
