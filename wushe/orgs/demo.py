"""Demo organisations at the seed text's scale: 615 supported organisations in four categories,
1,416 filed community organisations, 10 excellent, 3 eliminated; ratings, brand projects,
rosters, incubation and capacity (demo_incubation.py); the org_staff account's organisation.

Dates are relative to the day of the build, so current ratings and due follow-ups are current
whenever the demo is built; everything random comes from ``ctx.rng("orgs")``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

from wushe.accounts.services import grant_add
from wushe.core.ids import uscc_check_char
from wushe.demo.names import GIVEN_FEMALE, GIVEN_MALE, MOBILE_PREFIXES, SURNAMES
from wushe.demo.spec import ACCOUNT_STREET
from wushe.demo.steps import DemoContext, step
from wushe.orgs.demo_incubation import incubate
from wushe.orgs.models import (
    AgreementPurpose,
    BrandProject,
    Category,
    LegalForm,
    OrgHonour,
    OrgMember,
    OrgStatus,
    ProcessingAgreement,
    Rating,
    SocialOrganization,
    StatusChange,
)
from wushe.orgs.ratings import add_years, validity_end
from wushe.regions.models import Region, RegionLevel


@dataclass(frozen=True)
class Plan:
    supported: int  # live organisations in the four categories (seed: 615)
    eliminated: int  # (seed: 3)
    filed: int  # community organisations under filing (seed: 1,416)
    excellent: int  # 优质社会组织 (seed: 10)


PLANS = {"small": Plan(40, 1, 60, 2), "seed": Plan(615, 3, 1416, 10),
         "city": Plan(6150, 30, 14160, 100)}
CATEGORY_WEIGHTS = [(Category.PUBLIC_SERVICE, 45), (Category.GOVERNANCE, 25),
                    (Category.HUB, 10), (Category.SOCIAL_WORK, 20)]
NAME_PARTS = {
    Category.PUBLIC_SERVICE: (("助老", "关爱", "阳光", "暖心", "康乐", "晨曦", "益善", "同心"),
                              ("公益服务中心", "公益协会", "志愿服务社", "关爱服务中心")),
    Category.GOVERNANCE: (("邻里", "睦邻", "和谐", "共治", "同心", "乡贤"),
                          ("议事会", "调解协会", "自治促进会", "居民议事协会")),
    Category.HUB: (("社会组织", "公益", "志愿"),
                   ("联合会", "服务中心", "发展促进会", "孵化中心")),
    Category.SOCIAL_WORK: (("阳光", "启航", "心悦", "康宁", "同行", "明德", "至善"),
                           ("社会工作服务中心", "社工服务社", "社会工作事务所")),
}
ACTIVITIES = ("舞蹈队", "合唱团", "太极队", "书画社", "志愿服务队", "邻里互助会", "读书会", "棋牌协会",
              "摄影协会", "健身队", "平安巡逻队", "环保志愿队", "川剧票友会", "腰鼓队", "老年协会")
# Brand projects named in the seed text.
SEED_BRANDS = ("背篓医生", "黄桷义工", "冬日针爱", "科普大篷车", "七彩乡村", "1768社区自治服务",
               "山城少年", "阳光前行", "铝都网姐")
GRADE_WEIGHTS = [(1, 5), (2, 15), (3, 40), (4, 30), (5, 10)]
CUTOFFS = [600, 700, 800, 900, 950]
SHOWCASE = "杨家坪社会工作服务中心"
EXCELLENT = "优质社会组织"


def person_name(rng: random.Random) -> str:
    surname = rng.choices([s for s, _w in SURNAMES], cum_weights=SURNAME_CUM)[0]
    pool = GIVEN_FEMALE if rng.random() < 0.5 else GIVEN_MALE
    return surname + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2))))


SURNAME_CUM = list(accumulate(w for _s, w in SURNAMES))


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


class Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("orgs")
        self.today = dt.date.today()
        regions = list(ctx.regions.values())
        self.district = next(r for r in regions if r.level == RegionLevel.DISTRICT)
        self.streets = [r for r in regions if r.level == RegionLevel.STREET]
        self.communities = [r for r in regions if r.level == RegionLevel.COMMUNITY]
        self.street_weights = [max(1, s.population) for s in self.streets]
        self.community_weights = [max(1, c.population) for c in self.communities]
        self.names: set[str] = set()
        self.codes = 0
        self.filings: dict[tuple[str, int], int] = {}

    def unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{name}{n}" if not name[-1].isdigit() else f"{name}-{n}"
        self.names.add(candidate)
        return candidate

    def credit_code(self, legal_form: str) -> str:
        self.codes += 1
        kinds: dict[str, str] = {LegalForm.SOCIAL_GROUP: "51", LegalForm.FOUNDATION: "53"}
        kind = kinds.get(legal_form, "52")
        first17 = f"{kind}500107MJ{self.codes:07d}"
        return first17 + uscc_check_char(first17)

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def supported(self, status: str, category: str, region: Region,
                  name: str | None = None) -> SocialOrganization:
        rng = self.rng
        place = region.name.removesuffix("街道").removesuffix("镇").removesuffix("区")
        first, last = NAME_PARTS[Category(category)]
        org = SocialOrganization(
            name=self.unique(name or place + rng.choice(first) + rng.choice(last)),
            region=region, region_path=region.path, category=category, status=status,
            person_in_charge=person_name(rng), contact_phone=self.phone(),
            venue=f"{region.name}{rng.randint(1, 200)}号", activity_area=region.name,
            founded_on=_day_between(rng, dt.date(2006, 1, 1), self.today - dt.timedelta(400)),
            funds=Decimal(rng.randrange(20, 800) * 1000), funds_source=rng.choice(
                ("政府购买服务", "会费", "社会捐赠", "基金会资助", "服务收费")),
            summary=f"面向{region.name}居民提供{first[0]}服务")
        if status != OrgStatus.INCUBATING:
            org.legal_form = _pick(rng, [(LegalForm.SOCIAL_SERVICE, 60),
                                         (LegalForm.SOCIAL_GROUP, 36), (LegalForm.FOUNDATION, 4)])
            org.credit_code = self.credit_code(org.legal_form)
            org.registered_on = _day_between(rng, max(org.founded_on or dt.date(2008, 1, 1),
                                                      dt.date(2008, 1, 1)),
                                             self.today - dt.timedelta(days=60))
        return org

    def filed(self, region: Region) -> SocialOrganization:
        rng = self.rng
        day = _day_between(rng, dt.date(2019, 1, 1), self.today)
        key = (region.path[:9], day.year)
        self.filings[key] = self.filings.get(key, 0) + 1
        return SocialOrganization(
            name=self.unique(region.name.removesuffix("社区").removesuffix("村")
                             + rng.choice(ACTIVITIES)),
            region=region, region_path=region.path, status=OrgStatus.FILED,
            filing_number=f"BA{key[0]}-{key[1]}-{self.filings[key]:04d}", filed_on=day,
            person_in_charge=person_name(rng), contact_phone=self.phone(),
            venue=f"{region.name}活动室", activity_area=region.name,
            charter="遵守法律法规,服务社区居民,丰富群众生活", founded_on=day,
            funds=Decimal(rng.randrange(0, 50) * 100), funds_source="成员自筹")

    def street(self) -> Region:
        return self.rng.choices(self.streets, weights=self.street_weights)[0]

    def community(self) -> Region:
        return self.rng.choices(self.communities, weights=self.community_weights)[0]


def _history(org: SocialOrganization, b: Builder) -> list[StatusChange]:
    start = org.registered_on or org.filed_on or org.founded_on or b.today
    if org.status == OrgStatus.FILED:
        return [StatusChange(org=org, region_path=org.region_path, from_status="",
                             to_status=OrgStatus.FILED, on=start, reason="社区社会组织备案")]
    rows = [StatusChange(org=org, region_path=org.region_path, from_status="",
                         to_status=OrgStatus.INCUBATING if org.status == OrgStatus.INCUBATING
                         else OrgStatus.REGISTERED, on=start, reason="")]
    if org.status in (OrgStatus.SUSPENDED, OrgStatus.ELIMINATED):
        on = _day_between(b.rng, max(start, b.today - dt.timedelta(days=700)), b.today)
        reason = "年度检查不合格" if org.status == OrgStatus.SUSPENDED else "四方评估不合格,予以淘汰"
        rows.append(StatusChange(org=org, region_path=org.region_path,
                                 from_status=OrgStatus.REGISTERED, to_status=org.status, on=on,
                                 reason=reason))
    return rows


def _rating(org: SocialOrganization, b: Builder) -> Rating | None:
    assert org.registered_on is not None
    earliest = max(add_years(org.registered_on, 2), add_years(b.today, -5) + dt.timedelta(days=1))
    latest = b.today - dt.timedelta(days=30)
    if earliest > latest:
        return None
    grade = _pick(b.rng, GRADE_WEIGHTS)
    top = CUTOFFS[grade] if grade < 5 else 1000
    score = Decimal(b.rng.randrange(CUTOFFS[grade - 1] * 10, top * 10)) / 10
    awarded = _day_between(b.rng, earliest, latest)
    return Rating(org=org, region_path=org.region_path, grade=grade, score=score,
                  awarded_on=awarded, valid_until=validity_end(awarded, 5), note="区社会组织评估")


@step("orgs", order=20)
def build_orgs(ctx: DemoContext) -> dict[str, int]:
    plan = PLANS[ctx.profile.name]
    b = Builder(ctx)
    rng = b.rng
    incubator_streets = {s.region_path for s in _bases(ctx)} - {b.district.path}
    home_street = next(s for s in b.streets if s.name == ACCOUNT_STREET)
    showcase = b.supported(OrgStatus.REGISTERED, Category.SOCIAL_WORK, home_street, SHOWCASE)
    showcase.founded_on, showcase.registered_on = dt.date(2015, 9, 1), dt.date(2016, 3, 18)
    orgs = [showcase]
    # plan.eliminated organisations more than the live ones: the evaluation step eliminates
    # that many through the service (its 淘汰 decisions), so orgs.eliminated and
    # evaluation.eliminated count the same organisations and orgs.total stays plan.supported.
    for i in range(plan.supported - 1 + plan.eliminated):
        status = (OrgStatus.REGISTERED if i < plan.eliminated else
                  _pick(rng, [(OrgStatus.REGISTERED, 85), (OrgStatus.INCUBATING, 11),
                              (OrgStatus.SUSPENDED, 4)]))
        if status == OrgStatus.INCUBATING and rng.random() < 0.6:
            region = b.ctx.regions[_street_code(rng.choice(sorted(incubator_streets)))]
        else:
            region = b.district if rng.random() < 0.15 else b.street()
        orgs.append(b.supported(status, _pick(rng, CATEGORY_WEIGHTS), region))
    orgs.extend(b.filed(b.street() if rng.random() < 0.08 else b.community())
                for _ in range(plan.filed))
    orgs = SocialOrganization.objects.bulk_create(orgs, batch_size=1000)
    StatusChange.objects.bulk_create([h for o in orgs for h in _history(o, b)], batch_size=2000)

    registered = [o for o in orgs if o.status == OrgStatus.REGISTERED]
    # The org_staff account's organisation: rated 4A a year ago, an excellent organisation.
    awarded = b.today - dt.timedelta(days=400)
    ratings = [Rating(org=showcase, region_path=showcase.region_path, grade=4,
                      score=Decimal("912.0"), awarded_on=awarded,
                      valid_until=validity_end(awarded, 5), note="区社会组织评估")]
    ratings += [r for o in registered[1:] if rng.random() < 0.35
                if (r := _rating(o, b)) is not None]
    Rating.objects.bulk_create(ratings, batch_size=1000)
    top = [ratings[0]] + sorted((r for r in ratings[1:] if r.grade >= 4),
                                key=lambda r: (-r.grade, -r.score))
    honours = [OrgHonour(org=r.org, region_path=r.region_path, title=EXCELLENT,
                         year=b.today.year - rng.randint(0, 1), awarded_by="四方评估委员会")
               for r in top[:plan.excellent]]
    OrgHonour.objects.bulk_create(honours)
    projects = _projects(b, showcase, [r.org for r in top] + registered)
    BrandProject.objects.bulk_create(projects, batch_size=1000)
    members = [OrgMember(org=o, region_path=o.region_path, name=n,
                         post="负责人" if i == 0 else rng.choice(("成员", "成员", "骨干", "联络员")),
                         joined_on=o.filed_on)
               for o in orgs if o.status == OrgStatus.FILED or o is showcase
               for i, n in enumerate(person_name(rng) for _ in range(rng.randint(3, 9)))]
    OrgMember.objects.bulk_create(members, batch_size=2000)
    agreements = _agreements(orgs, b.today)
    ProcessingAgreement.objects.bulk_create(agreements, batch_size=1000)
    counts = incubate(ctx, rng, orgs, showcase, _bases(ctx), b.today)
    grant_add(actor=None, user=ctx.user("org_staff"), role="org_staff", region=home_street,
              org=showcase)
    ctx.shared["orgs"] = {
        "showcase": showcase.pk,
        "employers": [o.pk for o in registered if o.category == Category.SOCIAL_WORK],
    }
    return {"organisations": len(orgs), "ratings": len(ratings), "honours": len(honours),
            "brand_projects": len(projects), "members": len(members),
            "agreements": len(agreements), **counts}


# The signed agreement every demo organisation that can receive needs has on record (a tiny
# PDF): without one, a need with contact details cannot be dispatched to it (PIPL Art. 21).
DEMO_AGREEMENT = b"%PDF-1.4\n% wushe demo: entrusted-processing agreement\n%%EOF\n"


def _agreements(orgs: list[SocialOrganization], today: dt.date) -> list[ProcessingAgreement]:
    digest = hashlib.sha256(DEMO_AGREEMENT).hexdigest()
    return [ProcessingAgreement(
        org=o, region_path=o.region_path, starts_on=today - dt.timedelta(days=365),
        ends_on=today + dt.timedelta(days=730),
        purposes=[AgreementPurpose.NEEDS_HANDLING, AgreementPurpose.SERVICE_DELIVERY],
        document=DEMO_AGREEMENT, document_name="委托处理协议.pdf", document_type="application/pdf",
        document_size=len(DEMO_AGREEMENT), document_sha256=digest)
        for o in orgs if o.status in (OrgStatus.FILED, OrgStatus.REGISTERED, OrgStatus.INCUBATING)]


def _street_code(path: str) -> str:
    return path + "000"


def _bases(ctx: DemoContext) -> list[Any]:
    from wushe.regions.models import Site, SiteKind

    return list(Site.objects.unscoped(reason="demo: builds the whole district").filter(kind=SiteKind.INCUBATOR).order_by("region_path"))


def _projects(b: Builder, showcase: SocialOrganization,
              candidates: list[SocialOrganization]) -> list[BrandProject]:
    rng = b.rng
    unique: list[SocialOrganization] = []
    seen: set[int] = {showcase.pk}
    for o in candidates:
        if o.pk not in seen:
            seen.add(o.pk)
            unique.append(o)
    owners = [showcase, showcase, *unique]
    projects = []
    for name, org in zip(SEED_BRANDS, owners, strict=False):
        projects.append(BrandProject(
            org=org, region_path=org.region_path, name=name, summary=f"{org.name}品牌服务项目",
            started_on=_day_between(rng, dt.date(2016, 1, 1), b.today - dt.timedelta(365)),
            beneficiaries=rng.randrange(200, 20000)))
    for org in unique[len(SEED_BRANDS) - 2:]:
        if rng.random() < 0.12:
            projects.append(BrandProject(
                org=org, region_path=org.region_path,
                name=rng.choice(("邻里守望", "银龄互助", "护苗成长", "社区微治理", "四点半课堂",
                                 "暖冬行动", "心理护航")) + "项目",
                started_on=_day_between(rng, dt.date(2018, 1, 1), b.today - dt.timedelta(90)),
                beneficiaries=rng.randrange(50, 5000)))
    return projects


# "社区社会组织1416家,吸纳群众2万": the residents taking part in each filed community
# organisation, about 14 on average (2万 over 1,416 at seed; scales with the organisations).
PARTICIPANTS = (6, 22)


@step("orgs_participants", order=21)
def build_participants(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("orgs_participants")
    filed = list(SocialOrganization.objects.unscoped(reason="demo: builds the whole district").filter(status=OrgStatus.FILED)
                 .order_by("pk").only("pk"))
    for org in filed:
        org.participants = rng.randint(*PARTICIPANTS)
    SocialOrganization.objects.unscoped(reason="demo: builds the whole district").bulk_update(filed, ["participants"], batch_size=1000)
    return {"org_participants": sum(o.participants for o in filed)}
