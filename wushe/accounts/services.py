"""Writes of users, grants and tokens; the login attempt with lockout."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.credentials import TOKEN_PREFIX, end_access, revoke_tokens
from wushe.accounts.models import ApiToken, PasswordHistory, RoleGrant, User
from wushe.accounts.passwords import password_expired
from wushe.accounts.roles import ADMIN_ROLES, OBJECT_PERMISSIONS, Role
from wushe.accounts.scope import home_path
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    WusheError,
)
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

class SuperuserRetired(WusheError):
    status = 403
    code = "superuser_install_only"


def _admins_in_place() -> bool:
    """True once an active account holds each of the three administrator roles."""
    held = set(RoleGrant.objects.unscoped(reason="guard: separation of duties, no row shown").filter(role__in=ADMIN_ROLES, user__is_active=True)
               .values_list("role", flat=True).distinct())
    return held == set(ADMIN_ROLES)


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


@service
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


@service
def user_logged_out(*, actor: User) -> None:
    """Signing out in the browser also ends the account's API tokens: one person, one set of
    credentials, and a token must not outlive the sign-out that was meant to end access."""
    revoked = revoke_tokens(actor, timezone.now())
    audit.record(actor=actor, action=Action.USER_LOGOUT, target=actor,
                 region_path=home_path(actor), data={"tokens_revoked": revoked})
