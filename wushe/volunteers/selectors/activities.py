"""Reads of activities, sign-ups and the calendar."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.volunteers import access
from wushe.volunteers.models import Activity, ActivityStatus, Membership, SignUp, Team

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@dataclass(frozen=True)
class ActivityFilters:
    team: Team | None = None  # organised by this team or a team below it
    status: str = ""
    kind: str = ""
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive

    def apply(self, qs: QuerySet[Activity]) -> QuerySet[Activity]:
        if self.team is not None:
            qs = qs.filter(scope.subtree_q("team_path", self.team.path))
        if self.status:
            qs = qs.filter(status=self.status)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.start:
            qs = qs.filter(starts_at__gte=_midnight(self.start))
        if self.end:
            qs = qs.filter(starts_at__lt=_midnight(self.end + dt.timedelta(days=1)))
        return qs


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def activity_list(*, actor: Actor, filters: ActivityFilters | None = None,
                  perm: str = access.VIEW) -> QuerySet[Activity]:
    """Activities in the actor's scope and, for reading, the actor's own as a volunteer: those
    of its teams and the teams above (the ones its page offers, which ``activity_get`` opens)
    and those it signed up for. A volunteer account holds no region grant that reaches
    activities, so without the second part its list was empty while its page listed them."""
    q = access.scope_q(actor, perm)
    own = _own_q(actor) if perm == access.VIEW and q is not None else None
    qs = Activity.objects.get_queryset()
    if q is not None:
        qs = qs.filter(q | own if own is not None else q)
    return (filters or ActivityFilters()).apply(qs.mark_scoped()).select_related("team", "region")


def _own_q(actor: Actor) -> Q | None:
    own = access.own_volunteer_id(actor)
    if own is None:
        return None
    signed = SignUp.objects.mark_scoped().filter(activity=OuterRef("pk"), volunteer_id=own)
    return ((Q(team_path__in=_team_prefixes(own)) & ~Q(status=ActivityStatus.DRAFT))
            | Q(Exists(signed)))


def activity_get(*, actor: Actor, activity_id: int, perm: str = access.VIEW) -> Activity:
    found = access.visible(Activity.objects.select_related("team", "region"), actor, perm) \
        .filter(pk=activity_id).first()
    if found is None:
        found = _open_to_me(actor).filter(pk=activity_id).first() if perm == access.VIEW else None
    if found is None:
        raise NotFound()
    return found


def _open_to_me(actor: Actor) -> QuerySet[Activity]:
    """Activities the actor's own volunteer record may sign up for: its teams' and above."""
    own = access.own_volunteer_id(actor)
    if own is None:
        return Activity.objects.unscoped(reason="none(): reads no row").none()
    return (Activity.objects.mark_scoped().filter(team_path__in=_team_prefixes(own))
            .select_related("team", "region"))


def _team_prefixes(volunteer_id: int) -> set[str]:
    """The paths of the volunteer's current teams and of every team above them."""
    paths = list(Membership.objects.mark_scoped().filter(volunteer_id=volunteer_id, left_on=None)
                 .values_list("team_path", flat=True))
    return {p[:n] for p in paths for n in range(4, len(p) + 1, 4)}


def activities_open_to_me(*, actor: Actor) -> QuerySet[Activity]:
    return _open_to_me(actor).filter(status=ActivityStatus.OPEN,
                                     ends_at__gt=timezone.now()).order_by("starts_at")


def month_calendar(*, actor: Actor, year: int, month: int,
                   filters: ActivityFilters | None = None) -> list[list[dict[str, Any]]]:
    """Weeks of days (Monday first), each with the visible activities starting that day."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    base = filters or ActivityFilters()
    scoped = ActivityFilters(team=base.team, status=base.status, kind=base.kind, start=first,
                             end=last)
    by_day: dict[dt.date, list[Activity]] = {}
    for a in activity_list(actor=actor, filters=scoped).order_by("starts_at")[:2000]:
        by_day.setdefault(timezone.localtime(a.starts_at).date(), []).append(a)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"date": d, "in_month": d.month == month, "activities": by_day.get(d, [])}
                      for d in week])
    return weeks


def signup_list(*, actor: Actor, activity: Activity) -> QuerySet[SignUp]:
    """Who signed up: for those who manage or view the activity."""
    return (access.visible(SignUp.objects, actor, access.VIEW)
            .filter(activity=activity).select_related("volunteer", "volunteer__person")
            .order_by("created_at", "id"))


def signup_get(*, actor: Actor, signup_id: int) -> SignUp:
    found = access.visible(SignUp.objects.select_related("activity", "volunteer"), actor,
                           access.VIEW, self_field="volunteer_id").filter(pk=signup_id).first()
    if found is None:
        raise NotFound()
    return found


def my_signups(*, actor: Actor) -> QuerySet[SignUp]:
    own = access.own_volunteer_id(actor)
    return (SignUp.objects.mark_scoped().filter(volunteer_id=own).select_related("activity")
            .order_by("-activity__starts_at")) if own else SignUp.objects.unscoped(reason="none(): reads no row").none()
