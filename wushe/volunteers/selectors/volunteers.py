"""Reads of volunteers, memberships and applications: scoped, paged, masked by default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Exists, OuterRef, QuerySet

from wushe.accounts import scope
from wushe.core.crypto import blind_index
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.ids import identifier_text, normalize_id_number, to_half_width
from wushe.core.paging import deferred_page
from wushe.volunteers import access
from wushe.volunteers.models import (
    ApplicationStatus,
    Membership,
    Team,
    Volunteer,
    VolunteerApplication,
)
from wushe.volunteers.stars import StarScale

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VOLUNTEER_LIST_FIELDS = (
    "id", "number", "region_path", "status", "join_date", "hours_confirmed", "records_confirmed",
    "skills", "interests", "person__id", "person__name", "person__gender",
    "person__birth_date", "person__id_number", "region__name", "region__code",
)


@dataclass(frozen=True)
class VolunteerFilters:
    q: str = ""  # a volunteer number, a full ID number (blind index), or the start of a name
    region_path: str = ""
    team: Team | None = None  # members of this team's subtree
    status: str = ""
    stars: int | None = None
    skill: str = ""
    interest: str = ""

    def apply(self, qs: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
        q = to_half_width(self.q).strip()
        if q:
            compact = q.replace(" ", "").upper()
            if compact.startswith("ZY"):
                qs = qs.filter(number=volunteer_number_text(self.q))
            elif len(compact) == 18 and compact[:17].isdigit():
                qs = qs.filter(person__id_number_bidx=blind_index(normalize_id_number(compact)))
            else:
                qs = qs.filter(person__name=q)
        if self.region_path:
            if not self.region_path.isdigit():
                raise ValidationFailed("地区代码无效", "Invalid region code", field="region")
            qs = qs.filter(scope.subtree_q("region_path", self.region_path))
        if self.team is not None:
            members = Membership.objects.unscoped(reason="subquery: the outer rows are scoped").filter(
                volunteer=OuterRef("pk"), left_on=None).filter(
                scope.subtree_q("team_path", self.team.path))
            qs = qs.filter(Exists(members))
        if self.status:
            qs = qs.filter(status=self.status)
        if self.skill:
            qs = qs.filter(skills__contains=f",{self.skill.strip()},")
        if self.interest:
            qs = qs.filter(interests__contains=f",{self.interest},")
        if self.stars is not None:
            qs = qs.filter(StarScale.load().band_q(self.stars, self.region_path))
        return qs


# Community by community, in registration order: the (region_path, id) index, no sort.
VOLUNTEER_ORDER = ("region_path", "id")


def volunteer_list(*, actor: Actor, filters: VolunteerFilters | None = None,
                   perm: str = access.VIEW) -> QuerySet[Volunteer]:
    qs = access.visible_volunteers(Volunteer.objects, actor, perm)
    qs = (filters or VolunteerFilters()).apply(qs)
    return qs.select_related("person", "region").only(*VOLUNTEER_LIST_FIELDS).order_by(
        *VOLUNTEER_ORDER)


def volunteer_page(*, actor: Actor, filters: VolunteerFilters | None = None, number: object = 1,
                   per_page: int | None = None) -> Page:
    qs = volunteer_list(actor=actor, filters=filters)
    page = deferred_page(qs, number, per_page or settings.WUSHE_PAGE_SIZE,
                         lambda ids: qs.filter(pk__in=ids).order_by())
    annotate_stars(page.object_list)
    return page


def annotate_stars(volunteers: Any) -> None:
    scale = StarScale.load()
    for v in volunteers:
        v.stars = scale.stars(v.hours_confirmed, v.region_path)
        v.next_threshold = scale.next_threshold(v.hours_confirmed, v.region_path)


def volunteer_get(*, actor: Actor, volunteer_id: int, perm: str = access.VIEW) -> Volunteer:
    volunteer = access.visible_volunteers(
        Volunteer.objects.select_related("person", "region", "consent", "consent__guardian"),
        actor, perm).filter(pk=volunteer_id).first()
    if volunteer is None:
        raise NotFound()
    annotate_stars([volunteer])
    return volunteer


def volunteer_number_text(raw: object) -> str:
    """A volunteer number as typed: full-width folded, other scripts and invisible characters
    refused (``identifier_text``), spaces and dashes dropped, upper case."""
    text = identifier_text(raw, what_zh="志愿者编号", what_en="volunteer number", field="number")
    return text.replace(" ", "").replace("-", "").upper()


def volunteer_lookup(*, actor: Actor, number: str) -> Volunteer | None:
    return access.visible_volunteers(Volunteer.objects.select_related("person"), actor,
                                     access.VIEW).filter(number=volunteer_number_text(number)).first()


def my_volunteer(*, actor: Actor) -> Volunteer | None:
    """The actor's own volunteer record (the volunteer role's "self")."""
    own = access.own_volunteer_id(actor)
    if own is None:
        return None
    return volunteer_get(actor=actor, volunteer_id=own)


def memberships(*, actor: Actor, volunteer: Volunteer) -> list[Membership]:
    """The volunteer's teams (team names are not personal data; the volunteer is visible)."""
    return list(Membership.objects.unscoped(reason="children of a row read in scope").filter(volunteer=volunteer)
                .select_related("team").order_by("left_on", "team__path"))


def team_members(*, actor: Actor, team: Team) -> QuerySet[Membership]:
    access.require(actor, access.VIEW, team)
    return (Membership.objects.unscoped(reason="children of a row read in scope").filter(team=team, left_on=None)
            .select_related("volunteer", "volunteer__person").order_by("-joined_on", "-id"))


def application_list(*, actor: Actor, status: str = ApplicationStatus.PENDING
                     ) -> QuerySet[VolunteerApplication]:
    qs = access.visible(VolunteerApplication.objects, actor, access.MANAGE)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("region", "team").order_by("-created_at", "-id")


def application_get(*, actor: Actor, application_id: int) -> VolunteerApplication:
    found = access.visible(VolunteerApplication.objects.select_related("region", "team"), actor,
                           access.MANAGE).filter(pk=application_id).first()
    if found is None:
        raise NotFound()
    return found

