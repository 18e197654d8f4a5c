"""Incubation ("1+N": the district centre plus street bases, each a regions.Site of kind
incubator): one record per organisation, worked by 问题梳理、及时解决、定期跟踪、实地督导."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.orgs.models.capacity import AREA_CHOICES
from wushe.orgs.models.organisation import SocialOrganization


class IncubationStage(models.TextChoices):
    ENTERED = "entered", _("Entered the base")
    CULTIVATING = "cultivating", _("Cultivating")
    EVALUATING = "evaluating", _("Graduation review")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Incubation(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    org = models.OneToOneField(SocialOrganization, verbose_name=_("organisation"),
                               on_delete=models.CASCADE, related_name="incubation")
    # The organisation's region: scope follows the organisation, not the base.
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    base = models.ForeignKey("regions.Site", verbose_name=_("incubation base"),
                             on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(_("stage"), max_length=12, choices=IncubationStage.choices,
                             default=IncubationStage.ENTERED)
    mentor = models.CharField(_("mentor"), max_length=50, blank=True)
    started_on = models.DateField(_("entered on"))
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    ended_note = models.CharField(_("closing note"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("incubation")
        verbose_name_plural = _("incubations")
        ordering = ["region_path", "id"]
        indexes = [models.Index(fields=["stage", "region_path"], name="incubation_stage_path")]

    def __str__(self) -> str:
        return f"{self.org} @ {self.base}"

    @property
    def open(self) -> bool:
        return self.stage not in (IncubationStage.GRADUATED, IncubationStage.WITHDRAWN)


class IncubationIssue(TimeStampedModel):
    """A problem found (问题梳理) in one of the seven areas, and how it was solved."""

    scope_path_field: ClassVar[str] = "region_path"

    incubation = models.ForeignKey(Incubation, on_delete=models.CASCADE, related_name="issues")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    area = models.CharField(_("area"), max_length=12, choices=AREA_CHOICES)
    description = models.CharField(_("issue"), max_length=300)
    found_on = models.DateField(_("found on"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("incubation issue")
        verbose_name_plural = _("incubation issues")
        ordering = ["incubation", "resolved_on", "found_on", "id"]

    def __str__(self) -> str:
        return self.description


class FollowUpKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Periodic follow-up (定期跟踪)")
    FIELD_VISIT = "field_visit", _("Field supervision visit (实地督导)")


class IncubationFollowUp(models.Model):
    scope_path_field: ClassVar[str] = "region_path"

    incubation = models.ForeignKey(Incubation, on_delete=models.CASCADE,
                                   related_name="follow_ups")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=FollowUpKind.choices)
    on = models.DateField(_("date"))
    notes = models.CharField(_("notes"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["incubation", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"
