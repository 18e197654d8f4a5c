"""Demo activities (service projects and their sessions), sign-ups and service records.

The seed text: "重点开展空巢老人、留守儿童、特困群体及生活无着人员关爱帮扶服务项目4804个,总时长达
18.3万小时". Activities are spread over the year before the build day (so the current year
always has some), busier teams running more of them; participants come mostly from a team's
regulars, so some volunteers build up the hours of a star. No volunteer is ever in two places
at once. How many take part is steered so the confirmed hours add up to the profile's total.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from wushe.demo.dates import build_day, recent_day
from wushe.volunteers.bulk import Loader, flush_in_order, next_id
from wushe.volunteers.demo.teams import DemoTeam
from wushe.volunteers.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    RecordStatus,
    ServiceRecord,
    SignUp,
    SignUpStatus,
    TargetGroup,
    TeamLevel,
    ancestor_paths,
    join_tags,
)

ACTIVITIES = {"small": 150, "seed": 4_804, "city": 48_040}
# Confirmed hours the activities add up to (总时长达18.3万小时), the demo volunteer's own
# records included (they come after, see extras.DEMO_CONFIRMED).
HOURS = {"small": Decimal(1_600), "seed": Decimal(183_000), "city": Decimal(1_830_000)}
# (start hour, length in hours): mornings, afternoons, evenings.
SLOTS = ((9, 3), (14, 3), (19, 2), (8, 4), (15, 2.5), (9, 2))
CORE = 12
TITLES = {
    ActivityKind.VISIT: ("空巢老人上门慰问", "高龄老人节日探访", "困难家庭入户走访"),
    ActivityKind.PAIRING: ("留守儿童结对陪伴", "特困人员结对帮扶", "一对一课业辅导"),
    ActivityKind.COUNSELLING: ("心理疏导进社区", "困境儿童心理陪伴", "老年人心理关爱讲座"),
    ActivityKind.CHARITY: ("爱心义卖", "慈善募捐宣传", "爱心物资分发"),
    ActivityKind.CARE: ("生活无着人员关爱救助", "残疾人助行服务", "独居老人助餐送餐"),
    ActivityKind.CIVILISATION: ("移风易俗宣讲", "文明实践进小区", "垃圾分类宣传"),
    ActivityKind.GOVERNANCE: ("楼栋议事协商", "社区环境整治", "院落安全巡查"),
    ActivityKind.EMERGENCY: ("防汛应急演练", "消防安全宣传", "应急救护培训"),
}
GROUPS = {
    ActivityKind.VISIT: (TargetGroup.EMPTY_NEST, TargetGroup.ELDERLY),
    ActivityKind.PAIRING: (TargetGroup.LEFT_BEHIND, TargetGroup.EXTREME),
    ActivityKind.COUNSELLING: (TargetGroup.MINORS, TargetGroup.ELDERLY),
    ActivityKind.CHARITY: (TargetGroup.HARDSHIP,),
    ActivityKind.CARE: (TargetGroup.DESTITUTE, TargetGroup.DISABLED),
    ActivityKind.CIVILISATION: (TargetGroup.RESIDENTS,),
    ActivityKind.GOVERNANCE: (TargetGroup.RESIDENTS,),
    ActivityKind.EMERGENCY: (TargetGroup.RESIDENTS,),
}


@dataclass
class Ledger:
    """Confirmed totals as the rollup would have left them, and what the step wrote."""

    volunteer_hours: dict[int, list[Decimal | int]] = field(
        default_factory=lambda: defaultdict(lambda: [Decimal(0), 0]))
    team_own: dict[str, list[Decimal | int]] = field(
        default_factory=lambda: defaultdict(lambda: [Decimal(0), 0]))
    busy: dict[tuple[int, dt.date], list[tuple[dt.datetime, dt.datetime]]] = field(
        default_factory=lambda: defaultdict(list))
    activities: int = 0
    records: int = 0
    signups: int = 0
    hours: Decimal = Decimal(0)
    records_loader: Loader | None = None
    next_record: int = 0

    def free(self, vid: int, start: dt.datetime, end: dt.datetime) -> bool:
        return all(e <= start or s >= end for s, e in self.busy[(vid, start.date())])


def _at(day: dt.date, hour: float) -> dt.datetime:
    whole = int(hour)
    base = dt.datetime.combine(day, dt.time(whole, int((hour - whole) * 60)))
    return timezone.make_aware(base)


def add_record(ledger: Ledger, *, vid: int, team: DemoTeam, activity_id: int | None,
               start: dt.datetime, end: dt.datetime, hours: Decimal, content: str,
               status: str, now: dt.datetime) -> int:
    assert ledger.records_loader is not None
    rid = ledger.next_record
    ledger.next_record += 1
    ledger.records_loader.add(
        id=rid, volunteer_id=vid, team_id=team.id, team_path=team.path, activity_id=activity_id,
        region_id=team.region.pk, region_path=team.region.path, started_at=start, ended_at=end,
        service_date=timezone.localtime(start).date(), hours=hours, content=content,
        status=status, recorded_by_id=None, created_at=now, decided_by_id=None,
        decided_at=now if status != RecordStatus.PENDING else None,
        reject_reason="未到场" if status == RecordStatus.REJECTED else "", corrects_id=None,
        reason="", superseded_by_id=None)
    ledger.busy[(vid, start.date())].append((start, end))
    if status == RecordStatus.CONFIRMED:
        totals = ledger.volunteer_hours[vid]
        totals[0] += hours
        totals[1] += 1
        own = ledger.team_own[team.path]
        own[0] += hours
        own[1] += 1
        ledger.hours += hours
    ledger.records += 1
    return rid


def _steered(wanted: int, ledger: Ledger, target: Decimal, done: int, left: int) -> int:
    """``wanted`` scaled by how far the hours so far are from the target's pace: the hours
    still to confirm per remaining activity over the mean per activity so far."""
    if done < 50 or left <= 0 or ledger.hours <= 0:
        return wanted
    pace = (target - ledger.hours) / left / (ledger.hours / done)
    return max(1, round(wanted * min(max(float(pace), 0.5), 1.5)))


def write_activities(profile: str, teams: list[DemoTeam], members: dict[int, list[int]],
                     rng: random.Random, *, reserved: Decimal = Decimal(0)) -> Ledger:
    """``reserved``: confirmed hours written after these (the demo volunteer's), which the
    profile's total includes."""
    ledger = Ledger(records_loader=Loader(ServiceRecord, auto_flush=False),
                    next_record=next_id(ServiceRecord))
    activities, signups = Loader(Activity, auto_flush=False), Loader(SignUp, auto_flush=False)
    aid, sid = next_id(Activity), next_id(SignUp)
    now = timezone.now()
    active = [t for t in teams if t.level != TeamLevel.CORPS and len(members.get(t.id, [])) >= 3]
    weights = [rng.paretovariate(1.4) for _ in active]
    taken: set[tuple[int, dt.date, int]] = set()
    kinds = list(TITLES)
    held = ACTIVITIES[profile]
    target = HOURS[profile] - reserved
    today = build_day()
    records = ledger.records_loader
    assert records is not None
    # The seed's count is of projects carried out; about 2% more were called off.
    for n in range(held + held // 50):
        team = rng.choices(active, weights=weights)[0]
        for _attempt in range(10):
            day = recent_day(rng, today, back=365, nearest=2)
            slot = rng.randrange(len(SLOTS))
            if (team.id, day, slot) not in taken:
                break
        taken.add((team.id, day, slot))
        hour, length = SLOTS[slot]
        start, end = _at(day, hour), _at(day, hour + length)
        kind = rng.choice(kinds)
        title = rng.choice(TITLES[kind])
        pool = members[team.id]
        wanted = min(len(pool), _steered(rng.randint(7, 24), ledger, target, n, held - n))
        chosen: list[int] = []
        for _pick in range(wanted * 2):
            if len(chosen) >= wanted:
                break
            vid = rng.choice(pool[:CORE]) if rng.random() < 0.6 else rng.choice(pool)
            if vid not in chosen and ledger.free(vid, start, end):
                chosen.append(vid)
        cancelled = n >= held
        risky = kind == ActivityKind.EMERGENCY
        activities.add(
            id=aid, created_at=now, updated_at=now, team_id=team.id, team_path=team.path,
            region_id=team.region.pk, region_path=team.region.path, title=title, kind=kind,
            target_groups=join_tags(list(GROUPS[kind])), place=f"{team.region.name}党群服务中心",
            starts_at=start, ends_at=end, capacity=max(5, wanted + rng.randint(0, 10)),
            description="", risky=risky, insurance_note="团体意外险(区志愿服务总队统保)" if risky else "",
            status=ActivityStatus.CANCELLED if cancelled else ActivityStatus.FINISHED,
            signed_up=0 if cancelled else len(chosen))
        if not cancelled:
            for vid in chosen:
                signups.add(id=sid, created_at=now, updated_at=now, activity_id=aid,
                            volunteer_id=vid, team_path=team.path, region_path=team.region.path,
                            status=SignUpStatus.CHECKED_OUT, checked_in_at=start,
                            checked_out_at=end)
                sid += 1
                hours = Decimal(str(length)) - rng.choice((Decimal(0), Decimal(0),
                                                           Decimal("0.5")))
                draw = rng.random()
                status = (RecordStatus.CONFIRMED if draw < 0.97 else
                          RecordStatus.PENDING if draw < 0.99 else RecordStatus.REJECTED)
                add_record(ledger, vid=vid, team=team, activity_id=aid, start=start, end=end,
                           hours=hours, content=title, status=status, now=now)
        aid += 1
        ledger.activities += 1
        flush_in_order(activities, signups, records)
    flush_in_order(activities, signups, at=0)
    ledger.signups = signups.count
    return ledger


def write_upcoming(team: DemoTeam, now: dt.datetime) -> int:
    """Open activities in the coming weeks (dated from the build day, so they stay ahead)."""
    loader = Loader(Activity)
    aid = next_id(Activity)
    today = timezone.localdate()
    rows = (("重阳节空巢老人探访", ActivityKind.VISIT, 3, False, "", ActivityStatus.OPEN),
            ("留守儿童周末课堂", ActivityKind.PAIRING, 7, False, "", ActivityStatus.OPEN),
            ("社区防汛应急演练", ActivityKind.EMERGENCY, 10, True, "团体意外险 保单号 PICC-2026-0815",
             ActivityStatus.OPEN),
            ("滨江步道清洁(涉水)", ActivityKind.GOVERNANCE, 14, True, "", ActivityStatus.DRAFT))
    for i, (title, kind, days, risky, note, status) in enumerate(rows):
        start = _at(today + dt.timedelta(days=days), 9)
        loader.add(id=aid + i, created_at=now, updated_at=now, team_id=team.id,
                   team_path=team.path, region_id=team.region.pk, region_path=team.region.path,
                   title=title, kind=kind, target_groups=join_tags(list(GROUPS[kind])),
                   place=f"{team.region.name}党群服务中心", starts_at=start,
                   ends_at=start + dt.timedelta(hours=3), capacity=20, description="",
                   risky=risky, insurance_note=note, status=status, signed_up=0)
    loader.flush()
    return len(rows)


def write_rollups(ledger: Ledger, teams: list[DemoTeam], member_counts: dict[int, int]) -> None:
    """The totals the incremental rollup keeps, written once from the generated records."""
    by_path = {t.path: t for t in teams}
    team_totals: dict[int, list[Decimal | int]] = {t.id: [Decimal(0), 0] for t in teams}
    for path, (hours, count) in ledger.team_own.items():
        for p in ancestor_paths(path):  # a team's total covers its whole subtree
            team_totals[by_path[p].id][0] += hours
            team_totals[by_path[p].id][1] += count
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE volunteers_volunteer SET hours_confirmed = %s, records_confirmed = %s "
            "WHERE id = %s",
            [(str(h), n, vid) for vid, (h, n) in ledger.volunteer_hours.items()])
        cursor.executemany(
            "UPDATE volunteers_team SET hours_confirmed = %s, records_confirmed = %s, "
            "members = %s WHERE id = %s",
            [(str(h), n, member_counts.get(tid, 0), tid) for tid, (h, n) in team_totals.items()])

