"""The rest of the demo: the accounts' team and volunteer, certificates, pairings (with visit
logs) and a few public self-registrations awaiting approval."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from wushe.accounts.models import User
from wushe.core.crypto import blind_index
from wushe.core.ids import id_check_digit
from wushe.demo.dates import build_day
from wushe.demo.persons import REFERENCE_DATE
from wushe.people.models import Person
from wushe.regions.models import Region
from wushe.volunteers.bulk import Loader, flush_in_order, next_id
from wushe.volunteers.demo.activities import Ledger, add_record
from wushe.volunteers.demo.teams import DemoTeam
from wushe.volunteers.models import (
    Certificate,
    Membership,
    Pairing,
    RecordStatus,
    ServiceRecord,
    TargetGroup,
    Team,
    TeamLevel,
    VisitLog,
    Volunteer,
    VolunteerApplication,
)
from wushe.volunteers.numbers import certificate_number
from wushe.volunteers.ratelimit import client_hash
from wushe.volunteers.selectors.certificates import certificate_records, certificate_snapshot

PAIRINGS = {"small": 15, "seed": 1_200, "city": 12_000}
CERTIFICATES = {"small": 3, "seed": 20, "city": 20}
# The demo volunteer stands just below one star; the leader's confirmation lifts it over.
DEMO_CONFIRMED = [Decimal(3)] * 32 + [Decimal("2.5")]
DEMO_PENDING = Decimal(3)
VISITS = ("上门探访,陪老人聊天,检查家中水电燃气安全", "协助购买生活用品,测量血压", "陪同就医复诊,整理药品",
          "辅导作业,了解学习和生活情况", "帮助打扫卫生,整理房间")


def demo_volunteer(community: Region) -> Volunteer:
    """An adult volunteer of the community (the demo volunteer account's own record)."""
    ref = REFERENCE_DATE
    found = (Volunteer.objects.unscoped(reason="demo: builds the whole district")
             .filter(region_path__startswith=community.path,
                     person__birth_date__lte=ref.replace(year=ref.year - 20),
                     person__birth_date__gte=ref.replace(year=ref.year - 50))
             .order_by("id").first()) or Volunteer.objects.unscoped(reason="demo: builds the whole district").order_by("id").first()
    assert found is not None  # the step has just written the volunteers
    return found


def bind_volunteer(volunteer: Volunteer, user: User, squad: DemoTeam,
                   member_counts: dict[int, int]) -> None:
    Volunteer.objects.unscoped(reason="demo: builds the whole district").filter(pk=volunteer.pk).update(user=user)
    if not Membership.objects.unscoped(reason="demo: builds the whole district").filter(volunteer=volunteer, team_id=squad.id).exists():
        Membership.objects.create(volunteer=volunteer, team_id=squad.id, team_path=squad.path,
                                  region_path=squad.region.path, joined_on=volunteer.join_date)
        member_counts[squad.id] = member_counts.get(squad.id, 0) + 1


def demo_volunteer_records(ledger: Ledger, volunteer: Volunteer, squad: DemoTeam,
                           others: list[int], now: dt.datetime) -> None:
    """98.5 confirmed hours and one pending 3-hour record in the leader's squad."""
    day = build_day() - dt.timedelta(days=3)
    hours = list(DEMO_CONFIRMED)
    while hours:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 30)))
        end = start + dt.timedelta(hours=3)
        if ledger.free(volunteer.pk, start, end):
            add_record(ledger, vid=volunteer.pk, team=squad, activity_id=None, start=start,
                       end=end, hours=hours.pop(), content="社区志愿服务(夜间巡防)",
                       status=RecordStatus.CONFIRMED, now=now)
        day -= dt.timedelta(days=5)
    start = timezone.make_aware(dt.datetime.combine(build_day() - dt.timedelta(days=1),
                                                    dt.time(7, 0)))
    for vid, content in [(volunteer.pk, "周末空巢老人走访"), *((o, "周末空巢老人走访")
                                                        for o in others[:3])]:
        if ledger.free(vid, start, start + dt.timedelta(hours=3)):
            add_record(ledger, vid=vid, team=squad, activity_id=None, start=start,
                       end=start + dt.timedelta(hours=3), hours=DEMO_PENDING, content=content,
                       status=RecordStatus.PENDING, now=now)


def write_certificates(profile: str, ledger: Ledger, issuer: User) -> int:
    top = sorted(ledger.volunteer_hours.items(), key=lambda kv: (-kv[1][0], kv[0]))
    made = []
    now = timezone.now()
    for vid, _totals in top[:CERTIFICATES[profile]]:
        best = (ServiceRecord.objects.unscoped(reason="demo: builds the whole district")
                .filter(volunteer_id=vid, status=RecordStatus.CONFIRMED)
                .values("team_id").annotate(h=Sum("hours"), n=Count("pk")).order_by("-h")
                .first())
        if best is None:
            continue
        team = Team.objects.unscoped(reason="demo: builds the whole district").get(pk=best["team_id"])
        volunteer = Volunteer.objects.unscoped(reason="demo: builds the whole district").get(pk=vid)
        end = build_day()
        start = end - dt.timedelta(days=366)
        number = certificate_number(end)
        snapshot = certificate_snapshot(
            volunteer=volunteer, team=team, records=certificate_records(volunteer, team, start, end),
            number=number, now=now, period_start=start, period_end=end,
            issued_by=issuer.display_name or issuer.username)
        made.append(Certificate(
            number=number, volunteer=volunteer, team=team, team_path=team.path,
            region_path=team.region_path, period_start=start, period_end=end,
            hours=Decimal(snapshot["hours"]), records=snapshot["records"], snapshot=snapshot,
            issued_at=now, issued_by=issuer))
    Certificate.objects.bulk_create(made)
    return len(made)


def write_pairings(profile: str, teams: list[DemoTeam], members: dict[int, list[int]],
                   rng: random.Random) -> tuple[int, int]:
    """Empty-nest and very old residents paired with a volunteer of their community's team."""
    ref = build_day()
    by_community: dict[str, list[DemoTeam]] = {}
    for t in teams:
        if t.level != TeamLevel.CORPS and len(t.region.path) == 12 and members.get(t.id):
            by_community.setdefault(t.region.path, []).append(t)
    elderly = (Person.objects.unscoped(reason="demo: builds the whole district")
               .filter(birth_date__lte=REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 75))
               .order_by("id").values_list("id", "region_id", "region_path")
               [:PAIRINGS[profile] * 4])
    pairings = Loader(Pairing, auto_flush=False)
    visits = Loader(VisitLog, auto_flush=False)
    pid, lid = next_id(Pairing), next_id(VisitLog)
    now = timezone.now()
    for person_id, region_id, region_path in elderly:
        if pairings.count + len(pairings.rows) >= PAIRINGS[profile]:
            break
        candidates = by_community.get(region_path[:12])
        if not candidates:
            continue
        team = rng.choice(candidates)
        volunteer = rng.choice(members[team.id][:20]) if rng.random() < 0.7 else None
        started = ref - dt.timedelta(days=rng.randint(60, 700))
        n_visits = rng.randint(1, 4)
        pairings.add(id=pid, created_at=now, updated_at=now, team_id=team.id,
                     team_path=team.path, volunteer_id=volunteer, person_id=person_id,
                     region_id=region_id, region_path=region_path,
                     target_group=rng.choice((TargetGroup.EMPTY_NEST, TargetGroup.ELDERLY)),
                     needs="独居,行动不便,需定期探访和代购生活用品", started_on=started,
                     ended_on=None, status="active", visits=n_visits)
        for k in range(n_visits):
            visits.add(id=lid, created_at=now, updated_at=now, pairing_id=pid,
                       team_path=team.path, region_path=region_path,
                       visited_on=ref - dt.timedelta(days=7 + 30 * k + rng.randint(0, 9)),
                       minutes=rng.choice((45, 60, 90, 120)), visitor_id=volunteer,
                       content=rng.choice(VISITS), recorded_by_id=None)
            lid += 1
        pid += 1
        flush_in_order(pairings, visits)
    flush_in_order(pairings, visits, at=0)
    return pairings.count, visits.count


def write_applications(community: Region, squad: DemoTeam, rng: random.Random) -> int:
    """Two self-registrations from the public page, waiting for the leader."""
    made = 0
    for name, born in (("罗晓彤", "19980412"), ("蒋一帆", "20010923")):
        first17 = f"500107{born}{rng.randint(100, 999)}"
        idn = first17 + id_check_digit(first17)
        VolunteerApplication.objects.create(
            reference=f"ZSDEMO{made + 1:04d}", name=name, id_number=idn,
            id_number_bidx=blind_index(idn), phone=f"139{rng.randint(0, 10**8):08d}",
            region=community, region_path=community.path, team_id=squad.id,
            team_path=squad.path, skills=",摄影,", interests=",elderly,", availability=",weekend,",
            consented_at=timezone.now(), client_hash=client_hash("demo"))
        made += 1
    return made
