"""Activities: create and change, open for sign-up (risky ones need insurance), sign-up,
check-in and check-out. Check-out records the hours (pending) for the organising team."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.regions.models import Region, RegionLevel
from wushe.volunteers import access, checkin
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Membership,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    TargetGroup,
    Team,
    Volunteer,
    VolunteerStatus,
)
from wushe.volunteers.services._common import aware, hours_between
from wushe.volunteers.services._records import create_record
from wushe.volunteers.validation import clean_codes

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# Which status an activity may move to from which.
TRANSITIONS: dict[str, set[str]] = {
    ActivityStatus.DRAFT: {ActivityStatus.OPEN, ActivityStatus.CANCELLED},
    ActivityStatus.OPEN: {ActivityStatus.CLOSED, ActivityStatus.FINISHED,
                          ActivityStatus.CANCELLED},
    ActivityStatus.CLOSED: {ActivityStatus.OPEN, ActivityStatus.FINISHED,
                            ActivityStatus.CANCELLED},
    ActivityStatus.FINISHED: set(),
    ActivityStatus.CANCELLED: set(),
}
EDITABLE = ("title", "kind", "target_groups", "place", "starts_at", "ends_at", "capacity",
            "description", "risky", "insurance_note")


def _clean(values: dict[str, Any], team: Team, region: Region) -> dict[str, Any]:
    if region.level == RegionLevel.DISTRICT or not (
            region.path.startswith(team.region_path) or team.region_path.startswith(region.path)):
        raise ValidationFailed("活动地点须在组织队伍的服务地区内", "The activity must take place in "
                               "the organising team's area", code="region_outside_team",
                               field="region")
    if values["kind"] not in ActivityKind.values:
        raise ValidationFailed("活动类型无效", "Unknown activity kind", field="kind")
    starts = aware(values["starts_at"], field="starts_at")
    ends = aware(values["ends_at"], field="ends_at")
    if ends <= starts:
        raise ValidationFailed("结束时间须晚于开始时间", "The end must be after the start",
                               code="interval_order", field="ends_at")
    try:
        capacity = int(values["capacity"])
    except (TypeError, ValueError):
        capacity = 0
    if not 0 < capacity <= 10000:
        raise ValidationFailed("人数上限须为1至10000之间的整数", "Capacity must be a whole number "
                               "from 1 to 10000", field="capacity")
    return {
        "title": clean_text(values["title"], field="title", label_zh="活动名称",
                            label_en="Title", max_length=100, required=True),
        "kind": values["kind"],
        "target_groups": clean_codes(values.get("target_groups"), TargetGroup.choices,
                                     field="target_groups", label_zh="服务对象",
                                     label_en="Target group"),
        "place": clean_text(values["place"], field="place", label_zh="活动地点", label_en="Place",
                            max_length=200, required=True),
        "starts_at": starts, "ends_at": ends, "capacity": capacity,
        "description": clean_text(values.get("description"), field="description",
                                  label_zh="活动说明", label_en="Description", max_length=4000),
        "risky": bool(values.get("risky")),
        "insurance_note": clean_text(values.get("insurance_note"), field="insurance_note",
                                     label_zh="保险说明", label_en="Insurance note",
                                     max_length=300),
    }


@service
def activity_create(*, actor: Actor, team: Team, region: Region, **values: Any) -> Activity:
    access.require(actor, access.MANAGE, team)
    data = _clean({k: values.get(k) for k in EDITABLE}, team, region)
    activity = Activity.objects.create(team=team, team_path=team.path, region=region,
                                       region_path=region.path, **data)
    audit.record(actor=actor, action=VolunteerAction.ACTIVITY_CREATED, target=activity,
                 label=activity.title, data={"team": team.pk, "risky": activity.risky,
                                             "starts_at": activity.starts_at.isoformat()})
    return activity


@service
def activity_update(*, actor: Actor, activity: Activity, **values: Any) -> Activity:
    access.require(actor, access.MANAGE, activity)
    if activity.status in (ActivityStatus.FINISHED, ActivityStatus.CANCELLED):
        raise IllegalTransition("已结束或已取消的活动不能修改", "A finished or cancelled activity "
                                "cannot be changed", code="activity_closed")
    team = Team.objects.unscoped(reason="service: scope.require checked the actor").get(pk=activity.team_id)
    region = Region.objects.unscoped(reason="reference: the region tree").get(pk=values.pop("region_id", activity.region_id))
    current = {k: getattr(activity, k) for k in EDITABLE}
    data = _clean({**current, **{k: v for k, v in values.items() if k in EDITABLE}}, team, region)
    if data["capacity"] < activity.signed_up:
        raise ValidationFailed("人数上限不能少于已报名人数", "Capacity cannot be below the number "
                               "signed up", field="capacity")
    if activity.status != ActivityStatus.DRAFT and data["risky"] and not data["insurance_note"]:
        raise ValidationFailed("有风险的活动须填写保险说明", "A risky activity needs an insurance note",
                               code="insurance_required", field="insurance_note")
    changes = audit.diff({k: str(v) for k, v in current.items()},
                         {k: str(v) for k, v in data.items()})
    for k, v in data.items():
        setattr(activity, k, v)
    activity.region, activity.region_path = region, region.path
    activity.save()
    if changes:
        audit.record(actor=actor, action=VolunteerAction.ACTIVITY_UPDATED, target=activity,
                     label=activity.title, data=changes)
    return activity


@service
def activity_set_status(*, actor: Actor, activity: Activity, status: str) -> Activity:
    access.require(actor, access.MANAGE, activity)
    if status not in TRANSITIONS.get(activity.status, set()):
        raise IllegalTransition("活动当前状态不能进行此操作", "The activity cannot move to that "
                                "state from its current one", code="illegal_status")
    if status == ActivityStatus.OPEN and activity.risky and not activity.insurance_note.strip():
        raise ValidationFailed("有风险的活动须先填写保险说明才能开放报名",
                               "A risky activity needs an insurance note before sign-up opens",
                               code="insurance_required", field="insurance_note")
    old = activity.status
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.ACTIVITY_STATUS_CHANGED, target=activity,
                 label=activity.title, data={"old": old, "new": status})
    return activity


def _may_self_sign(volunteer: Volunteer, activity: Activity) -> bool:
    """A volunteer may sign itself up for activities of its teams and the teams above them."""
    paths = Membership.objects.unscoped(reason="check: a membership test, no row shown").filter(volunteer=volunteer, left_on=None).values_list(
        "team_path", flat=True)
    return any(p.startswith(activity.team_path) for p in paths)


@service
def signup_create(*, actor: Actor, activity: Activity, volunteer: Volunteer) -> SignUp:
    if access.own_volunteer_id(actor) == volunteer.pk:
        if not _may_self_sign(volunteer, activity):
            raise NotFound()
    else:
        access.require(actor, access.MANAGE, activity)
        access.require(actor, access.VIEW, volunteer, view_perm=None)
    locked = Activity.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=activity.pk)
    if locked.status != ActivityStatus.OPEN:
        raise IllegalTransition("该活动未开放报名", "This activity is not open for sign-up",
                                code="not_open")
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationFailed("该志愿者当前不在册", "The volunteer is not active",
                               field="volunteer")
    if locked.ends_at <= timezone.now():
        raise IllegalTransition("活动已结束", "The activity is over", code="activity_over")
    if locked.signed_up >= locked.capacity:
        raise Conflict("报名人数已满", "The activity is full", code="full")
    signup = SignUp.objects.unscoped(reason="service: scope.require checked the actor").filter(activity=activity, volunteer=volunteer).first()
    if signup is not None and signup.status != SignUpStatus.CANCELLED:
        raise Conflict("已报名该活动", "Already signed up for this activity", code="already_signed")
    if signup is None:
        signup = SignUp.objects.create(activity=activity, volunteer=volunteer,
                                       team_path=activity.team_path,
                                       region_path=activity.region_path)
    else:
        signup.status = SignUpStatus.SIGNED_UP
        signup.save(update_fields=["status", "updated_at"])
    Activity.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=activity.pk).update(signed_up=F("signed_up") + 1)
    activity.signed_up = locked.signed_up + 1
    audit.record(actor=actor, action=VolunteerAction.SIGNUP_CREATED, target=signup,
                 label=volunteer.number, data={"activity": activity.pk,
                                               "volunteer": volunteer.pk})
    return signup


@service
def signup_cancel(*, actor: Actor, signup: SignUp) -> SignUp:
    if access.own_volunteer_id(actor) != signup.volunteer_id:
        access.require(actor, access.MANAGE, signup)
    if signup.status != SignUpStatus.SIGNED_UP:
        raise IllegalTransition("只能取消尚未签到的报名", "Only a sign-up not yet checked in can be "
                                "cancelled", code="not_cancellable")
    signup.status = SignUpStatus.CANCELLED
    signup.save(update_fields=["status", "updated_at"])
    Activity.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=signup.activity_id, signed_up__gt=0).update(
        signed_up=F("signed_up") - 1)
    audit.record(actor=actor, action=VolunteerAction.SIGNUP_CANCELLED, target=signup,
                 data={"activity": signup.activity_id, "volunteer": signup.volunteer_id})
    return signup


@service
def signup_check_in(*, actor: Actor, signup: SignUp, at: dt.datetime | None = None) -> SignUp:
    access.require(actor, access.MANAGE, signup)
    return _check_in(actor=actor, signup=signup, at=at)


def _check_in(*, actor: Actor, signup: SignUp, at: dt.datetime | None = None,
             via: str = "") -> SignUp:
    """The check-in itself, for a service that has decided permission (the leader's above, the
    volunteer's QR scan below); ``via`` names the path in the audit row."""
    if signup.status != SignUpStatus.SIGNED_UP:
        raise IllegalTransition("该报名不能签到", "This sign-up cannot be checked in",
                                code="not_signed_up")
    activity = Activity.objects.unscoped(reason="service: scope.require checked the actor").get(pk=signup.activity_id)
    if activity.status in (ActivityStatus.DRAFT, ActivityStatus.CANCELLED):
        raise IllegalTransition("活动未开展", "The activity is not taking place", code="not_live")
    when = aware(at or timezone.now(), field="checked_in_at")
    if when > timezone.now() + dt.timedelta(minutes=10):
        raise ValidationFailed("签到时间不能晚于现在", "Check-in cannot be in the future",
                               field="checked_in_at")
    signup.status, signup.checked_in_at = SignUpStatus.CHECKED_IN, when
    signup.save(update_fields=["status", "checked_in_at", "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.SIGNUP_CHECKED_IN, target=signup,
                 data={"activity": signup.activity_id, "at": when.isoformat(),
                       **({"via": via} if via else {})})
    return signup


@service
def signup_check_out(*, actor: Actor, signup: SignUp, at: dt.datetime | None = None,
                     hours: object = None, content: object = None) -> ServiceRecord:
    """Check out and record the hours (pending confirmation) for the organising team."""
    access.require(actor, access.MANAGE, signup)
    return _check_out(actor=actor, signup=signup, at=at, hours=hours, content=content)


def _check_out(*, actor: Actor, signup: SignUp, at: dt.datetime | None = None,
              hours: object = None, content: object = None, via: str = "") -> ServiceRecord:
    """The check-out and its pending record, for a service that has decided permission."""
    if signup.status != SignUpStatus.CHECKED_IN or signup.checked_in_at is None:
        raise IllegalTransition("须先签到才能签退", "Check in before checking out",
                                code="not_checked_in")
    when = aware(at or timezone.now(), field="checked_out_at")
    if when <= signup.checked_in_at:
        raise ValidationFailed("签退时间须晚于签到时间", "Check-out must be after check-in",
                               field="checked_out_at")
    activity = Activity.objects.unscoped(reason="service: scope.require checked the actor").select_related("team").get(pk=signup.activity_id)
    volunteer = Volunteer.objects.unscoped(reason="service: scope.require checked the actor").get(pk=signup.volunteer_id)
    amount = hours if hours not in (None, "") else hours_between(signup.checked_in_at, when)
    signup.status, signup.checked_out_at = SignUpStatus.CHECKED_OUT, when
    signup.save(update_fields=["status", "checked_out_at", "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.SIGNUP_CHECKED_OUT, target=signup,
                 data={"activity": activity.pk, "at": when.isoformat(),
                       **({"via": via} if via else {})})
    return create_record(actor=actor, volunteer=volunteer, team=activity.team,
                         started_at=signup.checked_in_at, ended_at=when, hours=amount,
                         content=content or activity.title, activity=activity)


@service
def signup_qr_check_in(*, actor: Actor, raw_code: object) -> SignUp:
    """The volunteer checks itself in with a scanned code."""
    _activity, signup = checkin.my_signup(actor, checkin.parse(raw_code))
    return _check_in(actor=actor, signup=signup, via=checkin.VIA)


@service
def signup_qr_check_out(*, actor: Actor, raw_code: object) -> ServiceRecord:
    """The volunteer checks itself out; the pending record is the leader's check-out's."""
    _activity, signup = checkin.my_signup(actor, checkin.parse(raw_code))
    return _check_out(actor=actor, signup=signup, via=checkin.VIA)
