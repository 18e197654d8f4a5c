"""Volunteer teams (志愿服务总队 → 支队/分队 → 小队) and what hangs off them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class TeamLevel(models.TextChoices):
    CORPS = "corps", _("Corps (总队)")
    DETACHMENT = "detachment", _("Detachment (支队/分队)")
    SQUAD = "squad", _("Squad (小队)")


class Team(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=TeamLevel.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent team"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="children")
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")

    def __str__(self) -> str:
        return self.name
