"""What demo the database holds, so ``wushe demo`` can reuse it instead of building again."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoBuild(models.Model):
    """One build of the demo district. A row left in ``building`` means an interrupted build."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Building")
        COMPLETE = "complete", _("Complete")

    profile = models.CharField(_("profile"), max_length=20)
    seed = models.BigIntegerField(_("seed"))
    # Generator version and migration graph: a build from older code or schema is rebuilt.
    schema = models.CharField(_("schema"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.BUILDING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    persons = models.PositiveIntegerField(_("persons"), default=0)
    seconds = models.FloatField(_("build seconds"), null=True, blank=True)

    class Meta:
        verbose_name = _("demo build")
        verbose_name_plural = _("demo builds")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.profile}/{self.seed} ({self.status})"
