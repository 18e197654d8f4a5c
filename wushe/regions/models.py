"""The region tree (区 → 镇街 → 社区/村 → 网格) and the sites attached to it.

Scope is a region subtree. Every region-bound row carries ``region_path``: the significant
prefix of its region's code (district 6 digits, street 9, community 12, grid 15), so "is in
the subtree of P" is the index-friendly range ``P <= region_path < next(P)`` on any database
and any collation.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class RegionLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street / town")
    COMMUNITY = "community", _("Community / village")
    GRID = "grid", _("Grid")


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("District (区)")
    STREET = "street", _("Street (街道)")
    TOWN = "town", _("Town (镇)")
    COMMUNITY = "community", _("Community (社区)")
    VILLAGE = "village", _("Village (村)")
    GRID = "grid", _("Grid (网格)")


# Length of the significant code prefix at each level.
PATH_LENGTH = {
    RegionLevel.DISTRICT: 6,
    RegionLevel.STREET: 9,
    RegionLevel.COMMUNITY: 12,
    RegionLevel.GRID: 15,
}
LEVEL_ORDER = [RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY, RegionLevel.GRID]
KINDS_BY_LEVEL = {
    RegionLevel.DISTRICT: {RegionKind.DISTRICT},
    RegionLevel.STREET: {RegionKind.STREET, RegionKind.TOWN},
    RegionLevel.COMMUNITY: {RegionKind.COMMUNITY, RegionKind.VILLAGE},
    RegionLevel.GRID: {RegionKind.GRID},
}

code_validator = RegexValidator(
    r"^\d{12}(\d{3})?$",
    _("A region code has 12 digits (admin-division code); a grid adds 3 more."),
)


def path_for(code: str, level: str) -> str:
    return code[: PATH_LENGTH[RegionLevel(level)]]


class Region(TimeStampedModel):
    scope_path_field: ClassVar[str] = "path"

    code = models.CharField(_("code"), max_length=15, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=15, db_index=True, editable=False)
    population = models.PositiveIntegerField(_("permanent population"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "path"], name="region_level_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def region_path(self) -> str:
        return self.path

    def ancestor_paths(self) -> list[str]:
        """Paths of this region and every ancestor, district first (no query needed)."""
        return [self.path[:n] for n in (6, 9, 12, 15) if n <= len(self.path)]


class SiteKind(models.TextChoices):
    SW_CENTRE = "sw_centre", _("District social-work service centre (区社会工作服务中心)")
    SW_STATION = "sw_station", _("Street social-work station (镇街社工站)")
    SW_ROOM = "sw_room", _("Community social-work room (社区社工室)")
    PARTY_CENTRE = "party_centre", _("Party-and-people service centre (党群服务中心)")
    INCUBATOR = "incubator", _("Incubation base (孵化基地)")
    CHARITY_CENTRE = "charity_centre", _("Charity service centre (慈善公益服务中心)")
    COMPLEX = "complex", _("Community complex (社区综合体)")
    ELDERLY_STATION = "elderly_station", _("Elderly-care station (养老服务站)")


# The tier of each social-work site and the region level it belongs at (三级联动体系).
SITE_LEVEL = {
    SiteKind.SW_CENTRE: RegionLevel.DISTRICT,
    SiteKind.SW_STATION: RegionLevel.STREET,
    SiteKind.SW_ROOM: RegionLevel.COMMUNITY,
}


class Site(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="sites"
    )
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    area_m2 = models.PositiveIntegerField(_("floor area (m²)"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["region_path", "kind", "name"]
        indexes = [models.Index(fields=["kind", "region_path"], name="site_kind_path")]

    def __str__(self) -> str:
        return self.name


class RegionRule(TimeStampedModel):
    """A district admin's override of a local rule (regions/rules.py) for one region subtree."""

    scope_path_field: ClassVar[str] = "region_path"

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="rules")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    key = models.CharField(_("rule"), max_length=64)
    value = models.JSONField(_("value"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("local rule")
        verbose_name_plural = _("local rules")
        constraints = [models.UniqueConstraint(fields=["key", "region"], name="rule_unique")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.region_path}"
