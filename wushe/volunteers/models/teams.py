"""Volunteer teams: 志愿服务总队 → 支队/分队 → 小队, each with its region and its totals.

A team's ``path`` is its place in the team tree: four digits per level (the sibling's ordinal),
so a corps is ``0001``, one of its detachments ``00010003`` and a squad below that
``000100030012``. The whole subtree of a team is then the index range
``path <= p < next(path)``, digits only, on any database and any collation; a team leader's
object grant is expanded to that range (see ``volunteers.access``).

Totals are maintained incrementally when a service record is confirmed (``hours_confirmed``
and ``records_confirmed`` of a team cover its whole subtree), so any total is one row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager

SEGMENT = 4  # digits per level in Team.path
MAX_SIBLINGS = 10 ** SEGMENT - 1


class TeamLevel(models.TextChoices):
    CORPS = "corps", _("Corps (总队)")
    DETACHMENT = "detachment", _("Detachment (支队/分队)")
    SQUAD = "squad", _("Squad (小队)")


# Depth of each level in the tree: a child sits exactly one level below its parent.
LEVEL_DEPTH = {TeamLevel.CORPS: 1, TeamLevel.DETACHMENT: 2, TeamLevel.SQUAD: 3}
CHILD_LEVEL = {TeamLevel.CORPS: TeamLevel.DETACHMENT, TeamLevel.DETACHMENT: TeamLevel.SQUAD}


def ancestor_paths(path: str) -> list[str]:
    """The paths of a team and of every team above it, top first."""
    return [path[:n] for n in range(SEGMENT, len(path) + 1, SEGMENT)]


class Team(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=100)
    brand = models.CharField(_("brand name"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=12, choices=TeamLevel.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent team"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="children")
    path = models.CharField(_("team code"), max_length=12, unique=True, editable=False)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Incremental totals of the whole subtree (this team and every team below it).
    hours_confirmed = models.DecimalField(_("confirmed hours"), max_digits=14, decimal_places=2,
                                          default=Decimal("0"), editable=False)
    records_confirmed = models.PositiveIntegerField(_("confirmed records"), default=0,
                                                    editable=False)
    # Active members of this team itself.
    members = models.PositiveIntegerField(_("members"), default=0, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["path"]
        constraints = [
            # The level is the depth: a corps is a root, a detachment sits under a corps, a
            # squad under a detachment (the parent's path is the child's prefix, services.py).
            models.CheckConstraint(
                condition=(Q(Exact(Length("path"), SEGMENT), level=TeamLevel.CORPS,
                             parent__isnull=True)
                           | Q(Exact(Length("path"), 2 * SEGMENT), level=TeamLevel.DETACHMENT,
                               parent__isnull=False)
                           | Q(Exact(Length("path"), 3 * SEGMENT), level=TeamLevel.SQUAD,
                               parent__isnull=False)),
                name="team_level_is_depth"),
            models.CheckConstraint(condition=Q(hours_confirmed__gte=0), name="team_hours_gte_0"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[TeamLevel(self.level)]

    @property
    def code(self) -> str:
        return self.path

    @property
    def display_name(self) -> str:
        return f"{self.name}({self.brand})" if self.brand and self.brand not in self.name \
            else self.name


class Membership(TimeStampedModel):
    """A volunteer in a team; a volunteer may belong to several teams."""

    scope_path_field: ClassVar[str] = "region_path"

    volunteer = models.ForeignKey("volunteers.Volunteer", verbose_name=_("volunteer"),
                                  on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="memberships")
    team_path = models.CharField(max_length=12, editable=False)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["volunteer", "team"],
                                               name="membership_unique")]
        # A leader's subtree: the team_path range first, then the volunteer.
        indexes = [models.Index(fields=["team_path", "volunteer"], name="membership_team_path")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ {self.team_id}"

    @property
    def active(self) -> bool:
        return self.left_on is None

