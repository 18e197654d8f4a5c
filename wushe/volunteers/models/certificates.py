"""Certificates of volunteer service (志愿服务证明) and pairing help (结对帮扶)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class Certificate(models.Model):
    """What was certified, frozen at issue: later corrections never rewrite an issued paper.

    ``snapshot`` holds the masked identity, the period, the hours and the records as printed;
    the PDF and the public verification page are rendered from it alone.
    """

    scope_path_field: ClassVar[str] = "region_path"

    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    volunteer = models.ForeignKey("volunteers.Volunteer", verbose_name=_("volunteer"),
                                  on_delete=models.PROTECT, related_name="certificates")
    team = models.ForeignKey("volunteers.Team", verbose_name=_("issuing team"),
                             on_delete=models.PROTECT, related_name="certificates")
    team_path = models.CharField(max_length=12, editable=False)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    hours = models.DecimalField(_("hours"), max_digits=14, decimal_places=2)
    records = models.PositiveIntegerField(_("records"))
    snapshot = models.JSONField(_("snapshot"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    revoke_reason = models.CharField(_("reason for revocation"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer service certificate")
        verbose_name_plural = _("volunteer service certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="certificate_hours_gt_0"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="certificate_period_order"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only revocation may touch an issued certificate (services/certificates.py).
        fields = kwargs.get("update_fields")
        if not self._state.adding and (fields is None or not set(fields) <= {
                "revoked_at", "revoked_by", "revoke_reason"}):
            raise ValueError("an issued certificate is not edited; revoke it and issue anew")
        super().save(*args, **kwargs)

    @property
    def valid(self) -> bool:
        return self.revoked_at is None


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Pairing(TimeStampedModel):
    """A volunteer (or a whole team) paired with a person in care, with its visit log."""

    scope_path_field: ClassVar[str] = "region_path"

    team = models.ForeignKey("volunteers.Team", verbose_name=_("responsible team"),
                             on_delete=models.PROTECT, related_name="pairings")
    team_path = models.CharField(max_length=12, editable=False)
    volunteer = models.ForeignKey("volunteers.Volunteer", verbose_name=_("volunteer"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="pairings")
    person = models.ForeignKey("people.Person", verbose_name=_("person in care"),
                               on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("community"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    target_group = models.CharField(_("target group"), max_length=16)
    # Care needs often describe health or hardship: sensitive, so encrypted at rest.
    needs = EncryptedTextField(_("care needs"), blank=True, default="")
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PairingStatus.choices,
                              default=PairingStatus.ACTIVE)
    visits = models.PositiveIntegerField(_("visits"), default=0, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"pairing {self.pk}"


class VisitLog(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT,
                                related_name="visit_logs")
    team_path = models.CharField(max_length=12, editable=False)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    visited_on = models.DateField(_("visited on"))
    minutes = models.PositiveIntegerField(_("duration (minutes)"))
    visitor = models.ForeignKey("volunteers.Volunteer", verbose_name=_("visitor"),
                                on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What was seen and done at a home visit: sensitive, encrypted at rest.
    content = EncryptedTextField(_("what was done"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("visit log")
        verbose_name_plural = _("visit logs")
        ordering = ["-visited_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0, minutes__lte=24 * 60),
                                              name="visit_minutes_range")]

    def __str__(self) -> str:
        return f"visit {self.visited_on}"
