"""Reads of needs: the dispatch queue, the need page, the public tracking view. Scope and the
minors rule come from needs/access.py (on top of accounts.scope); nothing else filters."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wushe.accounts import scope
from wushe.core.calendar import add_workdays
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.core.ids import region_code_text
from wushe.core.paging import deferred_page
from wushe.needs import access, linkage, perms, sla
from wushe.needs import rules as need_rules
from wushe.needs.categories import CATEGORIES, Channel, NeedGroup
from wushe.needs.codes import normalize_code
from wushe.needs.models import ACTIVE_ASSIGNMENT, Assignment, FollowUp, Need, NeedEvent
from wushe.needs.workflow import DONE, OPEN, PUBLIC_LABELS, STATE_NAMES, State
from wushe.regions import rules
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# What a list row needs; the encrypted description is decrypted only on the need page.
LIST_FIELDS = ("id", "tracking_code", "channel", "category", "target_group", "urgency", "state",
               "received_at", "due_on", "escalation_level", "extensions", "reminded_for",
               "region_path", "region__name", "community__name", "society_count",
               "satisfaction", "reopened_count", "contact_name", "duplicate_of_id")

BUCKETS = {
    "open": OPEN, "todo": frozenset({State.SUBMITTED, State.ACCEPTED}),
    "working": frozenset({State.DISPATCHED, State.TAKEN, State.IN_PROGRESS}),
    "done": DONE, "all": frozenset(State.values),
}


@dataclass(frozen=True)
class NeedFilters:
    bucket: str = "open"          # open / todo / working / done / all
    state: str = ""
    category: str = ""
    channel: str = ""
    target_group: str = ""
    region_code: str = ""
    sla: str = ""                 # overdue / due / ok
    escalated: bool = False       # escalated to the street or district
    mine: bool = False            # assigned to me
    q: str = ""                   # a tracking code

    def apply(self, qs: QuerySet[Need], actor: Actor, today: dt.date) -> QuerySet[Need]:
        if self.state:
            if self.state not in State.values:
                raise ValidationFailed("状态无效", "Unknown status", field="state")
            qs = qs.filter(state=self.state)
        else:
            if self.bucket not in BUCKETS:
                raise ValidationFailed("范围无效", "Unknown list", field="bucket")
            if self.bucket != "all":
                qs = qs.filter(state__in=BUCKETS[self.bucket])
        for name, allowed in (("category", CATEGORIES), ("channel", Channel.values),
                              ("target_group", NeedGroup.values)):
            value = getattr(self, name)
            if value:
                if value not in allowed:
                    raise ValidationFailed("筛选条件无效", "Unknown filter value", field=name)
                qs = qs.filter(**{name: value})
        if self.region_code:
            code = region_code_text(self.region_code)
            region = Region.objects.unscoped(reason="reference: the region tree").filter(code=code).only("path").first() \
                if code.isdigit() else None
            qs = qs.filter(scope.subtree_q("region_path", region.path)) if region else qs.none()
        if self.sla:
            qs = qs.filter(state__in=OPEN)
            soon = add_workdays(today, int(rules.value(need_rules.REMIND_BEFORE.key)))
            if self.sla == "overdue":
                qs = qs.filter(due_on__lt=today)
            elif self.sla == "due":
                qs = qs.filter(due_on__gte=today, due_on__lte=soon)
            elif self.sla == "ok":
                qs = qs.filter(due_on__gt=soon)
            else:
                raise ValidationFailed("时限筛选无效", "Unknown deadline filter", field="sla")
        if self.escalated:
            qs = qs.filter(escalation_level__gt=0)
        if self.mine:
            qs = qs.filter(pk__in=Assignment.objects.mark_scoped()
                           .filter(access.assignee_q(actor), state__in=ACTIVE_ASSIGNMENT)
                           .values("need_id"))
        if self.q.strip():
            try:
                qs = qs.filter(tracking_code=normalize_code(self.q))
            except ValidationFailed:
                raise ValidationFailed("请输入完整的12位查询码", "Enter the full 12-character tracking code",
                                       field="q") from None
        return qs


def need_list(*, actor: Actor, filters: NeedFilters | None = None,
              today: dt.date | None = None) -> QuerySet[Need]:
    """The queue: what falls due first on top (then the oldest)."""
    today = today or timezone.localdate()
    qs = (filters or NeedFilters()).apply(access.visible_needs(actor), actor, today)
    return qs.select_related("region", "community").only(*LIST_FIELDS).order_by("due_on", "id")


def need_page(*, actor: Actor, filters: NeedFilters | None = None, number: object = 1,
              per_page: int | None = None) -> Page:
    qs = need_list(actor=actor, filters=filters)
    page = deferred_page(qs, number, per_page or settings.WUSHE_PAGE_SIZE,
                         lambda ids: qs.filter(pk__in=ids).order_by())
    today = timezone.localdate()
    remind = int(rules.value(need_rules.REMIND_BEFORE.key))
    for need in page.object_list:
        need.sla_colour = sla.colour(need.state, need.due_on, today, remind)
    return page


def queue_counts(*, actor: Actor, today: dt.date | None = None) -> dict[str, int]:
    """Open needs in the actor's queue by SLA colour, in one query."""
    today = today or timezone.localdate()
    soon = add_workdays(today, int(rules.value(need_rules.REMIND_BEFORE.key)))
    return access.visible_needs(actor).filter(state__in=OPEN).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)),
        due=Count("id", filter=Q(due_on__gte=today, due_on__lte=soon)),
        todo=Count("id", filter=Q(state__in=(State.SUBMITTED, State.ACCEPTED))),
        escalated=Count("id", filter=Q(escalation_level__gt=0)))


def need_get(*, actor: Actor, need_id: object) -> Need:
    try:
        return access.visible_needs(actor).select_related(
            "region", "community", "requester", "care_profile", "merged_into", "duplicate_of"
        ).get(pk=int(str(need_id)))
    except (Need.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def need_events(*, need: Need) -> QuerySet[NeedEvent]:
    """The need's timeline (the caller has the need from need_get: it is in scope)."""
    return NeedEvent.objects.unscoped(reason="children of a row read in scope").filter(need_id=need.pk).order_by("at", "id")


def need_assignments(*, need: Need) -> QuerySet[Assignment]:
    return Assignment.objects.unscoped(reason="children of a row read in scope").filter(need_id=need.pk).select_related("user") \
        .order_by("-role", "id")


def need_follow_ups(*, need: Need) -> QuerySet[FollowUp]:
    return FollowUp.objects.unscoped(reason="children of a row read in scope").filter(need_id=need.pk).select_related("by").order_by("at")


def need_suggestions(*, actor: Actor, need: Need, per_society: int = 5) -> list[linkage.Candidate]:
    """Candidates of every registered provider, with reasons: for those who dispatch."""
    if not access.may(actor, perms.NEED_DISPATCH, need):
        if access.may_see(actor, need):
            raise PermissionDenied()
        raise NotFound()
    active = set(Assignment.objects.unscoped(reason="children of a row read in scope").filter(need_id=need.pk, state__in=ACTIVE_ASSIGNMENT)
                 .values_list("society", "object_id"))
    return [c for c in linkage.suggest_all(need, per_society=per_society)
            if (c.society, c.object_id) not in active]


def merge_targets(*, actor: Actor, need: Need) -> QuerySet[Need]:
    """Live needs of the same community and category the need could be merged into."""
    return (access.visible_needs(actor).filter(community_id=need.community_id,
                                               category=need.category)
            .exclude(pk=need.pk).exclude(state__in=(State.MERGED, State.DECLINED))
            .only(*LIST_FIELDS).select_related("region", "community").order_by("-received_at")[:20])


def public_view(*, tracking_code: object) -> dict[str, Any]:
    """What the resident sees by tracking code: status and timeline, no personal data — no
    names, phones, description, notes or staff names."""
    code = normalize_code(tracking_code)
    need = (Need.objects.unscoped(reason="public: a tracking code, nothing personal").filter(tracking_code=code)
            .select_related("community", "merged_into").first())
    if need is None:
        raise NotFound("查询码不存在", "No request has this tracking code")
    shown = need.merged_into if need.merged_into_id else need
    assert shown is not None
    events = [e for e in NeedEvent.objects.unscoped(reason="public: a tracking code, nothing personal").filter(need_id__in={need.pk, shown.pk})
              .order_by("at", "id").only("at", "action") if e.action in PUBLIC_LABELS]
    category = CATEGORIES.get(need.category)
    state_zh, state_en = STATE_NAMES[shown.state]
    return {
        "tracking_code": need.tracking_code,
        "category": need.category,
        "category_name": {"zh": category.zh, "en": category.en} if category else {},
        "community": need.community.name,
        "status": shown.state,
        "status_name": {"zh": state_zh, "en": state_en},
        "merged": need.merged_into_id is not None,
        "received_at": need.received_at,
        "due_on": shown.due_on if shown.state in OPEN else None,
        "resolved_at": shown.resolved_at,
        "can_rate": need.merged_into_id is None and need.state in (State.RESOLVED,
                                                                  State.FOLLOWED_UP),
        "satisfaction": need.satisfaction,
        "timeline": [{"at": e.at, "action": e.action,
                      "label": {"zh": PUBLIC_LABELS[e.action][0], "en": PUBLIC_LABELS[e.action][1]}}
                     for e in events],
    }


def public_sms_status(*, tracking_code: object) -> dict[str, Any] | None:
    """The resident's SMS subscription as the tracking page shows it (no phone, no code);
    None when the resident did not ask for SMS."""
    from wushe.needs.models import NeedSubscription
    from wushe.needs.models.subscription import CODE_RESEND_SECONDS, CODES_MAX, TRIES_MAX

    sub = (NeedSubscription.objects.filter(need__tracking_code=normalize_code(tracking_code))
           .first())
    if sub is None:
        return None
    now = timezone.now()
    wait = 0.0
    if sub.code_sent_at is not None:
        wait = CODE_RESEND_SECONDS - (now - sub.code_sent_at).total_seconds()
    codes_left = max(0, CODES_MAX - sub.sends)
    return {"confirmed": sub.confirmed, "locked": sub.locked, "expired": sub.expired(now),
            "codes_left": codes_left, "tries_left": max(0, TRIES_MAX - sub.tries),
            "resend_wait": math.ceil(wait) if wait > 0 else 0,
            "can_resend": not sub.confirmed and not sub.locked and codes_left > 0}


def assignment_get(*, actor: Actor, assignment_id: object) -> Assignment:
    """An assignment of a need the actor can see (assignees see their own needs)."""
    try:
        a = Assignment.objects.unscoped(reason="checked just below, 404 when out of scope").select_related("need").get(pk=int(str(assignment_id)))
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not access.may_see(actor, a.need):
        raise NotFound()
    return a


def my_assignments(*, actor: Actor) -> QuerySet[Assignment]:
    """Active assignments the actor acts for: the assignee's work list (工作清单)."""
    return (Assignment.objects.mark_scoped()
            .filter(access.assignee_q(actor), state__in=ACTIVE_ASSIGNMENT).select_related("need", "need__community").order_by("need__due_on", "id"))
