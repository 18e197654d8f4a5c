"""The volunteer side of a dispatch (派单 to a volunteer team): an activity for the need.

When community staff dispatch a need to a volunteer team, the team gets an activity open for
sign-up, titled by the need's tracking code and category (never the resident's personal data).
Volunteers sign up, check in and check out as for any activity; each check-out is a pending
service record the team then confirms. When the need ends, the activity is finished (the need
was served) or cancelled (the team returned it, or it was resolved before the team took it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.core.services import service
from wushe.regions.models import Region
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import Activity, ActivityKind, ActivityStatus, Team
from wushe.volunteers.models.volunteers import join_tags

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# Need categories (needs/categories.py) → the kind of volunteer activity answering them.
KIND_FOR: dict[str, str] = {
    "elderly_care": ActivityKind.CARE, "child_care": ActivityKind.CARE,
    "disability_support": ActivityKind.CARE, "medical_help": ActivityKind.CARE,
    "counselling": ActivityKind.COUNSELLING, "temporary_relief": ActivityKind.EMERGENCY,
    "dispute": ActivityKind.GOVERNANCE, "environment": ActivityKind.CIVILISATION,
}
# The need's target group → the activity's target group codes.
GROUP_FOR: dict[str, str] = {"elderly": "elderly", "minor": "minors", "hardship": "hardship"}
CAPACITY = 10
REF = "volunteers.activity:"


@service
def activity_for_need(*, actor: Actor, team: Team, need: Any, category_zh: str) -> Activity:
    """Called only by the volunteer-team linkage provider inside needs' dispatch service, which
    has checked the dispatcher's needs.dispatch over the need and the team's eligibility: the
    dispatcher need not manage the team (a street team answering a community's need)."""
    region = Region.objects.unscoped(reason="hook: the calling service authorised it").get(pk=need.community_id)
    now = timezone.now()
    due_end = timezone.make_aware(dt.datetime.combine(need.due_on, dt.time(18, 0))) \
        if need.due_on else now
    ends = due_end if due_end > now + dt.timedelta(hours=1) else now + dt.timedelta(days=1)
    activity = Activity.objects.create(
        team=team, team_path=team.path, region=region, region_path=region.path,
        title=f"响应需求 {need.tracking_code}:{category_zh}"[:100],
        kind=KIND_FOR.get(need.category, ActivityKind.OTHER),
        target_groups=join_tags([GROUP_FOR.get(need.target_group, "residents")]),
        place=region.name[:200], starts_at=now, ends_at=ends, capacity=CAPACITY,
        description=f"派单自居民需求 {need.tracking_code}(服务时长在签退后待本队确认)",
        status=ActivityStatus.OPEN)
    audit.record(actor=actor, action=VolunteerAction.ACTIVITY_CREATED, target=activity,
                 label=activity.title, data={"team": team.pk, "need": need.tracking_code,
                                             "via": "dispatch"})
    return activity


@service
def activity_end_for_need(*, actor: Actor, external_ref: str, served: bool) -> Activity | None:
    """The need ended: finish the activity if the team served it, else cancel it."""
    if not external_ref.startswith(REF):
        return None
    activity = Activity.objects.unscoped(reason="hook: the calling service authorised it").filter(pk=int(external_ref.removeprefix(REF))).first()
    live = (ActivityStatus.DRAFT, ActivityStatus.OPEN, ActivityStatus.CLOSED)
    if activity is None or activity.status not in live:
        return activity
    old = activity.status
    activity.status = ActivityStatus.FINISHED if served and old != ActivityStatus.DRAFT \
        else ActivityStatus.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.ACTIVITY_STATUS_CHANGED, target=activity,
                 label=activity.title, data={"old": old, "new": activity.status, "via": "need"})
    return activity
