from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class PeriodicJob(models.Model):
    """The schedule and the lease of one periodic job (core/jobs.py).

    A scheduler takes the lease with one conditional UPDATE (due, and no live lease), so two
    schedulers on any number of servers never both hold it; the job's end releases it and sets
    the next due time. The row is bookkeeping of the system: no personal data, no actor.
    """

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    next_due = models.DateTimeField(_("next due"))
    lease_owner = models.CharField(_("lease owner"), max_length=200, blank=True, default="")
    lease_token = models.CharField(_("lease token"), max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_seconds = models.FloatField(_("last duration (s)"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    last_result = models.JSONField(_("last result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
