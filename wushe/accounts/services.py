"""Writes of users, grants and tokens; the login attempt with lockout."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.models import ApiToken, RoleGrant, User
from wushe.accounts.roles import OBJECT_PERMISSIONS, Role
from wushe.audit import services as audit
from wushe.audit.codes import Action
from wushe.core.errors import (
    Conflict,
    PermissionDenied,
    Unauthenticated,
    ValidationFailed,
    WusheError,
)
from wushe.core.scoping import scopes_disabled
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.regions.models import Region

TOKEN_PREFIX = "wst_"


def _home_path(user: User) -> str:
    paths = sorted(p for _, p in scope._grants(user))
    return paths[0] if paths else ""


class LoginLocked(WusheError):
    status = 423
    code = "account_locked"


def _locked(minutes: int) -> WusheError:
    return LoginLocked(f"登录失败次数过多,账号已锁定,请{minutes}分钟后再试",
                       f"Too many failed logins; the account is locked for {minutes} more minute(s)")


def _invalid() -> WusheError:
    return Unauthenticated("用户名或密码错误", "Wrong username or password", code="invalid_credentials")


def user_authenticate(*, username: str, password: str) -> User:
    """One login attempt. Failures are counted (and committed) even though the call raises."""
    outcome: User | WusheError
    with transaction.atomic(), scopes_disabled():
        user = User.objects.select_for_update().filter(username=username).first()
        now = timezone.now()
        if user is None or not user.is_active:
            audit.record(actor=None, action=Action.USER_LOGIN_FAILED,
                         data={"username": username[:150], "reason": "unknown_user"})
            outcome = _invalid()
        elif user.is_locked():
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)  # type: ignore[operator]
            audit.record(actor=user, action=Action.USER_LOGIN_FAILED, target=user,
                         region_path=_home_path(user), data={"reason": "locked"})
            outcome = _locked(minutes)
        elif not user.check_password(password):
            user.failed_logins += 1
            fields = ["failed_logins"]
            outcome = _invalid()
            if user.failed_logins >= settings.WUSHE_LOCKOUT_FAILURES:
                minutes = settings.WUSHE_LOCKOUT_MINUTES
                user.locked_until = now + dt.timedelta(minutes=minutes)
                user.failed_logins = 0
                fields.append("locked_until")
                audit.record(actor=user, action=Action.USER_LOCKED, target=user,
                             region_path=_home_path(user), data={"minutes": minutes})
                # Say so on the attempt that locks, not only on the next one.
                outcome = _locked(minutes)
            user.save(update_fields=fields)
            audit.record(actor=user, action=Action.USER_LOGIN_FAILED, target=user,
                         region_path=_home_path(user), data={"reason": "bad_password"})
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login = now
            user.save(update_fields=["failed_logins", "locked_until", "last_login"])
            audit.record(actor=user, action=Action.USER_LOGIN, target=user,
                         region_path=_home_path(user))
            outcome = user
    if isinstance(outcome, WusheError):
        raise outcome
    return outcome


def _clean_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed("密码不符合要求:" + ";".join(exc.messages),
                               "The password does not meet the policy: " + "; ".join(exc.messages),
                               code="weak_password", field="password") from None


@service
def user_create(
    *, actor: Any, username: str, password: str, display_name: str = "",
    grants: list[tuple[str, Region]] | None = None, is_superuser: bool = False,
    check_password: bool = True,
) -> User:
    """Create a user with its grants; the actor must manage accounts over every grant region."""
    # actor=None is the system itself (the CLI and the demo generator), never a web request.
    if actor is not None and not scope.is_superuser(actor):
        if is_superuser or not grants:
            raise PermissionDenied()
        for _role, region in grants:
            scope.require(actor, "accounts.manage", region, view_perm="regions.view")
    username = clean_text(username, field="username", label_zh="用户名", label_en="Username",
                          max_length=150, required=True)
    if User.objects.filter(username=username).exists():
        raise Conflict("用户名已存在", "This username is taken", field="username")
    user = User(username=username, display_name=clean_text(
        display_name, field="display_name", label_zh="姓名", label_en="Display name", max_length=60),
        is_superuser=is_superuser, is_staff=is_superuser)
    if check_password:
        _clean_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    for role, region in grants or []:
        if role not in Role.values:
            raise ValidationFailed("角色无效", "Unknown role", field="role")
        RoleGrant.objects.create(user=user, role=role, region=region, region_path=region.path)
    audit.record(actor=actor, action=Action.USER_CREATED, target=user,
                 region_path=grants[0][1].path if grants else "", label=username,
                 data={"grants": [[r, reg.code] for r, reg in grants or []]})
    return user


@service
def grant_add(*, actor: Any, user: User, role: str, region: Region, org: Any = None,
              team: Any = None, fund: Any = None) -> RoleGrant:
    """Grant a role over a region, optionally with its object (organisation, team or fund)."""
    if actor is not None:
        scope.require(actor, "accounts.manage", region, view_perm="regions.view")
    if role not in Role.values:
        raise ValidationFailed("角色无效", "Unknown role", field="role")
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
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, region=region, **obj, defaults={"region_path": region.path})
    if created:
        audit.record(actor=actor, action=Action.GRANT_CREATED, target=grant,
                     data={"user": user.username, "role": role, "region": region.code,
                           **{k: v.pk for k, v in obj.items() if v is not None}})
    scope.forget(user)
    return grant


@service
def grant_revoke(*, actor: Any, grant: RoleGrant) -> None:
    scope.require(actor, "accounts.manage", grant, view_perm="regions.view")
    audit.record(actor=actor, action=Action.GRANT_REVOKED, target=grant,
                 data={"user": grant.user.username, "role": grant.role,
                       "region": grant.region_path})
    RoleGrant.objects.filter(pk=grant.pk).delete()


@service
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise ValidationFailed("原密码错误", "The current password is wrong", field="old_password")
    _clean_password(new_password, actor)
    actor.set_password(new_password)
    actor.password_changed_at = timezone.now()
    actor.save(update_fields=["password", "password_changed_at"])
    audit.record(actor=actor, action=Action.USER_PASSWORD_CHANGED, target=actor,
                 region_path=_home_path(actor))


@service
def token_create(*, actor: User) -> tuple[str, ApiToken]:
    """A new bearer token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, prefix=raw[:12], key_hash=ApiToken.hash(raw),
        expires_at=timezone.now() + dt.timedelta(hours=settings.WUSHE_TOKEN_TTL_HOURS),
    )
    audit.record(actor=actor, action=Action.TOKEN_CREATED, target=token,
                 region_path=_home_path(actor), data={"prefix": token.prefix})
    return raw, token


@service
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk and not scope.is_superuser(actor):
        raise PermissionDenied()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=Action.TOKEN_REVOKED, target=token,
                     region_path=_home_path(actor), data={"prefix": token.prefix})


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
    with transaction.atomic():
        audit.record(actor=actor, action=Action.USER_LOGOUT, target=actor,
                     region_path=_home_path(actor))
