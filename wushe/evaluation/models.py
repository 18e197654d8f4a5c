"""Four-party evaluation (四方评估) of purchased social-work projects.

An Evaluation is one project at one stage (mid-term, final). Its committee has members of four
parties: the purchasing body (购买方), the town/street (镇街), the service recipients (服务对象)
and third-party experts (第三方专家). Each member scores every indicator of the evaluation's
IndicatorSet once (a Score per indicator); residents may also answer the anonymous survey
(SurveyResponse). scoring.py turns all of it into party scores, a weighted total, a grade and a
suggested decision; the district records the decision (renew / rectify / eliminate).

Evaluations copy their project's region, year and provider, so scope, the yearly lists and the
procurement eligibility check never have to join through the project.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.scoping import ScopedManager
from wushe.people.names import EncryptedNameField


class Dimension(models.TextChoices):
    PROCESS = "process", _("Process management (过程管理)")
    EFFECTIVENESS = "effectiveness", _("Service effectiveness (服务成效)")
    BENEFIT = "benefit", _("Social benefit (社会效益)")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term")
    FINAL = "final", _("Final")


class EvalStatus(models.TextChoices):
    OPEN = "open", _("Open for scoring")
    SCORED = "scored", _("Scored")
    DECIDED = "decided", pgettext_lazy("evaluation", "Decided")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Decision(models.TextChoices):
    RENEW = "renew", _("Renew")
    RECTIFY = "rectify", _("Rectify")
    ELIMINATE = "eliminate", _("Eliminate")


class Party(models.TextChoices):
    PURCHASER = "purchaser", _("Purchasing body (购买方)")
    STREET = "street", _("Town/street (镇街)")
    RECIPIENTS = "recipients", _("Service recipients (服务对象)")
    EXPERT = "expert", _("Third-party experts (第三方专家)")


# The order of the party weights in the rule evaluation.party_weights.
PARTIES: tuple[str, ...] = (Party.PURCHASER, Party.STREET, Party.RECIPIENTS, Party.EXPERT)
# Grades from best to worst, in the order of the rule evaluation.grade_bands.
GRADES: tuple[str, ...] = (Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL)


class IndicatorSet(models.Model):
    """A scoring sheet. Never changed once an evaluation uses it: a new sheet is a new set."""

    name = models.CharField(pgettext_lazy("evaluation", "name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default for new evaluations"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["-is_default", "name"]
        constraints = [models.UniqueConstraint(fields=["is_default"],
                                               condition=models.Q(is_default=True),
                                               name="indicator_set_one_default")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE,
                                      related_name="indicators")
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    name = models.CharField(_("indicator"), max_length=100)
    name_en = models.CharField(_("indicator (English)"), max_length=100, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=5, decimal_places=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["indicator_set", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_score__gt=0),
                                   name="indicator_max_positive"),
            models.UniqueConstraint(fields=["indicator_set", "name"], name="indicator_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    scope_path_field: ClassVar[str] = "region_path"

    project = models.ForeignKey("projects.ServiceProject", verbose_name=_("project"),
                                on_delete=models.PROTECT, related_name="evaluations")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    status = models.CharField(_("status"), max_length=8, choices=EvalStatus.choices,
                              default=EvalStatus.OPEN)
    indicator_set = models.ForeignKey(IndicatorSet, verbose_name=_("indicator set"),
                                      on_delete=models.PROTECT, related_name="evaluations")
    # Copied from the project when the evaluation is set up.
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    provider = models.ForeignKey("orgs.SocialOrganization",
                                 verbose_name=pgettext_lazy("evaluation", "provider"),
                                 on_delete=models.PROTECT, related_name="evaluations")
    # Party scores (0–100) as last computed; None while the party has no score yet.
    purchaser_score = models.DecimalField(_("purchasing body"), max_digits=5, decimal_places=2,
                                          null=True, blank=True)
    street_score = models.DecimalField(_("town/street"), max_digits=5, decimal_places=2,
                                       null=True, blank=True)
    recipients_score = models.DecimalField(_("service recipients"), max_digits=5,
                                           decimal_places=2, null=True, blank=True)
    expert_score = models.DecimalField(_("experts"), max_digits=5, decimal_places=2, null=True,
                                       blank=True)
    # How the recipients' score was made: each source's score, count and weight.
    recipients_detail = models.JSONField(default=dict, blank=True)
    # The party weights used for the total (percent, in PARTIES order).
    weights = models.JSONField(default=list, blank=True)
    total = models.DecimalField(_("weighted total"), max_digits=5, decimal_places=2, null=True,
                                blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    suggested_decision = models.CharField(_("suggested decision"), max_length=10,
                                          choices=Decision.choices, blank=True)
    decision = models.CharField(pgettext_lazy("evaluation", "decision"), max_length=10,
                                choices=Decision.choices,
                                blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(pgettext_lazy("evaluation", "decided at"), null=True,
                                      blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    # The anonymous survey link (/evaluation/survey/<token>); closed once decided.
    survey_token = models.CharField(max_length=32, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "region_path", "-id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="eval_path_id"),
            models.Index(fields=["year", "stage", "grade"], name="eval_year_stage_grade"),
            models.Index(fields=["provider", "decision", "year"], name="eval_provider_decision"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="eval_once_per_stage"),
            models.CheckConstraint(condition=models.Q(total__isnull=True)
                                   | models.Q(total__gte=0, total__lte=100),
                                   name="eval_total_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_stage_display()}"

    def party_score(self, party: str) -> object:
        return getattr(self, f"{party}_score")

    @property
    def is_decided(self) -> bool:
        return self.status == EvalStatus.DECIDED


class CommitteeMember(models.Model):
    """One seat on the committee. Purchaser, street and expert seats are user accounts; a
    recipients' seat may be a resident without an account (its paper sheet is entered by the
    district)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="members")
    party = models.CharField(_("party"), max_length=10, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL,
                             verbose_name=pgettext_lazy("evaluation", "account"), null=True,
                             blank=True, on_delete=models.PROTECT, related_name="committee_seats")
    name = EncryptedNameField(_("name"))  # a person's name: encrypted at rest (#22)
    # The member's total normalised to 100, set when its sheet is submitted.
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True,
                                blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("evaluation", "committee member")
        verbose_name_plural = pgettext_lazy("evaluation", "committee members")
        ordering = ["evaluation", "party", "id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"],
                                               condition=models.Q(user__isnull=False),
                                               name="member_user_once")]
        indexes = [models.Index(fields=["user", "scored_at"], name="member_user_scored")]

    def __str__(self) -> str:
        return f"{self.get_party_display()} · {self.name}"


class Score(models.Model):
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["member", "indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "indicator"], name="score_once"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.score}"


class SurveyResponse(models.Model):
    """One anonymous answer sheet: no name, no account, no IP, nothing personal."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="survey_responses")
    answers = models.JSONField(_("answers"))  # one 1–5 per question of survey.QUESTIONS
    mean = models.DecimalField(_("mean answer"), max_digits=3, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["evaluation", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(mean__gte=1, mean__lte=5),
                                              name="survey_mean_1_5")]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.mean}"
