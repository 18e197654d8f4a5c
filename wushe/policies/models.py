"""The policy library (政策文件库): the documents the district's rules come from.

A document is adopted by a region (the district, normally) and applies to its whole subtree,
so everyone working inside the district reads it. A local rule (regions/rules.py) cites its
document by the document's ``key``; the local rules page links there.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class PolicyDocument(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    region = models.ForeignKey("regions.Region", verbose_name=_("adopted by"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    key = models.SlugField(_("citation key"), max_length=60, blank=True,
                           help_text=_("The key local rules cite this document by."))
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=100)
    number = models.CharField(_("document number (文号)"), max_length=60, blank=True)
    issued_on = models.DateField(_("date issued"))
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    file = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=120, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"),
                                 on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~models.Q(key=""),
                                    name="policy_key_unique"),
            models.UniqueConstraint(fields=["region", "number"], condition=~models.Q(number=""),
                                    name="policy_number_unique_per_region"),
        ]

    def __str__(self) -> str:
        return self.title

    def in_force(self, on: dt.date) -> bool:
        starts = self.effective_on or self.issued_on
        return starts <= on and (self.repealed_on is None or self.repealed_on > on)
