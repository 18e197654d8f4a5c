"""KPIs of the governance system (治理体系): the region tree, the service sites, social
workers, community workers and the staffing standard, people and residents in care.

Stocks: the current state whatever the period (the seed text's "目前,全区…").
Definitions reuse those of the apps' ``stats.py`` so ``wushe stats`` and these agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum

from wushe.reports.kpis.base import LEVEL_LENGTHS, Kpi, Period, Source, Unit, define
from wushe.reports.kpis.labels import CERT_ZH, SITE_ZH


def _regions() -> Any:
    from wushe.regions.models import Region

    return Region.objects.unscoped(reason="kpi: filtered by the region path").all()


def _sites() -> Any:
    from wushe.regions.models import Site

    return Site.objects.unscoped(reason="kpi: filtered by the region path").filter(active=True)


def _social_workers() -> Any:
    from wushe.workforce.models import SocialWorker, WorkerStatus

    return SocialWorker.objects.unscoped(reason="kpi: filtered by the region path").filter(status=WorkerStatus.ACTIVE)


def _persons() -> Any:
    from wushe.people.models import Person

    return Person.objects.unscoped(reason="kpi: filtered by the region path").all()


def _care_profiles() -> Any:
    from wushe.residents.models import CareProfile, ProfileStatus

    return CareProfile.objects.unscoped(reason="kpi: filtered by the region path").filter(status=ProfileStatus.ACTIVE)


REGIONS = Source("regions", _regions, path_field="path")
SITES = Source("sites", _sites)
SOCIAL_WORKERS = Source("social_workers", _social_workers)
PERSONS = Source("persons", _persons)
CARE = Source("care_profiles", _care_profiles)

NOW_ZH = "取数据时点的当前状态,与统计期间无关。"
NOW_EN = "The current state at the data time, whatever the period."


def _staffing(path: str, memo: dict[Any, Any]) -> Any:
    """The staffing report of ``path``, built once per computation: the four staffing KPIs
    all read it."""
    from wushe.workforce import staffing

    if ("staffing", path) not in memo:
        memo["staffing", path] = staffing.figures(path)
    return memo["staffing", path]


def _staffing_grouped(field: str) -> Any:
    """Per node: the sum over its communities (the standard binds each community; see
    workforce/staffing.py), from one staffing report of the whole tree."""

    def grouped(roots: list[str], period: Period, memo: dict[Any, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for root in roots:
            for row in _staffing(root, memo).rows:
                value = {"actual": row.actual, "required": row.required,
                         "shortfall": row.shortfall, "short": int(row.short)}[field]
                for n in LEVEL_LENGTHS:
                    if n >= len(root):
                        out[row.path[:n]] = out.get(row.path[:n], 0) + value
        return out

    return grouped


def _staffing_kpi(key: str, field: str, total: str, zh: str, en: str, dzh: str, den: str,
                  seed: str = "") -> Kpi:
    def compute(path: str, period: Period, memo: dict[Any, Any]) -> int:
        return int(getattr(_staffing(path, memo).totals, total))

    return Kpi(key, zh, en, Unit.PEOPLE if field != "short" else Unit.COUNT,
               dzh + NOW_ZH, den + " " + NOW_EN, custom=compute,
               custom_grouped=_staffing_grouped(field), section="governance", seed=seed)


define(
    Kpi("regions.streets", "镇街数", "Streets and towns", Unit.COUNT,
        "辖区内层级为镇(街道)的地区个数。" + NOW_ZH,
        "Regions of level street/town in the subtree. " + NOW_EN,
        REGIONS, Count("pk", filter=Q(level="street")), section="governance"),
    Kpi("regions.communities", "村(社区)数", "Communities and villages", Unit.COUNT,
        "辖区内层级为村(社区)的地区个数。" + NOW_ZH,
        "Regions of level community/village in the subtree. " + NOW_EN,
        REGIONS, Count("pk", filter=Q(level="community")), section="governance"),
    Kpi("regions.population", "常住人口", "Permanent population", Unit.PEOPLE,
        "各村(社区)登记的常住人口之和(只在社区层级求和,避免重复计算)。" + NOW_ZH,
        "Sum of the permanent population recorded for each community (summed at community "
        "level only, so nothing is counted twice). " + NOW_EN,
        REGIONS, Sum("population", filter=Q(level="community")), section="governance"),
    *[Kpi(f"sites.{kind}", SITE_ZH[kind][0], SITE_ZH[kind][1], Unit.COUNT,
          f"在用(active)的{SITE_ZH[kind][0]}阵地个数。" + NOW_ZH,
          f"Active sites of kind {kind} ({SITE_ZH[kind][1]}). " + NOW_EN,
          SITES, Count("pk", filter=Q(kind=kind)), section="governance")
      for kind in SITE_ZH],
    Kpi("social_workers.total", "社工专业人才", "Social workers in post", Unit.PEOPLE,
        "状态为在岗的社会工作者人数(休假、离职不计)。" + NOW_ZH,
        "Social workers whose status is in post (on leave and gone are not counted). " + NOW_EN,
        SOCIAL_WORKERS, Count("pk"), section="governance", seed="全区共有专业社工人才4250人"),
    Kpi("social_workers.certified", "持证社工", "Certified social workers", Unit.PEOPLE,
        "在岗且持有助理社会工作师及以上证书的社工人数。" + NOW_ZH,
        "Social workers in post holding an assistant, intermediate or senior certificate. "
        + NOW_EN, SOCIAL_WORKERS, Count("pk", filter=~Q(certificate_level="none")),
        section="governance", seed="持证1247人"),
    Kpi("social_workers.placed", "配备到三级阵地的社工", "Social workers placed at sites",
        Unit.PEOPLE, "在岗且配备到区中心、镇街社工站或社区社工室等阵地的社工人数。" + NOW_ZH,
        "Social workers in post placed at a site (district centre, street station or community "
        "room). " + NOW_EN, SOCIAL_WORKERS, Count("pk", filter=Q(site__isnull=False)),
        section="governance", seed="配备社工专业人才705人"),
    *[Kpi(f"social_workers.by_level.{lv}", CERT_ZH[lv][0], CERT_ZH[lv][1], Unit.PEOPLE,
          f"在岗且证书等级为{CERT_ZH[lv][0]}的社工人数。" + NOW_ZH,
          f"Social workers in post with a {CERT_ZH[lv][1]} certificate. " + NOW_EN,
          SOCIAL_WORKERS, Count("pk", filter=Q(certificate_level=lv)), section="governance")
      for lv in CERT_ZH],
    _staffing_kpi("community_workers.total", "actual", "actual", "在岗社区工作者",
                  "Community workers in post",
                  "各村(社区)在岗社区工作者人数之和。",
                  "Community workers in post, summed over the communities."),
    _staffing_kpi("community_workers.required", "required", "required", "应配社区工作者",
                  "Community workers required",
                  "按每万名常住人口不少于18名、每村(社区)不少于2名(本地规则)逐社区计算后求和。",
                  "Per community max(floor, ceil(population × ratio / 10,000)) with the local "
                  "rules (18 per 10,000, at least 2), summed over the communities.",
                  seed="每万名常住人口配备不少于18名、每村(社区)不少于2名"),
    _staffing_kpi("community_workers.shortfall", "shortfall", "shortfall", "社区工作者缺口",
                  "Community worker shortfall",
                  "各村(社区)应配减在岗(不足时)之和;一个社区的富余不抵另一个社区的缺口。",
                  "The sum of each community's shortfall (required − in post when short); a "
                  "surplus in one community does not offset another's shortfall."),
    _staffing_kpi("community_workers.shortfall_communities", "short", "short_communities",
                  "未达标社区数", "Communities below the standard",
                  "在岗社区工作者少于应配人数的村(社区)个数。",
                  "Communities with fewer workers in post than required."),
    Kpi("people.persons", "登记人员", "Persons on record", Unit.PEOPLE,
        "平台登记的人员(居民、志愿者、社工等,一人一条)数。" + NOW_ZH,
        "Persons on record (residents, volunteers, workers: one row per human). " + NOW_EN,
        PERSONS, Count("pk"), section="governance"),
    Kpi("residents.in_care", "在册关爱对象", "Residents in care", Unit.PEOPLE,
        "状态为在册的关爱档案数(一老一小一困)。" + NOW_ZH,
        "Care profiles with status in care (elderly, minors, hardship). " + NOW_EN,
        CARE, Count("pk"), section="governance"),
    *[Kpi(f"residents.in_care.{g}", zh, en, Unit.PEOPLE,
          f"状态为在册、对象类别为{zh}的关爱档案数。" + NOW_ZH,
          f"Care profiles in care of target group {g}. " + NOW_EN,
          CARE, Count("pk", filter=Q(target_group=g)), section="governance",
          seed="聚集\u201c一小一老一困\u201d")
      for g, zh, en in (("elderly", "一老", "Elderly"), ("minor", "一小", "Minors"),
                        ("hardship", "一困", "In hardship"))],
)


def _renovated() -> Any:
    from django.apps import apps

    return apps.get_model("renovation", "Renovation").objects.unscoped(reason="kpi: filtered by the region path").filter(
        progress="accepted")


def _renovation_spending() -> Any:
    from django.apps import apps

    return apps.get_model("renovation", "Spending").objects.unscoped(reason="kpi: filtered by the region path").all()


def _register_renovation() -> None:
    """The 党群服务中心 renovation programme (wushe/renovation), when installed."""
    from django.apps import apps

    if not apps.is_installed("wushe.renovation"):
        return
    renovated = Source("renovations_accepted", _renovated, "accepted_on")
    spending = Source("renovation_spending", _renovation_spending, "spent_on")
    define(
        Kpi("sites.party_centre_renovated", "维修改建党群服务中心", "Party centres renovated",
            Unit.COUNT,
            "统计期间内验收(accepted_on)的党群服务中心维修改建个数(须有验收文件;重新打开的不计)。",
            "Party-centre renovations accepted (accepted_on, with their acceptance document) in "
            "the period; reopened ones are not counted.",
            renovated, Count("pk"), section="governance",
            seed="维修改建村(社区)党群服务中心20个"),
        Kpi("sites.party_centre_renovation_yuan", "党群服务中心改建投入",
            "Spent on party-centre renovation", Unit.YUAN,
            "统计期间内支付(spent_on)的党群服务中心维修改建款项之和(按凭证登记)。",
            "Payments on party-centre renovations (each with its voucher) made (spent_on) in the "
            "period.", spending, Sum("amount"), section="governance",
            seed="计划投入资金2300余万元"),
    )


_register_renovation()
