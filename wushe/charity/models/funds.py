"""Funds (专项基金 / 社区基金 / 募捐项目) and the management committee of a fund."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.people.names import EncryptedNameField


class FundKind(models.TextChoices):
    SPECIAL = "special", _("Special fund")
    COMMUNITY = "community", _("Community fund")
    PROJECT = "project", _("Fundraising project")


class FundStatus(models.TextChoices):
    DRAFT = "draft", _("Being set up")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class TargetGroup(models.TextChoices):
    ELDERLY = "elderly", _("Elderly")
    MINOR = "minor", _("Minors")
    HARDSHIP = "hardship", _("People in hardship")


class Fund(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=FundKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=FundStatus.choices,
                              default=FundStatus.DRAFT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    # The organisation the fund is set up under (慈善会, a foundation, a community committee).
    # The name is what receipts and disclosures print, and the platform may not hold the
    # organisation at all (a city charity federation); the link is set when it does.
    parent_org_name = models.CharField(_("parent organisation"), max_length=200)
    parent_org = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("parent organisation (registered)"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    purpose = models.TextField(_("purpose"), blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    # Need categories are free codes until the needs app owns a category table.
    need_categories = models.JSONField(_("need categories"), default=list, blank=True)
    cap_per_case = models.DecimalField(_("cap per case (yuan)"), null=True, blank=True, max_digits=14, decimal_places=2)
    second_approval_above = models.DecimalField(
        _("second approver needed above (yuan)"), max_digits=14, decimal_places=2)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["region_path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="fund_unique_name"),
            models.CheckConstraint(condition=Q(cap_per_case__isnull=True) | Q(cap_per_case__gt=0),
                                   name="fund_cap_positive"),
            models.CheckConstraint(condition=Q(second_approval_above__gte=0),
                                   name="fund_second_approval_nonnegative"),
        ]
        indexes = [models.Index(fields=["kind", "status", "region_path"], name="fund_kind_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(g, g)) for g in self.target_groups]


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Member")
    SUPERVISOR = "supervisor", _("Supervisor")


class CommitteeMember(TimeStampedModel):
    """A seat on a fund's management committee (管委会). Leaving keeps the row: the
    committee that approved past decisions stays on record."""

    scope_path_field: ClassVar[str] = "region_path"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="committee")
    name = EncryptedNameField(_("name"))  # encrypted at rest (#22)
    role = models.CharField(_("role"), max_length=12, choices=CommitteeRole.choices)
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["fund", "role", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"
