from __future__ import annotations

import hashlib
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.accounts.roles import Role
from wushe.core.scoping import ScopedManager


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("consecutive failed logins"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())


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
