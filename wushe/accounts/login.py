"""Signing in with a password: one attempt from an address, with the lockout of a (username,
address) pair and the throttle of an address. The attempt's writes (last_login, the audit
event) are a service committed whatever the outcome; a refusal is raised after the commit, so
a failure is counted and recorded even though the call raises."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wushe.accounts.credentials import revoke_tokens
from wushe.accounts.models import User
from wushe.accounts.scope import home_path
from wushe.accounts.services import SuperuserRetired, _admins_in_place
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.context import current_ip
from wushe.core.errors import Unauthenticated, WusheError
from wushe.core.services import service


class LoginLocked(WusheError):
    status = 423
    code = "account_locked"


class LoginThrottled(WusheError):
    status = 429
    code = "login_throttled"


def _locked(minutes: int) -> WusheError:
    return LoginLocked(f"登录失败次数过多,账号已锁定,请{minutes}分钟后再试",
                       f"Too many failed logins; the account is locked for {minutes} more minute(s)")


def _invalid() -> WusheError:
    return Unauthenticated("用户名或密码错误", "Wrong username or password", code="invalid_credentials")


def _username_key(username: str) -> str:
    return salted_hmac("wushe.accounts.LoginLock", username, algorithm="sha256").hexdigest()


# Hashing a password for a user who does not exist costs what checking a real one costs, so an
# unknown username cannot be told from a wrong password by the time the answer takes.
_DUMMY = User()


# Login counters live in the shared cache (core.cache: Redis or the cache's own SQLite file), so
# every server process counts the same failures and no import's write lock delays a login. A
# counter expires by itself: a pair's failures a day after its last failed attempt, a lock when
# it ends, an address's hourly window an hour after it opened.
PAIR_IDLE_SECONDS = 24 * 3600


def login_counter_keys(username_key: str, address: str) -> dict[str, str]:
    """The cache keys of one (username, address) pair and of the address: the pair's
    consecutive failures and lock end (epoch seconds), the address's failures in its window and
    the time of its last attempt. Keyed by the username's hash, never the username."""
    return {"failures": f"wushe:login:failures:{username_key}:{address}",
            "locked_until": f"wushe:login:locked:{username_key}:{address}",
            "address_failures": f"wushe:login:address:{address}",
            "address_last": f"wushe:login:address_last:{address}"}


def _count(key: str, timeout: int) -> int:
    """Add one to a counter, atomically across processes (``add`` opens it with the timeout)."""
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: start again
        cache.set(key, 1, timeout=timeout)
        return 1


def _throttle(keys: dict[str, str], now: float) -> None:
    """Past the address's hourly failure threshold, one attempt per slow period."""
    # The hour's window opens at the address's first attempt (as the row it replaces did).
    cache.add(keys["address_failures"], 0, timeout=3600)
    slow = settings.WUSHE_LOGIN_SLOW_SECONDS
    if int(cache.get(keys["address_failures"]) or 0) >= settings.WUSHE_LOGIN_ADDRESS_FAILURES:
        last = cache.get(keys["address_last"])
        wait = slow - int(now - last) if last is not None else 0
        if wait > 0:
            raise LoginThrottled(f"此地址登录失败过多,请{wait}秒后再试",
                                 f"Too many failed logins from this address; try again in {wait} s")
    cache.set(keys["address_last"], now, timeout=max(slow, 1))


def user_authenticate(*, username: str, password: str, address: str | None = None,
                      web: bool = False) -> User:
    """One login attempt from ``address``; failures are committed even though the call raises.

    The same work and the same answer whether or not the username exists, locked pairs included.
    ``web``: the sign-in page, where roles in WUSHE_PASSWORD_LOGIN_DISABLED_ROLES are sent to
    the identity provider (after a right password only, so the refusal tells nothing more).
    """
    # The request's client address (set by core.middleware) unless the caller names one.
    address = (address if address is not None else current_ip.get() or "")[:45]
    keys = login_counter_keys(_username_key(username), address)
    outcome = _attempt(username=username, password=password, address=address, keys=keys,
                       web=web)
    if isinstance(outcome, WusheError):
        raise outcome
    return outcome


@service
def _attempt(*, username: str, password: str, address: str, keys: dict[str, str],
             web: bool) -> User | WusheError:
    """The attempt's reads and writes, committed whatever the outcome (the caller raises a
    refusal after the commit): counters in the cache, last_login, the audit event."""
    from wushe.accounts import oidc

    outcome: User | WusheError
    now = timezone.now()
    stamp = now.timestamp()
    _throttle(keys, stamp)
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_active:
        password_ok = user.check_password(password)
    else:
        _DUMMY.set_password(password)
        password_ok = False
    known = user if user is not None and user.is_active else None
    region = home_path(known) if known else ""
    locked_until = cache.get(keys["locked_until"])
    if locked_until is not None and locked_until > stamp:
        minutes = max(1, int((locked_until - stamp) // 60) + 1)
        audit.record(actor=known, action=Action.USER_LOGIN_FAILED, target=known,
                     region_path=region, data={"reason": "locked", "address": address})
        outcome = _locked(minutes)
    elif not password_ok:
        failures = _count(keys["failures"], PAIR_IDLE_SECONDS)
        cache.touch(keys["failures"], PAIR_IDLE_SECONDS)  # a day after the last failure
        _count(keys["address_failures"], 3600)
        outcome = _invalid()
        if failures >= settings.WUSHE_LOCKOUT_FAILURES:
            minutes = settings.WUSHE_LOCKOUT_MINUTES
            cache.set(keys["locked_until"], stamp + minutes * 60, timeout=minutes * 60)
            cache.delete(keys["failures"])
            revoked = revoke_tokens(known, now) if known else 0
            audit.record(actor=known, action=Action.USER_LOCKED, target=known,
                         region_path=region, data={"minutes": minutes, "address": address,
                                                   "tokens_revoked": revoked})
            # Say so on the attempt that locks, not only on the next one.
            outcome = _locked(minutes)
        audit.record(actor=known, action=Action.USER_LOGIN_FAILED, target=known,
                     region_path=region,
                     data={"reason": "bad_password" if known else "unknown_user",
                           "address": address})
    elif (known is not None and known.is_superuser
          and settings.WUSHE_SUPERUSER_INSTALL_ONLY and _admins_in_place()):
        audit.record(actor=known, action=Action.USER_LOGIN_FAILED, target=known,
                     region_path=region, data={"reason": "superuser_retired",
                                               "address": address})
        outcome = SuperuserRetired(
            "系统已设立系统、安全、审计三名管理员,超级用户仅用于安装,不能登录",
            "The system, security and audit administrators are in place; the superuser is "
            "for installation only and cannot sign in")
    elif web and known is not None and oidc.password_login_disabled(known):
        cache.delete_many([keys["failures"], keys["locked_until"]])
        audit.record(actor=known, action=Action.USER_LOGIN_FAILED, target=known,
                     region_path=region, data={"reason": "password_disabled",
                                               "address": address})
        outcome = oidc.password_disabled()
    else:
        assert known is not None
        cache.delete_many([keys["failures"], keys["locked_until"]])
        known.last_login = now
        known.save(update_fields=["last_login"])
        audit.record(actor=known, action=Action.USER_LOGIN, target=known, region_path=region,
                     data={"address": address})
        outcome = known
    return outcome
