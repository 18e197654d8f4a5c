"""The organisations app's work items (inbox/registry.py): incubations whose periodic
follow-up or field visit is due, for whoever may record it (orgs.manage over the
organisation's region, the rule of services.follow_up_record); and current ratings that end
within the notice period (the rule orgs.rating_notice_days), for whoever may award the next
one (orgs.rate). A follow-up closes when recorded (page, API) or when the incubation ends; a
rating when a new one is awarded (page, API) or it ends early (suspension, elimination)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.inbox.registry import Item, producer
from wushe.orgs import access
from wushe.orgs.models import FollowUpKind, Incubation, IncubationStage, Rating
from wushe.regions import rules

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

FOLLOW_UP_KIND = "orgs.incubation.followup"
RATING_KIND = "orgs.rating.expiring"


def _cycles() -> tuple[int, int]:
    """The district-wide follow-up and field-visit cycles (days), as the incubation list's
    overdue filter reads them."""
    return int(rules.value("orgs.follow_up_days")), int(rules.value("orgs.field_visit_days"))


def _follow_up_item(inc: Incubation) -> Item:
    follow, visit = _cycles()
    follow_due = inc.follow_base + dt.timedelta(days=follow)  # type: ignore[attr-defined]
    visit_due = inc.visit_base + dt.timedelta(days=visit)  # type: ignore[attr-defined]
    what = FollowUpKind.FOLLOW_UP if follow_due <= visit_due else FollowUpKind.FIELD_VISIT
    title = f"{inc.org.name} · {FollowUpKind(what).label} · {inc.org.region.name}"
    return Item(FOLLOW_UP_KIND, title, min(follow_due, visit_due),
                reverse("orgs:incubation", args=[inc.pk]))


@producer(FOLLOW_UP_KIND, label=_("Incubation follow-ups due"), society="org",
          item=_follow_up_item, order_by=("follow_base", "id"))
def follow_ups_due(actor: Actor) -> QuerySet[Incubation]:
    if not scope.has_perm(actor, access.MANAGE):
        return Incubation.objects.unscoped(reason="none(): reads no row").none()
    today = timezone.localdate()
    follow, visit = _cycles()
    return (scope.visible(Incubation.objects, actor, access.MANAGE)
            .exclude(stage__in=(IncubationStage.GRADUATED, IncubationStage.WITHDRAWN))
            .annotate(
                follow_base=Coalesce(Max("follow_ups__on",
                                         filter=Q(follow_ups__kind=FollowUpKind.FOLLOW_UP)),
                                     "started_on"),
                visit_base=Coalesce(Max("follow_ups__on",
                                        filter=Q(follow_ups__kind=FollowUpKind.FIELD_VISIT)),
                                    "started_on"))
            .filter(Q(follow_base__lte=today - dt.timedelta(days=follow))
                    | Q(visit_base__lte=today - dt.timedelta(days=visit)))
            .select_related("org", "org__region"))


def _rating_item(r: Rating) -> Item:
    title = f"{r.org.name} · {r.label} · {r.org.region.name}"
    return Item(RATING_KIND, title, r.valid_until, reverse("orgs:detail", args=[r.org_id]))


@producer(RATING_KIND, label=_("Ratings about to expire"), society="org", item=_rating_item,
          order_by=("valid_until", "id"))
def ratings_expiring(actor: Actor) -> QuerySet[Rating]:
    if not scope.has_perm(actor, access.RATE):
        return Rating.objects.unscoped(reason="none(): reads no row").none()
    today = timezone.localdate()
    notice = int(rules.value("orgs.rating_notice_days"))
    return (scope.visible(Rating.objects, actor, access.RATE)
            .filter(awarded_on__lte=today, valid_until__gte=today,
                    valid_until__lte=today + dt.timedelta(days=notice))
            .select_related("org", "org__region"))
