"""Opening balances (期初数): the history a district brings at go-live.

A district admin enters, per KPI and region, the cumulative figure up to a date (``as_of``)
with the document it comes from; a second district admin approves it. The KPI engine
(reports/kpis/base.py) then reads a cumulative figure as the approved opening balances in the
subtree plus the records dated after each balance's date (see ``wushe.openings.figures``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class OpeningState(models.TextChoices):
    DRAFT = "draft", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OpeningBalance(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    kpi_key = models.CharField(_("figure"), max_length=80, db_index=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(_("opening figure"), max_digits=16, decimal_places=2)
    source = models.CharField(_("source document"), max_length=200)
    policy = models.ForeignKey("policies.PolicyDocument", verbose_name=_("policy document"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=OpeningState.choices,
                             default=OpeningState.DRAFT, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"),
                                    on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The approved balance this one replaced, and when a newer one replaced this one: the
    # history stays, only the current approved balance counts.
    supersedes = models.ForeignKey("self", verbose_name=_("supersedes"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("opening balance")
        verbose_name_plural = _("opening balances")
        ordering = ["kpi_key", "region_path", "-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi_key", "region"],
                condition=models.Q(state="approved", superseded_at__isnull=True),
                name="opening_one_current_approved"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="opening_value_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_key} @ {self.region_path} ({self.as_of})"

    @property
    def is_current(self) -> bool:
        return self.state == OpeningState.APPROVED and self.superseded_at is None
