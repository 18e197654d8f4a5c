from __future__ import annotations

import hashlib
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from wushe.accounts.roles import Role
from wushe.core.scoping import ScopedManager


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Part of the session hash: raising it ends every session of the account at once ("sign out
    # everywhere", a disabled account). Login locks live in the shared cache, per (username,
    # address): login.login_counter_keys.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("reason disabled"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash over the password hash, plus the generation once it is raised (0 keeps
        # every existing session valid across the upgrade).
        value = self.password if not self.session_generation else (
            f"{self.password}:{self.session_generation}")
        return salted_hmac("django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
                           value, secret=secret, algorithm="sha256").hexdigest()


class PasswordHistory(models.Model):
    """Hashes of an account's earlier passwords, so a new one cannot repeat the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class RoleGrant(models.Model):
    """(role, region): the user may act in that role over the region's subtree."""

    scope_path_field: ClassVar[str] = "region_path"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    # Object grants: an org_staff's organisation, a team_leader's team (and its subtree), a
    # fund_manager's fund. They add to the region grant, see accounts/scope.py.
    org = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("organisation"),
                            on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    team = models.ForeignKey("volunteers.Team", verbose_name=_("volunteer team"),
                             on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    fund = models.ForeignKey("charity.Fund", verbose_name=_("fund"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region"], name="grant_unique",
                condition=models.Q(org=None, team=None, fund=None)),
            models.UniqueConstraint(fields=["user", "role", "org"], name="grant_unique_org"),
            models.UniqueConstraint(fields=["user", "role", "team"], name="grant_unique_team"),
            models.UniqueConstraint(fields=["user", "role", "fund"], name="grant_unique_fund")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_path}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; it expires and can be revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ExternalIdentity(models.Model):
    """An account's identity at an OpenID Connect provider (staff sign-on, accounts/oidc.py):
    the provider's issuer and its subject for the person. Linked by an administrator (``wushe
    oidc link``), never made by a sign-in on its own; one per account and issuer."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique"),
            models.UniqueConstraint(fields=["user", "issuer"], name="external_identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.issuer}"
