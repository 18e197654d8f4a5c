"""Demo 新时代文明实践 at the seed text's scale: one centre for the district, a 所 per street, a
站 per community, each under its 书记 with the volunteer teams of its area attached and linked to
the same place's other names (党群服务中心, 社工站/社工室); unit-to-community 结对共建 pairings;
and "结对共建文明实践活动4000余场次": about nine in ten of the volunteer demo's finished
activities (4,804 projects at seed) put in one of the ten domains (4,000–4,999 at seed).

Adds only rows of this app; other steps' data is read, never changed. Random from
``ctx.rng("civilisation")``.
"""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

from wushe.civilisation.models import (
    ActivityDomain,
    Domain,
    Pairing,
    PartnerKind,
    PracticeLevel,
    PracticeSite,
)
from wushe.demo.names import GIVEN_FEMALE, GIVEN_MALE, SURNAMES
from wushe.demo.steps import DemoContext, step
from wushe.regions.models import RegionLevel, Site, SiteKind
from wushe.volunteers.models import Activity, ActivityKind, ActivityStatus, Team

MAPPED_SHARE = 0.9  # of the finished activities: 4,804 × 0.9 ≈ 4,300 at seed
PAIRINGS_PER_COMMUNITY = (1, 3)
# The domains an activity of each kind fits, first the most likely.
DOMAINS_OF_KIND: dict[str, tuple[Domain, ...]] = {
    ActivityKind.CIVILISATION: (Domain.CUSTOMS, Domain.LECTURES, Domain.CULTURE, Domain.CLEAN),
    ActivityKind.GOVERNANCE: (Domain.GOVERNANCE, Domain.LECTURES),
    ActivityKind.EMERGENCY: (Domain.EPIDEMIC, Domain.GOVERNANCE),
    ActivityKind.CARE: (Domain.HEALTH, Domain.CLEAN),
    ActivityKind.COUNSELLING: (Domain.HEALTH, Domain.EDUCATION),
    ActivityKind.VISIT: (Domain.HEALTH, Domain.CULTURE),
    ActivityKind.PAIRING: (Domain.EDUCATION, Domain.EMPLOYMENT),
    ActivityKind.CHARITY: (Domain.INDUSTRY, Domain.EMPLOYMENT, Domain.CULTURE),
    ActivityKind.OTHER: tuple(Domain),
}
PARTNERS = {
    PartnerKind.DEPARTMENT: ("区委宣传部", "区文明办", "区教委", "区卫生健康委", "区人力社保局",
                             "区生态环境局", "区司法局", "区文化旅游委", "区农业农村委", "区城市管理局"),
    PartnerKind.ENTERPRISE: ("重庆某电力公司", "某商业银行九龙坡支行", "某物业服务公司",
                             "某医药连锁公司", "某建筑集团", "某铝业公司"),
    PartnerKind.ORGANISATION: ("某社会工作服务中心", "某志愿服务协会", "某公益服务中心"),
}
OTHER_NAME_KINDS = (SiteKind.PARTY_CENTRE, SiteKind.SW_CENTRE, SiteKind.SW_STATION,
                    SiteKind.SW_ROOM)


@step("civilisation", order=45)
def civilisation_step(ctx: DemoContext) -> dict[str, int]:
    t = time.perf_counter()
    rng = ctx.rng("civilisation")
    regions = sorted(ctx.regions.values(), key=lambda r: r.code)
    districts = [r for r in regions if r.level == RegionLevel.DISTRICT]
    streets = [r for r in regions if r.level == RegionLevel.STREET]
    communities = [r for r in regions if r.level == RegionLevel.COMMUNITY]

    def leader() -> str:
        return rng.choice(SURNAMES)[0] + rng.choice(GIVEN_MALE + GIVEN_FEMALE)

    now = timezone.now()
    rows = [PracticeSite(level=PracticeLevel.CENTRE, name=f"{d.name}新时代文明实践中心", region=d,
                         region_path=d.path, leader_name=leader(), leader_post="区委书记",
                         created_at=now, updated_at=now) for d in districts]
    PracticeSite.objects.bulk_create(rows)
    by_region = {s.region_id: s for s in rows}
    rows = [PracticeSite(level=PracticeLevel.INSTITUTE, name=f"{s.name}新时代文明实践所", region=s,
                         region_path=s.path, parent=by_region[s.parent_id],
                         leader_name=leader(), leader_post="街道(镇)党工委书记",
                         created_at=now, updated_at=now)
            for s in streets if s.parent_id in by_region]
    PracticeSite.objects.bulk_create(rows)
    by_region.update({s.region_id: s for s in rows})
    rows = [PracticeSite(level=PracticeLevel.STATION, name=f"{c.name}新时代文明实践站", region=c,
                         region_path=c.path, parent=by_region[c.parent_id],
                         leader_name=leader(), leader_post="社区(村)党组织书记",
                         created_at=now, updated_at=now)
            for c in communities if c.parent_id in by_region]
    PracticeSite.objects.bulk_create(rows)
    by_region.update({s.region_id: s for s in rows})

    # Teams of the site's own region; other names: the same region's service sites.
    team_links = [PracticeSite.teams.through(practicesite_id=by_region[region_id].pk, team_id=tid)
                  for tid, region_id in Team.objects.unscoped(reason="demo: builds the whole district").values_list("id", "region_id")
                  .order_by("id") if region_id in by_region]
    PracticeSite.teams.through.objects.bulk_create(team_links, batch_size=1000)
    name_links = [PracticeSite.other_names.through(practicesite_id=by_region[region_id].pk,
                                                   site_id=sid)
                  for sid, region_id in Site.objects.unscoped(reason="demo: builds the whole district")
                  .filter(kind__in=OTHER_NAME_KINDS).values_list("id", "region_id").order_by("id")
                  if region_id in by_region]
    PracticeSite.other_names.through.objects.bulk_create(name_links, batch_size=1000)

    # 结对共建: one to three units per community, paired within the last three years.
    today = timezone.localdate()
    pairings = []
    for c in communities:
        for _n in range(rng.randint(*PAIRINGS_PER_COMMUNITY)):
            kind = rng.choice(list(PARTNERS))
            starts = today - dt.timedelta(days=rng.randint(30, 3 * 365))
            ends = starts + dt.timedelta(days=3 * 365) if rng.random() < 0.2 else None
            pairings.append(Pairing(community=c, region_path=c.path, partner_kind=kind,
                                    partner_name=rng.choice(PARTNERS[kind]), starts_on=starts,
                                    ends_on=ends, created_at=now, updated_at=now))
    Pairing.objects.bulk_create(pairings, batch_size=1000)
    pairings_of: dict[str, list[Pairing]] = {}
    for p in pairings:
        pairings_of.setdefault(p.region_path, []).append(p)

    # The practice activities: most finished activities, in a domain their kind fits.
    finished = list(Activity.objects.unscoped(reason="demo: builds the whole district").filter(status=ActivityStatus.FINISHED)
                    .order_by("id").values_list("id", "kind", "region_path", "starts_at"))
    chosen = sorted(rng.sample(finished, int(len(finished) * MAPPED_SHARE)))
    mapped = []
    for aid, activity_kind, path, starts_at in chosen:
        options = DOMAINS_OF_KIND.get(activity_kind, tuple(Domain))
        domain = options[0] if rng.random() < 0.6 else rng.choice(list(Domain))
        local = [p for p in pairings_of.get(path[:12], []) if p.starts_on <= starts_at.date()]
        pairing = rng.choice(local) if local and rng.random() < 0.5 else None
        mapped.append(ActivityDomain(activity_id=aid, region_path=path, starts_at=starts_at,
                                     domain=domain, pairing=pairing, created_at=now,
                                     updated_at=now))
    ActivityDomain.objects.bulk_create(mapped, batch_size=1000)
    ctx.say(f"civilisation: {len(by_region)} sites, {len(pairings)} pairings, {len(mapped)} "
            f"practice activities ({time.perf_counter() - t:.1f}s)")
    return {"sites": len(by_region), "pairings": len(pairings), "practice_activities": len(mapped),
            "team_links": len(team_links), "other_names": len(name_links)}
