"""What the retention job (or an erasure on request) has anonymised: one row per record.

The row keeps the record's kind and id (to leave it out of the next run, so a run twice changes
nothing), the internal id of the person it belonged to (so the person's own row is anonymised
once nothing of theirs is kept), and why. No name, number or text of the person.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    PERIOD = "period", _("Retention period passed")
    REQUEST = "request", _("Erasure on request")


class Anonymisation(models.Model):
    kind = models.CharField(_("record kind"), max_length=40)
    object_id = models.BigIntegerField(_("record id"))
    person_id = models.BigIntegerField(_("person id"), null=True, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=8, choices=Reason.choices)
    at = models.DateTimeField(_("anonymised at"), default=timezone.now)

    class Meta:
        verbose_name = _("anonymised record")
        verbose_name_plural = _("anonymised records")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"],
                                               name="anonymisation_once")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"
