"""Writes of users, grants and tokens; the login attempt with lockout."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from wushe.accounts import scope
from wushe.accounts.models import ApiToken, PasswordHistory, RoleGrant, User
from wushe.accounts.roles import ADMIN_ROLES, OBJECT_PERMISSIONS, Role
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.context import current_ip
from wushe.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
    WusheError,
)
from wushe.core.scoping import scopes_disabled
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor, MaybeActor

TOKEN_PREFIX = "wst_"


def home_path(user: Actor) -> str:
    """The account's first grant region (where its own audit events are filed)."""
    paths = sorted(p for _, p in scope._grants(user))
    return paths[0] if paths else ""


class LoginLocked(WusheError):
    status = 423
    code = "account_locked"


class LoginThrottled(WusheError):
    status = 429
    code = "login_throttled"


class SuperuserRetired(WusheError):
    status = 403
    code = "superuser_install_only"


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


def _revoke_tokens(user: User, now: dt.datetime) -> int:
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)


def end_access(user: User) -> int:
    """End every session (the generation in the session hash) and API token of the account at
    once; returns the number of tokens revoked. Part of the caller's transaction and audit."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    return _revoke_tokens(user, timezone.now())


def _admins_in_place() -> bool:
    """True once an active account holds each of the three administrator roles."""
    held = set(RoleGrant.objects.unscoped(reason="guard: separation of duties, no row shown").filter(role__in=ADMIN_ROLES, user__is_active=True)
               .values_list("role", flat=True).distinct())
    return held == set(ADMIN_ROLES)


def user_authenticate(*, username: str, password: str, address: str | None = None,
                      web: bool = False) -> User:
    """One login attempt from ``address``; failures are committed even though the call raises.

    The same work and the same answer whether or not the username exists, locked pairs included.
    ``web``: the sign-in page, where roles in WUSHE_PASSWORD_LOGIN_DISABLED_ROLES are sent to
    the identity provider (after a right password only, so the refusal tells nothing more).
    """
    from wushe.accounts import oidc
    # The request's client address (set by core.middleware) unless the caller names one.
    address = (address if address is not None else current_ip.get() or "")[:45]
    keys = login_counter_keys(_username_key(username), address)
    outcome: User | WusheError
    with transaction.atomic(), scopes_disabled():
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
                revoked = _revoke_tokens(known, now) if known else 0
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
    if isinstance(outcome, WusheError):
        raise outcome
    return outcome


def password_expired(user: User) -> bool:
    """Older than the policy's maximum age (counted from the account's creation if never set)."""
    days = settings.WUSHE_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.is_authenticated:
        return False
    since = user.password_changed_at or user.date_joined
    if timezone.now() - since <= dt.timedelta(days=days):
        return False
    # An account that signs in through the identity provider only has no password to renew.
    from wushe.accounts import oidc

    return not oidc.password_login_disabled(user)


def _clean_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed("密码不符合要求:" + ";".join(exc.messages),
                               "The password does not meet the policy: " + "; ".join(exc.messages),
                               code="weak_password", field="password") from None


def _clean_history(password: str, user: User) -> None:
    """A new password may not repeat any of the last WUSHE_PASSWORD_HISTORY (the current one
    included)."""
    keep = settings.WUSHE_PASSWORD_HISTORY
    if keep <= 0 or not user.pk:
        return
    earlier = [user.password, *PasswordHistory.objects.filter(user=user)
               .values_list("password", flat=True)[:keep - 1]]
    if any(h and check_password(password, h) for h in earlier):
        raise ValidationFailed(f"新密码不能与最近{keep}次使用过的密码相同",
                               f"The new password may not repeat any of the last {keep}",
                               code="password_reused", field="new_password")


def _set_password(user: User, password: str) -> None:
    """Set the password, keeping the old hash in the history (trimmed to the policy's length)."""
    if user.pk and user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            max(settings.WUSHE_PASSWORD_HISTORY, 1):]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(password)
    user.password_changed_at = timezone.now()


def _check_grant(actor: MaybeActor, user: User, role: str, region: Region) -> None:
    """Who may grant what (三员分立): an administrator role only by a security administrator (or
    the system at installation), never to oneself, never beside another administrator role."""
    if role not in Role.values:
        raise ValidationFailed("角色无效", "Unknown role", field="role")
    if actor is not None:
        if role in ADMIN_ROLES:
            scope.require(actor, "grants.manage", region, view_perm="regions.view")
        elif not scope.covers(actor, "grants.manage", region.path):
            scope.require(actor, "accounts.manage", region, view_perm="regions.view")
        if user.pk is not None and user.pk == getattr(actor, "pk", None) and role in ADMIN_ROLES:
            raise PermissionDenied("不能给自己授予管理员角色",
                                   "You may not grant yourself an administrator role")
    if role in ADMIN_ROLES and user.pk is not None:
        # Lock the account so two grants racing cannot both pass the check below.
        User.objects.select_for_update().filter(pk=user.pk).first()
        held = set(RoleGrant.objects.unscoped(reason="guard: separation of duties, no row shown").filter(user=user, role__in=ADMIN_ROLES)
                   .values_list("role", flat=True)) - {role}
        if held:
            raise Conflict("系统、安全、审计管理员须由不同账号担任(三员分立)",
                           "The system, security and audit administrators must be different "
                           "accounts (separation of duties)", code="admin_roles_separated",
                           field="role")


def _sync_staff(user: User) -> None:
    """An administrator reaches the back office (Django's is_staff) while it holds the role."""
    staff = user.is_superuser or RoleGrant.objects.unscoped(reason="access: the account's own grants").filter(
        user=user, role__in=ADMIN_ROLES).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


@service
def user_create(
    *, actor: MaybeActor, username: str, password: str, display_name: str = "",
    grants: list[tuple[str, Region]] | None = None, is_superuser: bool = False,
    check_password: bool = True,
) -> User:
    """Create an account with its grants. The actor manages accounts (a system administrator
    or, for business accounts over their regions, a district administrator); each grant is
    checked as ``grant_add`` checks it."""
    # actor=None is the system itself (the CLI and the demo generator), never a web request.
    if actor is not None and not scope.is_superuser(actor):
        if is_superuser or not scope.has_perm(actor, "accounts.manage"):
            raise PermissionDenied()
    if len({r for r, _ in grants or [] if r in ADMIN_ROLES}) > 1:
        raise Conflict("系统、安全、审计管理员须由不同账号担任(三员分立)",
                       "The system, security and audit administrators must be different "
                       "accounts (separation of duties)", code="admin_roles_separated",
                       field="role")
    username = clean_text(username, field="username", label_zh="用户名", label_en="Username",
                          max_length=150, required=True)
    if User.objects.filter(username=username).exists():
        raise Conflict("用户名已存在", "This username is taken", field="username")
    user = User(username=username, display_name=clean_text(
        display_name, field="display_name", label_zh="姓名", label_en="Display name", max_length=60),
        is_superuser=is_superuser, is_staff=is_superuser)
    for role, region in grants or []:
        _check_grant(actor, user, role, region)
    if check_password:
        _clean_password(password, user)
    _set_password(user, password)
    user.save()
    for role, region in grants or []:
        RoleGrant.objects.create(user=user, role=role, region=region, region_path=region.path)
    _sync_staff(user)
    region_path = grants[0][1].path if grants else (home_path(actor) if actor else "")
    audit.record(actor=actor, action=Action.USER_CREATED, target=user,
                 region_path=region_path, label=username,
                 data={"grants": [[r, reg.code] for r, reg in grants or []]})
    return user


@service
def grant_add(*, actor: MaybeActor, user: User, role: str, region: Region, org: Any = None,
              team: Any = None, fund: Any = None) -> RoleGrant:
    """Grant a role over a region, optionally with its object (organisation, team or fund)."""
    _check_grant(actor, user, role, region)
    if not user.is_active:
        raise ValidationFailed("账号已停用", "The account is disabled", field="user")
    obj = {"org": org, "team": team, "fund": fund}
    given = {k for k, v in obj.items() if v is not None}
    expected = OBJECT_PERMISSIONS.get(role, ("", frozenset()))[0]
    if given - {expected}:
        raise ValidationFailed("该角色不能绑定此类对象", "This role cannot be bound to that object",
                               field="role")
    for value in obj.values():
        if value is not None and not getattr(value, "region_path", "").startswith(region.path):
            raise ValidationFailed("授权对象须在所授地区之内",
                                   "The granted object must lie inside the granted region",
                                   field="region")
    from wushe.accounts.otp import otp_required

    scope.forget(user)
    had_second_factor_role = otp_required(user)
    grant: RoleGrant
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, region=region, **obj, defaults={"region_path": region.path})
    if created:
        # A role that needs a second factor takes effect at the next sign-in, which will ask
        # for it: the account's current sessions end (its tokens were issued without a code).
        ended = (end_access(user) if role in settings.WUSHE_OTP_ROLES
                 and not had_second_factor_role else None)
        audit.record(actor=actor, action=Action.GRANT_CREATED, target=grant,
                     data={"user": user.username, "role": role, "region": region.code,
                           **{k: v.pk for k, v in obj.items() if v is not None},
                           **({"tokens_revoked": ended} if ended is not None else {})})
    _sync_staff(user)
    scope.forget(user)
    return grant


@service
def grant_revoke(*, actor: MaybeActor, grant: RoleGrant) -> None:
    perm = "grants.manage" if grant.role in ADMIN_ROLES else "accounts.manage"
    if actor is not None and not scope.covers(actor, "grants.manage", grant.region_path):
        scope.require(actor, perm, grant, view_perm="regions.view")
    audit.record(actor=actor, action=Action.GRANT_REVOKED, target=grant,
                 data={"user": grant.user.username, "role": grant.role,
                       "region": grant.region_path})
    RoleGrant.objects.filter(pk=grant.pk).delete()
    _sync_staff(grant.user)
    scope.forget(grant.user)


@service
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise ValidationFailed("原密码错误", "The current password is wrong", field="old_password")
    _clean_password(new_password, actor)
    _clean_history(new_password, actor)
    _set_password(actor, new_password)
    actor.save(update_fields=["password", "password_changed_at"])
    audit.record(actor=actor, action=Action.USER_PASSWORD_CHANGED, target=actor,
                 region_path=home_path(actor))


def _require_account_admin(actor: MaybeActor, user: User, perm: str) -> None:
    """The actor administers ``user``: ``perm`` (or accounts.manage) over one of its grants'
    regions, or the account has no grant and the actor holds ``perm`` anywhere. Outside that the
    account "does not exist"."""
    if actor is None or scope.is_superuser(actor):
        return
    paths = [p for _, p in scope._grants(user)]
    for code in (perm, "accounts.manage"):
        if (any(scope.covers(actor, code, p) for p in paths)
                or (not paths and scope.has_perm(actor, code))):
            return
    raise NotFound()


@service
def user_sign_out_everywhere(*, actor: User, user: User | None = None) -> int:
    """End every session and API token of the account (one's own, or as its administrator)."""
    target = user or actor
    if target.pk != actor.pk:
        _require_account_admin(actor, target, "security.manage")
    revoked = end_access(target)
    audit.record(actor=actor, action=Action.USER_SIGNED_OUT_EVERYWHERE, target=target,
                 region_path=home_path(target) or home_path(actor),
                 data={"tokens_revoked": revoked})
    return revoked


@service
def user_disable(*, actor: User | None, user: User, reason: str) -> User:
    """Disable an account (a person who leaves, or unused too long): its sessions, tokens and
    grants end at once; the account and its history stay."""
    if actor is not None:
        if user.pk == actor.pk:
            raise PermissionDenied("不能停用自己的账号", "You may not disable your own account")
        _require_account_admin(actor, user, "accounts.disable")
    reason = clean_text(reason, field="reason", label_zh="停用原因", label_en="Reason",
                        max_length=200, required=True)
    if not user.is_active:
        return user
    now = timezone.now()
    region = home_path(user) or (home_path(actor) if actor else "")
    grants = list(RoleGrant.objects.unscoped(reason="service: scope.require checked the actor").filter(user=user)
                  .values_list("role", "region_path"))
    RoleGrant.objects.unscoped(reason="service: scope.require checked the actor").filter(user=user).delete()
    revoked = end_access(user)
    User.objects.filter(pk=user.pk).update(
        is_active=False, is_staff=False, disabled_at=now, disabled_reason=reason)
    user.refresh_from_db()
    scope.forget(user)
    audit.record(actor=actor, action=Action.USER_DISABLED, target=user, region_path=region,
                 data={"reason": reason, "grants": [list(g) for g in grants],
                       "tokens_revoked": revoked})
    return user


def users_disable_dormant(*, now: dt.datetime | None = None) -> int:
    """Disable accounts unused for WUSHE_ACCOUNT_DORMANT_DAYS (never used: since creation)."""
    days = settings.WUSHE_ACCOUNT_DORMANT_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    dormant = User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login=None, date_joined__lt=cutoff))
    n = 0
    for user in dormant.iterator():
        user_disable(actor=None, user=user, reason=f"{days}天未使用 / unused for {days} days")
        n += 1
    return n


@service
def token_create(*, actor: User) -> tuple[str, ApiToken]:
    """A new bearer token; the raw value is returned once and never stored."""
    if password_expired(actor):
        raise PermissionDenied("密码已过期,请先在网页上修改密码",
                               "The password has expired; change it on the web first",
                               code="password_expired")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, prefix=raw[:12], key_hash=ApiToken.hash(raw),
        expires_at=timezone.now() + dt.timedelta(hours=settings.WUSHE_TOKEN_TTL_HOURS),
    )
    audit.record(actor=actor, action=Action.TOKEN_CREATED, target=token,
                 region_path=home_path(actor), data={"prefix": token.prefix})
    return raw, token


@service
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk and not scope.is_superuser(actor):
        _require_account_admin(actor, token.user, "security.manage")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=Action.TOKEN_REVOKED, target=token,
                     region_path=home_path(token.user) or home_path(actor),
                     data={"prefix": token.prefix})


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """Resolve a bearer token to its user, if active. A read, but on the auth path."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
    if token is None or not token.is_active() or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch last_used at most once a minute: a token used in a loop must not write every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def user_logged_out(*, actor: User) -> None:
    """Signing out in the browser also ends the account's API tokens: one person, one set of
    credentials, and a token must not outlive the sign-out that was meant to end access."""
    with transaction.atomic():
        revoked = _revoke_tokens(actor, timezone.now())
        audit.record(actor=actor, action=Action.USER_LOGOUT, target=actor,
                     region_path=home_path(actor), data={"tokens_revoked": revoked})
