"""Social organisations: registered (统一社会信用代码) or filed community organisations (备案)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class SocialOrganization(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")

    def __str__(self) -> str:
        return self.name
