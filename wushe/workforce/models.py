"""Social workers and community workers: a Person plus their professional record.

A social worker (社会工作者) holds a certificate level, works for an organisation and may be
placed at a site of the three tiers (centre, station, room). A community worker (社区工作者)
works for a community on the career ladder (posts and grades, workforce/ladder.py); the
staffing standard (workforce/staffing.py) counts them against the community's population.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class CertificateLevel(models.TextChoices):
    NONE = "none", _("No certificate")
    ASSISTANT = "assistant", _("Assistant social worker (助理社会工作师)")
    INTERMEDIATE = "intermediate", _("Social worker (社会工作师)")
    SENIOR = "senior", _("Senior social worker (高级社会工作师)")


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", _("In post")
    ON_LEAVE = "on_leave", _("On leave")
    LEFT = "left", _("Left")


class SocialWorker(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    person = models.OneToOneField("people.Person", verbose_name=_("person"),
                                  on_delete=models.PROTECT, related_name="+")
    # Where the worker works: the placement site's region, else the region given.
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    certificate_level = models.CharField(_("certificate level"), max_length=12,
                                         choices=CertificateLevel.choices,
                                         default=CertificateLevel.NONE)
    # NULL, not "": uncertified workers have none and NULLs never collide in a unique index.
    certificate_number = models.CharField(_("certificate number"), max_length=30,  # noqa: DJ001
                                          null=True, blank=True, unique=True)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    employer = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("employer"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="social_workers")
    site = models.ForeignKey("regions.Site", verbose_name=_("placement site"),
                             on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=WorkerStatus.choices,
                              default=WorkerStatus.ACTIVE)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        ordering = ["region_path", "id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="sworker_path_id"),
            models.Index(fields=["status", "certificate_level", "region_path"],
                         name="sworker_status_level_path"),
        ]

    def __str__(self) -> str:
        return self.person.masked_name

    @property
    def certified(self) -> bool:
        return self.certificate_level != CertificateLevel.NONE

    @property
    def placed(self) -> bool:
        return self.site_id is not None and self.status == WorkerStatus.ACTIVE


class TrainingKind(models.TextChoices):
    CONTINUING = "continuing", _("Continuing education (继续教育)")
    FURTHER_STUDY = "further_study", _("Further study (进修)")
    INTERNSHIP = "internship", _("Internship (实习)")
    SHORT_COURSE = "short_course", _("Short course (短训)")
    STUDY_VISIT = "study_visit", _("Study visit (考察学习)")


class Training(models.Model):
    scope_path_field: ClassVar[str] = "region_path"

    worker = models.ForeignKey(SocialWorker, on_delete=models.CASCADE, related_name="trainings")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    title = models.CharField(_("title"), max_length=150)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    on = models.DateField(_("date"))
    provider = models.CharField(_("provider"), max_length=150, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["worker", "-on", "-id"]
        indexes = [models.Index(fields=["worker", "on"], name="training_worker_on")]
        constraints = [models.CheckConstraint(condition=models.Q(hours__gt=0),
                                              name="training_hours_positive")]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours}h, {self.on})"


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school or below")
    COLLEGE = "college", _("College (大专)")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate degree")


class Engagement(models.TextChoices):
    """How a community worker holds the job: hired onto the ladder, or elected by the residents'
    (villagers') assembly to the committee. Only hired workers are adjusted by the street."""

    HIRED = "hired", _("Hired community worker (聘用)")
    ELECTED = "elected", _("Elected committee member (选举产生)")


class ElectedRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary (书记)")
    DIRECTOR = "director", _("Director (主任)")
    MEMBER = "member", _("Committee member (委员)")


class CommunityWorker(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    person = models.OneToOneField("people.Person", verbose_name=_("person"),
                                  on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("regions.Region", verbose_name=_("community"),
                                  on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    post = models.PositiveSmallIntegerField(_("post"))  # 1-based, see ladder.py
    grade = models.PositiveSmallIntegerField(_("grade"))
    education = models.CharField(_("education"), max_length=12, choices=Education.choices,
                                 default=Education.COLLEGE)
    hired_on = models.DateField(_("hired on"))
    status = models.CharField(_("status"), max_length=10, choices=WorkerStatus.choices,
                              default=WorkerStatus.ACTIVE)
    engagement = models.CharField(_("engagement"), max_length=8, choices=Engagement.choices,
                                  default=Engagement.HIRED)
    elected_role = models.CharField(_("elected role"), max_length=10, blank=True,
                                    choices=ElectedRole.choices)
    # The term of office of an elected member (换届: five years under the Organic Laws).
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    # The worker's account, whose role grants follow an adjustment (dismissal or recall revokes
    # them). Optional: not every worker signs in.
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("community worker")
        verbose_name_plural = _("community workers")
        ordering = ["region_path", "id"]
        indexes = [models.Index(fields=["region_path", "id"], name="cworker_path_id"),
                   models.Index(fields=["status", "region_path"], name="cworker_status_path")]

    def __str__(self) -> str:
        return self.person.masked_name


class AppraisalResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    COMPETENT = "competent", _("Competent (称职)")
    BASIC = "basic", _("Basically competent (基本称职)")
    INCOMPETENT = "incompetent", _("Not competent (不称职)")


class Appraisal(models.Model):
    """The yearly performance appraisal (履职考评) of a community worker."""

    scope_path_field: ClassVar[str] = "region_path"

    worker = models.ForeignKey(CommunityWorker, on_delete=models.CASCADE,
                               related_name="appraisals")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("result"), max_length=12, choices=AppraisalResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["worker", "-year"]
        constraints = [models.UniqueConstraint(fields=["worker", "year"],
                                               name="appraisal_unique_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_result_display()}"


class AdjustmentKind(models.TextChoices):
    # Hired community workers: proposed by the community, approved by the street.
    TRANSFER = "transfer", _("Transfer to another post (调岗)")
    DEMOTION = "demotion", _("Demotion on the ladder (降级)")
    DISMISSAL = "dismissal", _("Dismissal (解聘)")
    # Elected committee members: the lawful procedure, recorded, never a street decision.
    RESIGNATION = "resignation", _("Resignation (辞职)")
    RECALL = "recall", _("Recall by the assembly (罢免)")


HIRED_KINDS = (AdjustmentKind.TRANSFER, AdjustmentKind.DEMOTION, AdjustmentKind.DISMISSAL)
ELECTED_KINDS = (AdjustmentKind.RESIGNATION, AdjustmentKind.RECALL)


class AdjustmentState(models.TextChoices):
    OPEN = "open", _("Open")  # opened by a 不称职 appraisal, no proposal yet
    PROPOSED = "proposed", _("Proposed by the community")
    APPROVED = "approved", _("Approved by the street")
    REJECTED = "rejected", _("Rejected by the street")
    RECORDED = "recorded", _("Lawful procedure recorded")


class Adjustment(TimeStampedModel):
    """The adjustment of a community worker appraised not competent (不称职)."""

    scope_path_field: ClassVar[str] = "region_path"

    worker = models.ForeignKey(CommunityWorker, verbose_name=_("community worker"),
                               on_delete=models.PROTECT, related_name="adjustments")
    appraisal = models.OneToOneField(Appraisal, verbose_name=_("appraisal"),
                                     on_delete=models.PROTECT, related_name="adjustment")
    region_path = models.CharField(max_length=15, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    engagement = models.CharField(_("engagement"), max_length=8, choices=Engagement.choices)
    state = models.CharField(_("state"), max_length=10, choices=AdjustmentState.choices,
                             default=AdjustmentState.OPEN)
    kind = models.CharField(_("kind"), max_length=12, choices=AdjustmentKind.choices,
                            blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    old_post = models.PositiveSmallIntegerField(_("post before"), null=True, blank=True)
    old_grade = models.PositiveSmallIntegerField(_("grade before"), null=True, blank=True)
    new_post = models.PositiveSmallIntegerField(_("post after"), null=True, blank=True)
    new_grade = models.PositiveSmallIntegerField(_("grade after"), null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    # The lawful procedure of an elected member: the assembly's date, votes and minutes.
    procedure_on = models.DateField(_("date of the assembly or resignation"), null=True,
                                    blank=True)
    votes_eligible = models.PositiveIntegerField(_("registered voters"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    # The minutes document by its reference (number and title as filed by the community).
    minutes = models.CharField(_("minutes document"), max_length=150, blank=True)
    grants_revoked = models.PositiveSmallIntegerField(_("role grants revoked"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("cadre adjustment")
        verbose_name_plural = _("cadre adjustments")
        ordering = ["-year", "region_path", "-id"]
        indexes = [models.Index(fields=["region_path", "year"], name="adjust_path_year"),
                   models.Index(fields=["state", "region_path"], name="adjust_state_path")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display() or self.get_state_display()}"
