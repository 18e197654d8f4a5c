"""Supervision of purchased projects (全程监管): the visits, the sessions, the rectifications.

The seed text: 月调度, 季督察, 半年走访 on every project, "中心对站、站对室" (the district centre
supervises the street stations, a station supervises its communities' rooms), four checks —
project progress, fund use, personnel, outcomes — and 4,231 supervision sessions, about 20
centralised sessions (集中督导) and about 200 consultations (一站式咨询).

A **visit** (monthly scheduling, quarterly inspection, half-year visit) belongs to one project
and is generated from the project's term (wushe/supervision/schedule.py); ``nominal_on`` is the
date the cadence gives and keeps generation idempotent, ``scheduled_on`` the working day it is
planned for (moved by a reschedule). A **session** (centralised supervision, consultation) is
recorded on its own, for a region, with or without a project. "Overdue" is never stored: it is
``planned`` and ``scheduled_on`` before today (see ``overdue_q``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class Kind(models.TextChoices):
    MONTHLY = "monthly_scheduling", _("Monthly scheduling (月调度)")
    QUARTERLY = "quarterly_inspection", _("Quarterly inspection (季督察)")
    HALFYEAR = "halfyear_visit", _("Half-year visit (半年走访)")
    CENTRALISED = "centralised", _("Centralised supervision (集中督导)")
    CONSULTATION = "consultation", _("Consultation (咨询)")


# Kinds generated from a project's cadence, and kinds recorded on their own.
VISIT_KINDS = (Kind.MONTHLY, Kind.QUARTERLY, Kind.HALFYEAR)
SESSION_KINDS = (Kind.CENTRALISED, Kind.CONSULTATION)


# What fits in a calendar cell.
KIND_SHORT = {
    Kind.MONTHLY: _("Monthly"), Kind.QUARTERLY: _("Quarterly"), Kind.HALFYEAR: _("Half-year"),
    Kind.CENTRALISED: _("Centralised"), Kind.CONSULTATION: pgettext_lazy("supervision", "Consultation"),
}


class Tier(models.TextChoices):
    CENTRE_TO_STATION = "centre_to_station", _("Centre → station (区社工中心对镇街社工站)")
    STATION_TO_ROOM = "station_to_room", _("Station → room (镇街社工站对社区社工室)")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class CheckResult(models.TextChoices):
    OK = "ok", _("In order")
    CONCERN = "concern", _("Concern")
    PROBLEM = "problem", _("Problem")


# The four checks of every visit: (field prefix, zh, en).
CHECKS = (
    ("progress", "项目进度(对照项目指标)", "Progress against the project's indicators"),
    ("spending", "资金使用(对照预算)", "Spending against the budget"),
    ("staffing", "人员在岗", "Staff on post"),
    ("outcomes", "成果产出", "Outcomes"),
)

CHECK_SHORT = {"progress": _("Progress"), "spending": pgettext_lazy("supervision", "Funds"), "staffing": _("Staff"),
               "outcomes": _("Outcomes")}
CHECK_NAME = {"progress": _("Progress against the project's indicators"),
              "spending": _("Spending against the budget"), "staffing": _("Staff on post"),
              "outcomes": _("Outcomes")}


def _result_field(label: Any) -> models.CharField:
    return models.CharField(label, max_length=8, choices=CheckResult.choices, blank=True,
                            default="")


def overdue_q(today: dt.date | None = None) -> Q:
    """Planned and its date has passed: the one definition of an overdue visit."""
    return Q(status=VisitStatus.PLANNED, scheduled_on__lt=today or dt.date.today())


class Supervision(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    project = models.ForeignKey("projects.ServiceProject", verbose_name=_("project"), null=True,
                                blank=True, on_delete=models.PROTECT,
                                related_name="supervisions")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices)
    # The centre or station that supervises, when the region has one on record.
    supervising_site = models.ForeignKey("regions.Site", verbose_name=_("supervising site"),
                                         null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    # The supervised project's region (a session: the region it was held for).
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    # The date the cadence gives; generation is idempotent on (project, kind, nominal_on).
    nominal_on = models.DateField(_("nominal date"), null=True, blank=True)
    scheduled_on = models.DateField(_("scheduled on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=VisitStatus.choices,
                              default=VisitStatus.PLANNED)
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("supervisor"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    progress_result = _result_field(_("progress"))
    progress_note = models.TextField(_("progress note"), blank=True, default="")
    spending_result = _result_field(_("spending"))
    spending_note = models.TextField(_("spending note"), blank=True, default="")
    spent_amount = models.DecimalField(_("amount spent (yuan)"), max_digits=14, decimal_places=2,
                                       null=True, blank=True)
    staffing_result = _result_field(_("staff on post"))
    staffing_note = models.TextField(_("staffing note"), blank=True, default="")
    staff_on_post = models.PositiveSmallIntegerField(_("staff on post"), null=True, blank=True)
    outcomes_result = _result_field(_("outcomes"))
    outcomes_note = models.TextField(_("outcomes note"), blank=True, default="")
    findings = models.TextField(_("findings"), blank=True, default="")
    # Sessions (centralised supervision, consultation).
    topic = models.CharField(_("topic"), max_length=200, blank=True, default="")
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    organisations = models.PositiveIntegerField(_("organisations"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["scheduled_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind", "nominal_on"],
                                    condition=Q(nominal_on__isnull=False),
                                    name="supervision_one_per_slot"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False),
                                   name="supervision_done_has_date"),
        ]
        indexes = [
            models.Index(fields=["region_path", "scheduled_on"], name="supervision_path_day"),
            models.Index(fields=["status", "scheduled_on"], name="supervision_status_day"),
            models.Index(fields=["kind", "status", "region_path"], name="supervision_kind_status"),
            models.Index(fields=["project", "scheduled_on"], name="supervision_project_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_on}"

    @property
    def kind_short(self) -> str:
        return str(KIND_SHORT[Kind(self.kind)])

    @property
    def is_visit(self) -> bool:
        return self.kind in VISIT_KINDS

    @property
    def is_overdue(self) -> bool:
        return self.status == VisitStatus.PLANNED and self.scheduled_on < dt.date.today()

    @property
    def state(self) -> str:
        """planned / done / missed / overdue: what the calendar colours by."""
        return "overdue" if self.is_overdue else self.status

    def checks(self) -> list[dict[str, object]]:
        return [{"key": key, "name": CHECK_NAME[key], "short": CHECK_SHORT[key],
                 "result": getattr(self, f"{key}_result"),
                 "label": getattr(self, f"get_{key}_result_display")(),
                 "note": getattr(self, f"{key}_note")} for key, _zh, _en in CHECKS]


class RectificationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("supervision", "Open")
    CLOSED = "closed", pgettext_lazy("supervision", "Closed")


def rectification_overdue_q(today: dt.date | None = None) -> Q:
    """Open and past its due date: the one definition of an overdue rectification."""
    return Q(status=RectificationStatus.OPEN, due_on__lt=today or dt.date.today())


class Rectification(TimeStampedModel):
    """An item a visit found to be put right (整改), with its due date and its closure."""

    scope_path_field: ClassVar[str] = "region_path"

    supervision = models.ForeignKey(Supervision, verbose_name=_("supervision"),
                                    on_delete=models.PROTECT, related_name="rectifications")
    region_path = models.CharField(max_length=15, editable=False)
    item = models.TextField(_("item to rectify"))
    due_on = models.DateField(pgettext_lazy("supervision", "due on"))
    status = models.CharField(_("status"), max_length=8, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_on__isnull=False),
                                   name="rectification_closed_has_date"),
        ]
        indexes = [
            models.Index(fields=["region_path", "due_on"], name="rectification_path_due"),
            models.Index(fields=["status", "due_on"], name="rectification_status_due"),
        ]

    def __str__(self) -> str:
        return self.item[:40]

    @property
    def is_overdue(self) -> bool:
        return self.status == RectificationStatus.OPEN and self.due_on < dt.date.today()
