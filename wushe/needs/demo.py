"""The needs demo step (order 50, after the other apps): residents in care and ledgers, then the
seed's needs — about 15,000 online requests (点单), 8,000 offline problem lists, plus window,
hotline and grid intake — with a realistic status mix and timing over the past two years,
their events, assignments across the five societies and follow-ups; then 300+ ideas.

Rows go in with ``executemany`` (demo_insert.py); randomness only from ``ctx.rng("needs")``,
so two builds with the same seed are the same district.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from wushe.core.calendar import add_workdays, workdays_between
from wushe.demo.names import GIVEN_FEMALE, GIVEN_MALE, GIVEN_NEUTRAL, MOBILE_PREFIXES, SURNAMES
from wushe.demo.steps import DemoContext, step
from wushe.needs import demo_text as text
from wushe.needs.categories import Channel
from wushe.needs.codes import ALPHABET
from wushe.needs.demo_insert import Inserter
from wushe.needs.linkage import Society, five_of
from wushe.needs.models import (
    Assignment,
    CommonProblem,
    FollowUp,
    Idea,
    IdeaComment,
    Need,
    NeedEvent,
)
from wushe.needs.rules import sla_key
from wushe.needs.workflow import Action, State
from wushe.regions.models import Region, RegionLevel
from wushe.regions.rules import RULES

SEED_COUNTS = {Channel.ONLINE: 15_000, Channel.OFFLINE: 8_000, Channel.WINDOW: 3_000,
               Channel.HOTLINE: 1_500, Channel.GRID: 2_500}
SCALE = {"small": 0.02, "seed": 1.0, "city": 10.0}
IDEAS = {"small": 30, "seed": 320, "city": 3_200}
DAYS_BACK = 700
ON_TIME = 0.88
# Categories by channel: online 点单 are the urgent ones of the seed text (临时救助, 法律援助,
# 心理疏导); offline problem lists are the common problems of the elderly and hardship groups.
CHANNEL_CATEGORIES: dict[str, dict[str, float]] = {
    Channel.ONLINE: {"temporary_relief": 22, "legal_aid": 18, "counselling": 16, "elderly_care": 8,
                     "child_care": 6, "medical_help": 6, "policy": 10, "employment": 4,
                     "disability_support": 3, "property": 3, "environment": 2, "other": 2},
    Channel.OFFLINE: {"elderly_care": 25, "child_care": 12, "disability_support": 8,
                      "medical_help": 8, "temporary_relief": 8, "environment": 12, "property": 10,
                      "dispute": 10, "employment": 4, "other": 3},
}
DEFAULT_CATEGORIES = {"policy": 18, "elderly_care": 12, "temporary_relief": 10, "dispute": 12,
                      "property": 10, "environment": 10, "child_care": 8, "legal_aid": 6,
                      "medical_help": 6, "counselling": 4, "other": 4}
# (lead weights, supporter chances) by category; the rest use COMMON.
LINKAGE: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "temporary_relief": ({"committee": 6, "social_worker": 4},
                         {"fund": 0.7, "volunteer_team": 0.2}),
    "legal_aid": ({"organisation": 5, "committee": 5}, {"social_worker": 0.3}),
    "counselling": ({"social_worker": 7, "organisation": 3}, {"volunteer_team": 0.2}),
    "elderly_care": ({"committee": 5, "volunteer_team": 3, "organisation": 2},
                     {"volunteer_team": 0.5, "fund": 0.1}),
    "child_care": ({"social_worker": 5, "committee": 5}, {"volunteer_team": 0.5, "fund": 0.3}),
    "disability_support": ({"committee": 6, "organisation": 4}, {"volunteer": 0.3, "fund": 0.2}),
    "medical_help": ({"committee": 5, "volunteer_team": 5}, {"social_worker": 0.3}),
}
COMMON = ({"committee": 9, "social_worker": 1},
          {"volunteer_team": 0.3, "organisation": 0.15, "social_worker": 0.1})


@dataclass
class Place:
    community: Region
    street: Region
    grids: list[Region] = field(default_factory=list)
    staff: Any = None
    worker: Any = None
    profiles: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


class Writer:
    def __init__(self) -> None:
        self.needs = Inserter(Need)
        self.events = Inserter(NeedEvent)
        self.assignments = Inserter(Assignment)
        self.follow_ups = Inserter(FollowUp)

    def close(self) -> dict[str, int]:
        return {"needs": self.needs.close(), "need_events": self.events.close(),
                "assignments": self.assignments.close(), "follow_ups": self.follow_ups.close()}


def _code(rng: random.Random, seen: set[str], prefix: str = "") -> str:
    while True:
        raw = "".join(rng.choice(ALPHABET) for _ in range(12))
        code = prefix + "-".join(raw[i:i + 4] for i in range(0, 12, 4))
        if code not in seen:
            seen.add(code)
            return code


def _name(rng: random.Random) -> str:
    surname = rng.choices([s for s, _ in SURNAMES], [w for _, w in SURNAMES])[0]
    pool = GIVEN_MALE if rng.random() < 0.5 else GIVEN_FEMALE
    return surname + rng.choice(GIVEN_NEUTRAL + pool) + (rng.choice(pool) if rng.random() < 0.7
                                                          else "")


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _places(ctx: DemoContext) -> tuple[list[Place], list[float]]:
    from wushe.accounts.models import RoleGrant

    regions = list(ctx.regions.values())
    by_path = {r.path: r for r in regions}
    places = {r.path: Place(r, by_path[r.path[:9]]) for r in regions
              if r.level == RegionLevel.COMMUNITY}
    for r in regions:
        if r.level == RegionLevel.GRID and r.path[:12] in places:
            places[r.path[:12]].grids.append(r)
    for g in RoleGrant.objects.unscoped(reason="demo: builds the whole district").filter(role__in=("community_staff", "social_worker")) \
            .select_related("user"):
        if g.region_path in places:
            attr = "staff" if g.role == "community_staff" else "worker"
            setattr(places[g.region_path], attr, g.user)
    ordered = sorted(places.values(), key=lambda p: p.community.code)
    weights = [float(p.community.population or 1) for p in ordered]
    if ctx.profile.name == "small":  # the accounts' communities get a visible share
        for i, p in enumerate(ordered):
            if p.staff is not None:
                weights[i] = sum(weights) * 0.25
    return ordered, weights


def _state_for(age_days: float, rng: random.Random) -> str:
    if age_days > 60:
        mix = {State.CLOSED: 80, State.FOLLOWED_UP: 9, State.RESOLVED: 4, State.MERGED: 2,
               State.DECLINED: 1, State.IN_PROGRESS: 1}
    elif age_days > 15:
        mix = {State.CLOSED: 40, State.FOLLOWED_UP: 18, State.RESOLVED: 15, State.IN_PROGRESS: 10,
               State.TAKEN: 5, State.DISPATCHED: 4, State.ACCEPTED: 3, State.MERGED: 3,
               State.DECLINED: 2}
    else:
        mix = {State.SUBMITTED: 12, State.ACCEPTED: 18, State.DISPATCHED: 15, State.TAKEN: 15,
               State.IN_PROGRESS: 17, State.RESOLVED: 15, State.FOLLOWED_UP: 5, State.MERGED: 2,
               State.DECLINED: 1}
    return rng.choices(list(mix), list(mix.values()))[0]


ORDER: list[str] = [State.SUBMITTED, State.ACCEPTED, State.DISPATCHED, State.TAKEN, State.IN_PROGRESS,
         State.RESOLVED, State.FOLLOWED_UP, State.CLOSED]


def _assignee(society: str, place: Place, rng: random.Random) -> tuple[str, str, int | None]:
    """(object id, label, user id) of a generated assignee."""
    if society == Society.COMMITTEE:
        if place.staff is not None:
            return str(place.staff.pk), str(place.staff), place.staff.pk
        return "", f"{place.community.name}两委", None
    if society == Society.SOCIAL_WORKER:
        if place.worker is not None:
            return str(place.worker.pk), str(place.worker), place.worker.pk
        return "", f"{place.street.name}社会工作服务站社工", None
    if society == Society.ORGANISATION:
        return "", rng.choice(text.ORGANISATIONS), None
    if society == Society.VOLUNTEER_TEAM:
        return "", rng.choice(text.TEAMS), None
    if society == Society.VOLUNTEER:
        return "", f"志愿者{_name(rng)[0]}**", None
    return "", rng.choice(text.FUNDS) if rng.random() < 0.6 else f"{place.community.name}阳光基金", None


def _one_need(w: Writer, ctx: DemoContext, rng: random.Random, place: Place, channel: str,
              now: dt.datetime, seen: set[str], last: dict[str, int]) -> None:
    age = rng.random() ** 1.5 * DAYS_BACK
    received = now - dt.timedelta(days=age, seconds=rng.randrange(3600 * 10))
    table = CHANNEL_CATEGORIES.get(channel, DEFAULT_CATEGORIES)
    category = rng.choices(list(table), list(table.values()))[0]
    groups = text.GROUP_OF.get(category, [("general", 0.8), ("elderly", 0.1), ("hardship", 0.1)])
    group = rng.choices([g for g, _ in groups], [p for _, p in groups])[0]
    urgent = rng.random() < (0.15 if category == "temporary_relief" else 0.03)
    days = 0 if urgent else int(RULES[sla_key(category)].base())
    due = add_workdays(timezone.localdate(received), days)
    state = _state_for(age, rng)
    if state == State.SUBMITTED and channel != Channel.ONLINE:
        state = State.ACCEPTED  # staff channels are accepted on intake
    region = rng.choice(place.grids) if channel == Channel.GRID and place.grids else \
        place.community
    if channel == Channel.GRID and not place.grids:
        channel = Channel.WINDOW
    profile = None
    if group != "general" and place.profiles.get(group) and rng.random() < 0.3:
        profile = rng.choice(place.profiles[group])
    staff = place.staff
    staff_name = str(staff) if staff else f"{place.community.name}工作人员"
    phone = _phone(rng)
    need: dict[str, Any] = {
        "tracking_code": _code(rng, seen), "channel": channel, "category": category,
        "target_group": group, "urgency": "urgent" if urgent else "normal",
        "description": rng.choice(text.DESCRIPTIONS[category]),
        "contact_name": _name(rng), "contact_phone": phone,
        "region_id": region.pk, "community_id": place.community.pk, "region_path": region.path,
        "received_at": received, "due_on": due, "created_at": received, "updated_at": now,
        "consent_at": received if channel == Channel.ONLINE else None,
        "care_profile_id": profile[0] if profile else None,
        "requester_id": profile[1] if profile else None,
        "created_by_id": staff.pk if staff and channel != Channel.ONLINE else None,
    }
    from wushe.core.crypto import blind_index

    need["contact_phone_bidx"] = blind_index(phone)
    events: list[dict[str, Any]] = []
    t = received

    def ev(action: str, before: str, after: str, when: dt.datetime, *, who: Any = staff,
           note: str = "", data: dict[str, Any] | None = None) -> dt.datetime:
        """Append an event; times never go backwards nor past now. Returns the time used."""
        at = min(max(when, events[-1]["at"]) if events else when, now)
        events.append({"action": action, "from_state": before, "to_state": after, "at": at,
                       "actor_id": who.pk if who else None,
                       "actor_name": (str(who) if who else staff_name) if who is not False else "",
                       "note": note, "data": data or {}})
        return at

    ev(Action.SUBMIT, "", State.SUBMITTED, t, who=False if channel == Channel.ONLINE else staff,
       data={"channel": channel})
    target = state if state not in (State.MERGED, State.DECLINED) else State.ACCEPTED
    reached = State.SUBMITTED
    assignments: list[dict[str, Any]] = []
    if state in (State.MERGED, State.DECLINED) and channel == Channel.ONLINE and \
            rng.random() < 0.5:
        target = State.SUBMITTED
    if ORDER.index(target) >= 1:
        t = t + dt.timedelta(hours=rng.uniform(0, 20) if channel == Channel.ONLINE else 0)
        need["accepted_at"] = t = ev(Action.ACCEPT, State.SUBMITTED, State.ACCEPTED, t)
        reached = State.ACCEPTED
    if ORDER.index(target) >= 2:
        t += dt.timedelta(hours=rng.uniform(1, 40))
        leads, supports = LINKAGE.get(category, COMMON)
        lead = rng.choices(list(leads), list(leads.values()))[0]
        chosen = [(lead, "lead")] + [(s, "support") for s, p in supports.items()
                                     if s != lead and rng.random() < p]
        for society, role in chosen:
            object_id, label, user_id = _assignee(society, place, rng)
            assignments.append({"society": society, "object_id": object_id, "label": label,
                                "role": role, "user_id": user_id, "assigned_at": t,
                                "state": "pending", "region_path": region.path,
                                "assigned_by_id": staff.pk if staff else None,
                                "reasons": [], "score": None})
        need["dispatched_at"] = t = ev(
            Action.DISPATCH, State.ACCEPTED, State.DISPATCHED, t,
            data={"assignments": [{"society": a["society"], "label": a["label"],
                                   "role": a["role"]} for a in assignments]})
        for a in assignments:
            a["assigned_at"] = t
        reached = State.DISPATCHED
    if ORDER.index(target) >= 3:
        t = min(t + dt.timedelta(hours=rng.uniform(0.5, 24)), now)
        for a in assignments:
            if a["role"] == "lead" or rng.random() < 0.75:
                a["state"], a["taken_at"] = "taken", t
                lead = a["role"] == "lead"  # the lead is first: supporters find it taken
                ev(Action.TAKE if lead else Action.SUPPORT_TAKE,
                   State.DISPATCHED if lead else State.TAKEN, State.TAKEN, t,
                   data={"society": a["society"], "label": a["label"]})
        reached = State.TAKEN
    if ORDER.index(target) >= 4:
        t = ev(Action.HANDLE, State.TAKEN, State.IN_PROGRESS, t + dt.timedelta(
            hours=rng.uniform(1, 48)))
        reached = State.IN_PROGRESS
    if ORDER.index(target) >= 5:
        due_end = timezone.make_aware(dt.datetime.combine(due, dt.time(17, 30)))
        if rng.random() < ON_TIME and due_end > t:
            t = t + (due_end - t) * rng.uniform(0.2, 0.95)
        else:
            t = max(t, due_end) + dt.timedelta(days=rng.uniform(1, 10))
        t = min(t, now - dt.timedelta(hours=rng.uniform(2, 30)))
        need["result"] = rng.choice(text.RESULTS[category])
        need["resolved_at"] = t = ev(Action.RESOLVE, State.IN_PROGRESS, State.RESOLVED, t)
        need["resolved_on_time"] = timezone.localdate(t) <= due
        for a in assignments:
            a["state"] = "done" if a["state"] == "taken" else "cancelled"
            a["finished_at"] = t
        reached = State.RESOLVED
    follow_ups: list[dict[str, Any]] = []
    if ORDER.index(target) >= 6:
        t = min(t + dt.timedelta(days=rng.uniform(1, 5)), now - dt.timedelta(hours=1))
        t = ev(Action.FOLLOW_UP, State.RESOLVED, State.FOLLOWED_UP, t, data={"method": "call"})
        follow_ups.append({"method": "call", "at": t, "by_id": staff.pk if staff else None,
                           "satisfaction": None, "comment": ""})
        reached = State.FOLLOWED_UP
    if target == State.CLOSED:
        t = min(t + dt.timedelta(days=rng.uniform(0, 3)), now - dt.timedelta(minutes=30))
        score = rng.choices([5, 4, 3], [60, 30, 10])[0]
        online = channel == Channel.ONLINE and rng.random() < 0.6
        t = ev(Action.RATE, reached, State.CLOSED, t, who=False if online else staff,
               data={"score": score})
        follow_ups.append({"method": "online" if online else "call", "at": t,
                           "by_id": None if online else (staff.pk if staff else None),
                           "satisfaction": score, "comment": ""})
        need["satisfaction"], need["closed_at"] = score, t
        reached = State.CLOSED
    if state == State.MERGED:
        t += dt.timedelta(hours=rng.uniform(1, 30))
        into = last.get(f"{place.community.path}:{category}")
        if into is None:
            state = State.DECLINED
        else:
            need["merged_into_id"] = into
            need["closed_at"] = ev(Action.MERGE, reached, State.MERGED, t)
    if state == State.DECLINED:
        t += dt.timedelta(hours=rng.uniform(1, 30))
        need["decline_reason"] = rng.choice(["不属于社区受理范围,已告知居民向相关部门反映",
                                             "信息不全,多次联系未果"])
        if reached != State.SUBMITTED:  # declining happens at acceptance
            events = [e for e in events if e["action"] != Action.ACCEPT]
            need.pop("accepted_at", None)
        need["closed_at"] = ev(Action.DECLINE, State.SUBMITTED, State.DECLINED, t)
    need["state"] = state
    today = timezone.localdate(now)
    if state in (State.SUBMITTED, State.ACCEPTED, State.DISPATCHED, State.TAKEN,
                 State.IN_PROGRESS) and due < today:
        late = workdays_between(due, today)
        need["escalation_level"] = 2 if late >= 3 else 1
        ev(Action.ESCALATE, state, state, timezone.make_aware(
            dt.datetime.combine(add_workdays(due + dt.timedelta(days=1), 0), dt.time(9))),
            who=False, data={"level": need["escalation_level"], "auto": True})
    five = five_of(a["society"] for a in assignments if a.get("taken_at"))
    need["societies"] = f"|{'|'.join(five)}|" if five else ""
    need["society_count"] = len(five)
    pk = w.needs.add(**need)
    last[f"{place.community.path}:{category}"] = pk
    for e in events:
        w.events.add(need_id=pk, region_path=region.path, **e)
    for a in assignments:
        w.assignments.add(need_id=pk, **a)
    for f in follow_ups:
        w.follow_ups.add(need_id=pk, region_path=region.path, **f)


def _ideas(ctx: DemoContext, rng: random.Random, places: list[Place], weights: list[float],
           now: dt.datetime) -> int:
    ideas = Inserter(Idea)
    comments = Inserter(IdeaComment)
    seen: set[str] = set()
    for _ in range(IDEAS.get(ctx.profile.name, IDEAS["small"])):
        place = rng.choices(places, weights)[0]
        at = now - dt.timedelta(days=rng.random() ** 1.3 * DAYS_BACK)
        state = rng.choices(["submitted", "adopted", "rejected"], [45, 38, 17])[0]
        staff = place.staff
        public = rng.random() < 0.6
        n_comments = rng.randint(0, 3)
        iid = ideas.add(
            code=_code(rng, seen, "I"), title=rng.choice(text.IDEA_TITLES),
            body=rng.choice(text.IDEA_BODIES), region_id=place.community.pk,
            region_path=place.community.path, channel="public" if public else "staff",
            submitter_name=_name(rng), submitter_phone=_phone(rng) if public else "",
            submitted_by_id=None if public or not staff else staff.pk, submitted_at=at,
            state=state, decision_reason="" if state != "rejected" else
            rng.choice(["与现有项目重复", "场地条件不具备", "经居民议事会讨论暂缓"]),
            decided_at=at + dt.timedelta(days=rng.randint(3, 30)) if state != "submitted"
            else None, decided_by_id=staff.pk if staff and state != "submitted" else None,
            project_ref="", comment_count=n_comments, created_at=at, updated_at=at)
        for i in range(n_comments):
            comments.add(idea_id=iid, region_path=place.community.path,
                         author_id=staff.pk if staff else None,
                         author_name=str(staff) if staff else f"{place.community.name}工作人员",
                         body=rng.choice(["建议先征求楼栋居民意见", "可以申请自治金支持", "同意,下周议事会讨论"]),
                         at=at + dt.timedelta(days=i + 1))
    comments.close()
    return ideas.close()


@step("needs", order=50)
def needs_demo(ctx: DemoContext) -> dict[str, int]:
    from wushe.residents import demo as residents_demo

    rng = ctx.rng("needs")
    now = timezone.now()
    profiles = residents_demo.build_profiles(ctx, rng)
    ledgers = residents_demo.build_ledgers(ctx, rng, profiles)
    places, weights = _places(ctx)
    by_path = {p.community.path: p for p in places}
    for row in profiles:
        by_path[row.region_path].profiles.setdefault(row.group, []).append((row.id, row.person_id))
    w = Writer()
    seen: set[str] = set()
    last: dict[str, int] = {}
    scale = SCALE.get(ctx.profile.name, SCALE["small"])
    plan = [(channel, round(n * scale)) for channel, n in SEED_COUNTS.items()]
    total = sum(n for _c, n in plan)
    done = 0
    for channel, n in plan:
        chosen = rng.choices(places, weights, k=n)
        for place in chosen:
            _one_need(w, ctx, rng, place, channel, now, seen, last)
            done += 1
            if done % 20_000 == 0:
                ctx.say(f"needs {done}/{total}")
    counts = w.close()
    counts["ideas"] = _ideas(ctx, rng, places, weights, now)
    counts["care_profiles"] = len(profiles)
    counts["ledgers"] = ledgers
    return counts


# "老年人、困难群体服务等5000余件共性问题": staff grouped about 18% of the needs (5,400 of the
# 30,000 at seed) of elderly people and people in hardship into common problems.
COMMON_SHARE = 0.18
COMMON_OF_GROUP = {"elderly": CommonProblem.ELDERLY, "hardship": CommonProblem.HARDSHIP}


@step("needs_common_problems", order=52)
def group_common_problems(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("needs_common_problems")
    needs = Need.objects.unscoped(reason="demo: builds the whole district")
    wanted = round(needs.count() * COMMON_SHARE)
    pool = list(needs.filter(target_group__in=list(COMMON_OF_GROUP), merged_into=None)
                .order_by("pk").values_list("pk", "target_group"))
    chosen = rng.sample(pool, min(wanted, len(pool)))
    for group, problem in COMMON_OF_GROUP.items():
        ids = sorted(pk for pk, g in chosen if g == group)
        for i in range(0, len(ids), 900):
            needs.filter(pk__in=ids[i:i + 900]).update(common_problem=problem)
    return {"common_problems": len(chosen)}
