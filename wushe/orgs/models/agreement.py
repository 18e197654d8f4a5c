"""Entrusted-processing agreements (委托处理协议, PIPL Art. 21): the district hands residents'
personal data to a social organisation only under an agreement on record, with its period,
its purposes and the signed document. A need with personal data is dispatched to an
organisation only while an agreement covering needs handling is in force
(needs/services/assign.need_dispatch asks the organisation provider, orgs/linkage.py)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager


class AgreementPurpose(models.TextChoices):
    NEEDS_HANDLING = "needs_handling", _("Handling residents' needs")
    SERVICE_DELIVERY = "service_delivery", _("Service delivery")
    FOLLOW_UP = "follow_up", _("Follow-up visits")
    PROJECT_EVALUATION = "project_evaluation", _("Project evaluation")


class ProcessingAgreement(models.Model):
    """One agreement with one organisation; never edited (a new one is recorded instead)."""

    scope_path_field: ClassVar[str] = "region_path"

    org = models.ForeignKey("orgs.SocialOrganization", on_delete=models.CASCADE,
                            related_name="processing_agreements")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)  # the org's
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"))
    purposes = models.JSONField(_("purposes"), default=list)
    # The signed document, kept in the database so recording it is one transaction.
    document = models.BinaryField(editable=False)
    document_name = models.CharField(_("signed document"), max_length=120)
    document_type = models.CharField(max_length=40, editable=False)
    document_size = models.PositiveIntegerField(editable=False)
    document_sha256 = models.CharField(max_length=64, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("entrusted-processing agreement")
        verbose_name_plural = _("entrusted-processing agreements")
        ordering = ["org", "-starts_on", "-id"]
        indexes = [models.Index(fields=["org", "ends_on"], name="agreement_org_ends")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="agreement_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.starts_on}–{self.ends_on}"

    def in_force(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day <= self.ends_on

    @property
    def purpose_labels(self) -> list[str]:
        names = dict(AgreementPurpose.choices)
        return [str(names.get(p, p)) for p in self.purposes]
