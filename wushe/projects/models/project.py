"""Purchased social-work projects (政府购买社会工作服务项目).

A ServiceProject is designed from the demand menu (its origin needs), listed in a yearly
PurchaseList, procured from an eligible social organisation, contracted, delivered, supervised
(wushe.supervision) and evaluated by four parties (wushe.evaluation), then closed as renewed or
not renewed. ``status`` only moves along projects/workflow.py; every move is a ProjectEvent.

The fields below are the contract the supervision and evaluation apps build on: keep their names.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.audit.models import AppendOnlyModel
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class Domain(models.TextChoices):
    MINOR_PROTECTION = "minor_protection", _("Minor protection (未成年人保护)")
    ELDERLY_SERVICES = "elderly_services", _("Elderly services (老年服务)")
    COMMUNITY_GOVERNANCE = "community_governance", _("Community governance (社区治理)")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance (社会救助)")
    DISABILITY = "disability", _("Disability services (助残服务)")
    FAMILY = "family", _("Family services (家庭服务)")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DESIGNED = "designed", _("Designed")
    LISTED = "listed", _("Listed for purchase")
    PROCURED = "procured", _("Procured")
    CONTRACTED = "contracted", _("Contracted")
    IN_SERVICE = "in_service", _("In service")
    MIDTERM_EVALUATED = "midterm_evaluated", _("Mid-term evaluated")
    FINAL_EVALUATED = "final_evaluated", _("Final evaluated")
    CLOSED = "closed", _("Closed out")


class Outcome(models.TextChoices):
    NONE = "", _("—")
    RENEWED = "renewed", _("Renewed")
    NOT_RENEWED = "not_renewed", _("Not renewed")


class ServiceProject(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    code = models.CharField(_("project code"), max_length=20, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    domain = models.CharField(_("domain"), max_length=24, choices=Domain.choices)
    # The street or community served (a district-wide project sits on the district).
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    # The purchase cycle (budget year) the project belongs to.
    year = models.PositiveSmallIntegerField(_("year"))
    # "|elderly|minor|": a substring filter finds one group on any database.
    target_groups = models.CharField(_("groups served"), max_length=100, blank=True, default="")
    summary = models.TextField(_("summary"), blank=True, default="")
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    leveraged = models.DecimalField(_("leveraged social resources (yuan)"), max_digits=14,
                                    decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DESIGNED)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               blank=True, default="")
    # The organisation delivering it, set at procurement.
    provider = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("delivering organisation"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="service_projects")
    renewed_from = models.ForeignKey("self", verbose_name=_("renewal of"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="renewals")
    designed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    # Added by the projects app (not part of the original contract, safe to ignore):
    # the yearly purchase list it is listed in, and the needs that motivated it.
    purchase_list = models.ForeignKey("projects.PurchaseList", verbose_name=_("purchase list"),
                                      null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="projects")
    origin_needs = models.ManyToManyField("needs.Need", through="projects.ProjectNeed",
                                          related_name="service_projects", blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-year", "region_path", "id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="project_path_id"),
            models.Index(fields=["status", "region_path"], name="project_status_path"),
            models.Index(fields=["year", "region_path"], name="project_year_path"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def target_group_list(self) -> list[str]:
        return [g for g in self.target_groups.split("|") if g]


class ProjectEvent(AppendOnlyModel):
    """The project's history: one row per status move (database triggers refuse UPDATE/DELETE,
    migration 0002)."""

    scope_path_field: ClassVar[str] = "region_path"

    project = models.ForeignKey(ServiceProject, on_delete=models.DO_NOTHING,
                                related_name="events")
    region_path = models.CharField(max_length=15, editable=False)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                              db_constraint=False, null=True, blank=True, related_name="+")
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        ordering = ["project", "at", "id"]
        indexes = [models.Index(fields=["region_path", "at"], name="project_event_path_at")]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class ProjectIndicator(models.Model):
    """An output indicator of the project's goals, with its target and what was achieved."""

    scope_path_field: ClassVar[str] = "region_path"

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE,
                                related_name="indicators")
    region_path = models.CharField(max_length=15, editable=False)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=20)
    target = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    achieved = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2, default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("output indicator")
        verbose_name_plural = _("output indicators")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.target}{self.unit}"

    @property
    def percent(self) -> int:
        if not self.target:
            return 0
        return min(100, int(self.achieved * 100 / self.target))


class ProjectNeed(models.Model):
    """An origin need of the project (from the demand menu); the need is "served" by it."""

    scope_path_field: ClassVar[str] = "region_path"

    project = models.ForeignKey(ServiceProject, on_delete=models.CASCADE,
                                related_name="need_links")
    need = models.ForeignKey("needs.Need", on_delete=models.PROTECT, related_name="project_links")
    region_path = models.CharField(max_length=15, editable=False)  # the project's
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("origin need")
        verbose_name_plural = _("origin needs")
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "need"],
                                               name="project_need_once")]

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.need_id}"
