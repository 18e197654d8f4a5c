"""The record itself, shared by the services that write one (recording, check-out, corrections):
every rule a record obeys (see ``records``), with the permission decided by the caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Sum
from django.utils import timezone

from wushe.accounts.scope import subtree_q
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, IllegalTransition, ValidationFailed
from wushe.core.text import clean_text
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import (
    MAX_HOURS_PER_DAY,
    Activity,
    Membership,
    RecordStatus,
    ServiceRecord,
    SignUp,
    Team,
    Volunteer,
)
from wushe.volunteers.services._common import aware, clean_hours, hours_between, local_date

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# A little slack for clocks: a record may end this long after "now".
FUTURE_SLACK = dt.timedelta(minutes=10)


def live(qs: Any) -> Any:
    return qs.filter(status__in=[RecordStatus.PENDING, RecordStatus.CONFIRMED],
                     superseded_by=None)


def check_interval(*, volunteer: Volunteer, started_at: dt.datetime, ended_at: dt.datetime,
                   hours: Decimal, ignore: Iterable[int] = ()) -> dt.date:
    """Validate one record's time against the volunteer's other live records; the service date."""
    if ended_at <= started_at:
        raise ValidationFailed("结束时间须晚于开始时间", "The end must be after the start",
                               code="interval_order", field="ended_at")
    if ended_at - started_at > dt.timedelta(hours=MAX_HOURS_PER_DAY):
        raise ValidationFailed("一条服务记录不能超过24小时", "One record may not span more than 24 hours",
                               code="interval_too_long", field="ended_at")
    if ended_at > timezone.now() + FUTURE_SLACK:
        raise ValidationFailed("不能记录尚未发生的服务", "Service that has not happened yet cannot "
                               "be recorded", code="in_future", field="ended_at")
    if hours > hours_between(started_at, ended_at):
        raise ValidationFailed("服务时长不能超过开始至结束的时间", "Hours may not exceed the time "
                               "between start and end", code="hours_exceed_interval",
                               field="hours")
    others = live(ServiceRecord.objects.unscoped(reason="check: the overlap test, no row shown").filter(volunteer=volunteer)).exclude(
        pk__in=list(ignore))
    clash = others.filter(started_at__lt=ended_at, ended_at__gt=started_at).first()
    if clash is not None:
        when = timezone.localtime(clash.started_at)
        raise ValidationFailed(
            f"与该志愿者 {when:%Y-%m-%d %H:%M} 开始的另一条服务记录时间重叠",
            f"Overlaps another record of this volunteer starting {when:%Y-%m-%d %H:%M}",
            code="overlap", field="started_at")
    day = local_date(started_at)
    already = others.filter(service_date=day).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    if already + hours > MAX_HOURS_PER_DAY:
        raise ValidationFailed(f"该志愿者当天服务时长合计将超过24小时(已记录{already}小时)",
                               f"The volunteer's hours on that day would exceed 24 "
                               f"({already} already recorded)", code="day_over_24",
                               field="hours")
    return day


def _lock_volunteer(volunteer: Volunteer) -> None:
    # Two recordings for one volunteer queue here, so the overlap check cannot race.
    list(Volunteer.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().filter(pk=volunteer.pk)
         .values_list("pk", flat=True))


def _participates(volunteer: Volunteer, team: Team, activity: Activity | None) -> bool:
    if activity is not None and SignUp.objects.unscoped(reason="check: a membership test, no row shown").filter(
            activity=activity, volunteer=volunteer).exists():
        return True
    return Membership.objects.unscoped(reason="check: a membership test, no row shown").filter(volunteer=volunteer).filter(
        subtree_q("team_path", team.path)).exists()


def create_record(*, actor: Actor, volunteer: Volunteer, team: Team, started_at: dt.datetime,
                  ended_at: dt.datetime, hours: object, content: object,
                  activity: Activity | None = None, corrects: ServiceRecord | None = None,
                  reason: str = "") -> ServiceRecord:
    """Write one pending record after every rule (permission is the caller's)."""
    started_at = aware(started_at, field="started_at")
    ended_at = aware(ended_at, field="ended_at")
    amount = clean_hours(hours)
    text = clean_text(content, field="content", label_zh="服务内容", label_en="Service content",
                      max_length=300, required=True)
    if activity is not None and activity.team_id != team.pk:
        raise ValidationFailed("活动的服务时长由组织队伍记录", "An activity's hours are recorded by "
                               "its organising team", code="not_organiser", field="team")
    if corrects is None and not _participates(volunteer, team, activity):
        raise ValidationFailed("该志愿者不是本队伍成员,也未报名本活动",
                               "The volunteer is neither a member of this team nor signed up for "
                               "this activity", code="not_participant", field="volunteer")
    _lock_volunteer(volunteer)
    ignore = [corrects.pk] if corrects is not None else []
    day = check_interval(volunteer=volunteer, started_at=started_at, ended_at=ended_at,
                         hours=amount, ignore=ignore)
    region_id, region_path = ((activity.region_id, activity.region_path) if activity is not None
                              else (team.region_id, team.region_path))
    record = ServiceRecord.objects.create(
        volunteer=volunteer, team=team, team_path=team.path, activity=activity,
        region_id=region_id, region_path=region_path, started_at=started_at, ended_at=ended_at,
        service_date=day, hours=amount, content=text, recorded_by=actor if getattr(
            actor, "pk", None) else None, corrects=corrects, reason=reason)
    audit.record(actor=actor, action=(VolunteerAction.RECORD_CORRECTED if corrects
                                      else VolunteerAction.RECORD_CREATED),
                 target=record, label=volunteer.number,
                 data={"volunteer": volunteer.pk, "team": team.pk, "hours": str(amount),
                       "activity": activity.pk if activity else None,
                       "corrects": corrects.pk if corrects else None})
    return record


def check_correctable(record: ServiceRecord) -> None:
    # The row as it stands now (locked), not the caller's possibly stale copy.
    record = ServiceRecord.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=record.pk)
    if record.status != RecordStatus.CONFIRMED or record.superseded_by_id is not None:
        raise IllegalTransition("只能更正已确认且有效的记录", "Only a confirmed, current record can "
                                "be corrected", code="not_correctable")
    if ServiceRecord.objects.unscoped(reason="service: scope.require checked the actor").filter(corrects=record,
                                               status=RecordStatus.PENDING).exists():
        raise Conflict("该记录已有待确认的更正", "A correction of this record is already awaiting "
                       "confirmation", code="correction_pending")
