"""Activities (service projects and their sessions): sign-up, check-in, check-out."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.volunteers.models.volunteers import split_tags


class ActivityKind(models.TextChoices):
    VISIT = "visit", _("Home visit (上门慰问)")
    PAIRING = "pairing", _("Pairing help (结对帮扶)")
    COUNSELLING = "counselling", _("Counselling (心理疏导)")
    CHARITY = "charity", _("Charity (公益慈善)")
    CARE = "care", _("Care and assistance (关爱援助)")
    CIVILISATION = "civilisation", _("Civilisation practice (文明实践)")
    GOVERNANCE = "governance", _("Community governance (社区治理)")
    EMERGENCY = "emergency", _("Emergency support (应急服务)")
    OTHER = "other", _("Other")


class TargetGroup(models.TextChoices):
    """Who an activity serves: 一老一小一困 and the seed text's focus groups."""

    ELDERLY = "elderly", _("Elderly (一老)")
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly (空巢老人)")
    MINORS = "minors", _("Minors (一小)")
    LEFT_BEHIND = "left_behind", _("Left-behind children (留守儿童)")
    HARDSHIP = "hardship", _("People in hardship (一困)")
    EXTREME = "extreme", _("People in extreme hardship (特困群体)")
    DESTITUTE = "destitute", _("People without means of living (生活无着人员)")
    DISABLED = "disabled", _("People with disabilities (残疾人)")
    RESIDENTS = "residents", _("All residents (社区居民)")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Sign-up closed")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


# States in which volunteers may be signed up or are serving: a risky activity needs its
# insurance note before it reaches any of them.
LIVE_STATES = (ActivityStatus.OPEN, ActivityStatus.CLOSED, ActivityStatus.FINISHED)


class Activity(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    team = models.ForeignKey("volunteers.Team", verbose_name=_("organising team"),
                             on_delete=models.PROTECT, related_name="activities")
    team_path = models.CharField(max_length=12, db_index=True, editable=False)
    region = models.ForeignKey("regions.Region", verbose_name=_("where"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    target_groups = models.CharField(_("target groups"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    description = models.TextField(_("description"), blank=True)
    risky = models.BooleanField(_("risky activity"), default=False)
    insurance_note = models.CharField(_("insurance note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices,
                              default=ActivityStatus.DRAFT)
    signed_up = models.PositiveIntegerField(_("signed up"), default=0, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["region_path", "starts_at"], name="activity_path_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity_gt_0"),
            # The database refuses a risky activity taking sign-ups without insurance too.
            models.CheckConstraint(
                condition=~Q(risky=True, status__in=[s.value for s in LIVE_STATES],
                             insurance_note=""),
                name="activity_risky_needs_insurance"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target_group_labels(self) -> list[str]:
        labels = dict(TargetGroup.choices)
        return [str(labels.get(t, t)) for t in split_tags(self.target_groups)]

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.signed_up)


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    CHECKED_IN = "checked_in", _("Checked in")
    CHECKED_OUT = "checked_out", _("Checked out")
    CANCELLED = "cancelled", _("Cancelled")


class SignUp(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.PROTECT,
                                 related_name="signups")
    volunteer = models.ForeignKey("volunteers.Volunteer", verbose_name=_("volunteer"),
                                  on_delete=models.PROTECT, related_name="signups")
    team_path = models.CharField(max_length=12, editable=False)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=SignUpStatus.choices,
                              default=SignUpStatus.SIGNED_UP)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "volunteer"],
                                               name="signup_unique")]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.volunteer_id}"
