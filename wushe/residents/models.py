"""Residents in care (一老一小一困) and the hardship ledgers (特殊困难群体台账) that group them.

A CareProfile ties a Person to a target group with sub-tags (空巢, 留守儿童, 低保 …). What makes
the record sensitive (health, hardship, the guardian of a child) is encrypted at rest and only
shown through a service that records who looked and why. Records about minors are visible
only to the roles that work with them (wushe/needs/perms.py CARE_MINORS) and to the social
worker assigned to the child.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_name
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class TargetGroup(models.TextChoices):
    ELDERLY = "elderly", _("Elderly (一老)")
    MINOR = "minor", _("Minor (一小)")
    HARDSHIP = "hardship", _("Hardship (一困)")


# Sub-tags and the target group each belongs to ("" = any group).
CARE_TAGS: dict[str, tuple[str, object]] = {
    "empty_nest": (TargetGroup.ELDERLY, _("Empty-nest (空巢)")),
    "living_alone": (TargetGroup.ELDERLY, _("Living alone (独居)")),
    "advanced_age": (TargetGroup.ELDERLY, _("Aged 80 or over (高龄)")),
    "disabled_elderly": (TargetGroup.ELDERLY, _("Disabled or semi-disabled (失能/半失能)")),
    "left_behind": (TargetGroup.MINOR, _("Left-behind child (留守儿童)")),
    "in_distress": (TargetGroup.MINOR, _("Child in distress (困境儿童)")),
    "unsupported": (TargetGroup.MINOR, _("Orphan or de facto unsupported (孤儿/事实无人抚养)")),
    "dibao": (TargetGroup.HARDSHIP, _("Minimum living allowance (低保)")),
    "tekun": (TargetGroup.HARDSHIP, _("Extreme-poverty support (特困)")),
    "low_income": (TargetGroup.HARDSHIP, _("Low-income family (低收入)")),
    "serious_illness": (TargetGroup.HARDSHIP, _("Serious illness (大病)")),
    "disability": ("", _("Disability (残疾)")),
}


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ProfileStatus(models.TextChoices):
    ACTIVE = "active", _("In care")
    CLOSED = "closed", _("Closed")


# Fields that need people.unmask (residents.unmask) and a stated purpose to show.
SENSITIVE_FIELDS = ("details", "guardian_info")


class CareProfile(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="care_profiles")
    region = models.ForeignKey("regions.Region", verbose_name=_("community"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    target_group = models.CharField(_("target group"), max_length=10, choices=TargetGroup.choices)
    # "|empty_nest|disability|": a substring filter finds one tag on any database.
    tags = models.CharField(_("sub-tags"), max_length=200, blank=True, default="")
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices,
                                  default=RiskLevel.LOW)
    status = models.CharField(_("status"), max_length=8, choices=ProfileStatus.choices,
                              default=ProfileStatus.ACTIVE)
    # A child's record is hidden from roles that do not work with children.
    is_minor = models.BooleanField(_("about a minor"), default=False, editable=False)
    details = EncryptedTextField(_("situation (health, hardship)"), blank=True, default="")
    guardian_info = EncryptedTextField(_("guardian and contact"), blank=True, default="")
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned social worker"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("care profile")
        verbose_name_plural = _("care profiles")
        ordering = ["region_path", "id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="care_path_id"),
            models.Index(fields=["target_group", "region_path"], name="care_group_path"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "target_group"], name="care_one_per_group",
                                    condition=models.Q(status="active")),
        ]

    def __str__(self) -> str:
        return f"{mask_name(self.person.name)} · {self.get_target_group_display()}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("|") if t]

    def tag_labels(self) -> list[str]:
        return [str(CARE_TAGS[t][1]) for t in self.tag_list if t in CARE_TAGS]

    @property
    def has_details(self) -> bool:
        return bool(self.details)

    @property
    def has_guardian_info(self) -> bool:
        return bool(self.guardian_info)


class Ledger(TimeStampedModel):
    """特殊困难群体台账: a named list of residents in care kept by a street or community."""

    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    target_group = models.CharField(_("target group"), max_length=10, choices=TargetGroup.choices,
                                    blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    keeper = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("keeper"),
                               on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("hardship ledger")
        verbose_name_plural = _("hardship ledgers")
        ordering = ["region_path", "name"]

    def __str__(self) -> str:
        return self.name


class LedgerEntry(models.Model):
    scope_path_field: ClassVar[str] = "region_path"

    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="entries")
    profile = models.ForeignKey(CareProfile, on_delete=models.PROTECT, related_name="entries")
    region_path = models.CharField(max_length=15, editable=False)  # the profile's
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [models.UniqueConstraint(fields=["ledger", "profile"], name="ledger_once")]
        indexes = [models.Index(fields=["ledger", "region_path"], name="ledger_entry_path")]

    def __str__(self) -> str:
        return f"{self.ledger_id}:{self.profile_id}"
