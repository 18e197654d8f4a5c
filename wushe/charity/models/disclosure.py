"""Published reports of a fund: periodic (quarterly by default) and annual."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.audit.models import AppendOnlyModel


class DisclosureKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic report")
    ANNUAL = "annual", _("Annual report")


class Disclosure(AppendOnlyModel):
    """A report as published: its figures are frozen, and it anchors the ledger (the chain's
    tip at publication), so a rewritten chain no longer matches what the public saw."""

    scope_path_field: ClassVar[str] = "region_path"

    fund = models.ForeignKey("charity.Fund", verbose_name=_("fund"), on_delete=models.PROTECT,
                             related_name="disclosures")
    kind = models.CharField(_("kind"), max_length=10, choices=DisclosureKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    figures = models.JSONField(_("figures"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, related_name="+")
    anchor_seq = models.BigIntegerField(_("ledger entry number at publication"))
    anchor_hash = models.CharField(_("ledger hash at publication"), max_length=64)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-period_end", "fund_id"]
        constraints = [models.UniqueConstraint(fields=["fund", "kind", "period_start"],
                                               name="disclosure_once_per_period")]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.kind} {self.period_start}–{self.period_end}"
