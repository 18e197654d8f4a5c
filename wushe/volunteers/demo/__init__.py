"""The volunteers demo step: the seed text's teams, volunteers, activities and hours.

Registered from VolunteersConfig.ready(). Deterministic (``ctx.rng``), except the few upcoming
activities, which are dated from the build day so that they stay open for sign-up.
"""

from __future__ import annotations

import time
from decimal import Decimal

from django.utils import timezone

from wushe.accounts.services import grant_add
from wushe.demo.steps import DemoContext, step
from wushe.people.models import Consent
from wushe.volunteers.bulk import bulk_load, reset_sequences
from wushe.volunteers.demo.activities import write_activities, write_rollups, write_upcoming
from wushe.volunteers.demo.extras import (
    DEMO_CONFIRMED,
    bind_volunteer,
    demo_volunteer,
    demo_volunteer_records,
    write_applications,
    write_certificates,
    write_pairings,
)
from wushe.volunteers.demo.people import write_volunteers
from wushe.volunteers.demo.teams import build_teams, write_teams
from wushe.volunteers.models import (
    Activity,
    Membership,
    Pairing,
    ServiceRecord,
    SignUp,
    Team,
    TeamLevel,
    VisitLog,
    Volunteer,
)


@step("volunteers", order=20)
def volunteers_step(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("volunteers")
    leader = ctx.user("team_leader")
    volunteer_user = ctx.user("volunteer")
    comm_a = next(g.region for g in leader.grants.all())
    comm_b = next(g.region for g in volunteer_user.grants.all())
    t = time.perf_counter()
    teams = build_teams(ctx.regions, rng, [comm_a, comm_b])
    write_teams(teams)
    squad = next(x for x in teams if x.level == TeamLevel.SQUAD and x.region.pk == comm_a.pk)
    ctx.say(f"volunteers: {len(teams)} teams ({time.perf_counter() - t:.1f}s)")
    with bulk_load("volunteers_volunteer", "people_consent", "volunteers_membership"):
        pools = write_volunteers(teams, rng)
    ctx.say(f"volunteers: {pools.volunteers} volunteers ({time.perf_counter() - t:.1f}s)")
    # Explicit ids so far: the sequences move past them before the ORM inserts anything.
    reset_sequences([Team, Volunteer, Consent, Membership])
    me = demo_volunteer(comm_b)
    bind_volunteer(me, volunteer_user, squad, pools.member_counts)
    now = timezone.now()
    with bulk_load("volunteers_activity", "volunteers_signup", "volunteers_servicerecord"):
        ledger = write_activities(ctx.profile.name, teams, pools.members, rng,
                                  reserved=sum(DEMO_CONFIRMED, Decimal(0)))
        demo_volunteer_records(ledger, me, squad, pools.members.get(squad.id, []), now)
        assert ledger.records_loader is not None
        ledger.records_loader.flush()
    upcoming = write_upcoming(squad, now)
    write_rollups(ledger, teams, pools.member_counts)
    ctx.say(f"volunteers: {ledger.activities} activities, {ledger.records} records, "
            f"{ledger.hours} confirmed hours ({time.perf_counter() - t:.1f}s)")
    reset_sequences([Activity, SignUp, ServiceRecord])
    grant_add(actor=None, user=leader, role="team_leader", region=comm_a,
              team=Team.objects.unscoped(reason="demo: builds the whole district").get(pk=squad.id))
    certificates = write_certificates(ctx.profile.name, ledger, leader)
    pairings, visits = write_pairings(ctx.profile.name, teams, pools.members, rng)
    reset_sequences([Pairing, VisitLog])
    applications = write_applications(comm_a, squad, rng)
    ctx.shared["volunteers.leader_team"] = squad.id
    ctx.shared["volunteers.demo_volunteer"] = me.pk
    return {
        "teams": len(teams), "volunteers": pools.volunteers, "memberships": pools.memberships,
        "activities": ledger.activities + upcoming, "signups": ledger.signups,
        "records": ledger.records, "hours_confirmed": int(ledger.hours),
        "certificates": certificates, "pairings": pairings, "visits": visits,
        "applications": applications,
    }
