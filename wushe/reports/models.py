"""Rollups of the KPIs: the cockpit reads these, never the domain tables.

KpiRollup holds one value per (region node, period, KPI key): nodes are the district, street
and community paths; periods "all", each year ("2025") and, for time-series KPIs, each month
("2025-03"). A refresh replaces the whole table in one transaction (RollupRun records when and
how long), so a reader sees either the old figures or the new ones, never a mix.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiRollup(models.Model):
    region_path = models.CharField(max_length=15)
    period = models.CharField(max_length=10)
    key = models.CharField(max_length=80)
    value = models.FloatField(null=True)  # None: a rate with nothing to divide by

    class Meta:
        verbose_name = _("KPI rollup")
        constraints = [models.UniqueConstraint(fields=["period", "region_path", "key"],
                                               name="kpi_rollup_unique")]

    def __str__(self) -> str:
        return f"{self.region_path} {self.period} {self.key}={self.value}"


class RollupRun(models.Model):
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("data as of"))
    seconds = models.FloatField(_("seconds"))
    rows = models.PositiveIntegerField(_("rows"))
    trigger = models.CharField(_("trigger"), max_length=20)
    years = models.JSONField(_("years"), default=list)  # the years rolled up

    class Meta:
        verbose_name = _("rollup refresh")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.rows})"
