"""Versions of the KPI dictionary (统计口径) the bureau signs off.

A version freezes every entry the KPI declarations give (``dictionary.entries()``) with a
content hash; a district admin proposes it (a draft), a second district admin approves it.
Approving a version supersedes the one approved before it; the newest approved version is the
one the page, the exports and the annual report cite.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DictionaryVersion(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    region = models.ForeignKey("regions.Region", verbose_name=_("district"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    number = models.PositiveIntegerField(_("version number"))
    entries = models.JSONField(_("entries"), default=list, editable=False)
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    state = models.CharField(_("state"), max_length=12, choices=VersionState.choices,
                             default=VersionState.DRAFT)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"),
                                    on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("KPI dictionary version")
        verbose_name_plural = _("KPI dictionary versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"],
                                    name="definitions_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"

    def approval_text(self, lang: str = "zh") -> str:
        """The approval record as the exports and the annual report cite it."""
        if self.approved_at is None or self.approved_by is None:
            if lang == "en":
                return f"KPI dictionary version {self.number}, awaiting approval"
            return f"统计口径:第{self.number}版,待批准"
        day = timezone.localtime(self.approved_at).strftime("%Y-%m-%d")
        if lang == "en":
            return (f"KPI dictionary version {self.number}, approved on {day} by "
                    f"{self.approved_by}")
        return f"统计口径:第{self.number}版,{day} 经 {self.approved_by} 批准"
