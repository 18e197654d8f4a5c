"""KPIs of service momentum (服务效能): needs and their linkage, volunteers, organisations.

Flows (needs received, hours served, activities held, ideas) count rows dated in the
period; the other figures are the current state. With the whole period ("all") every
figure here equals ``wushe stats`` of the same key (the apps' stats.py definitions).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Q, Sum

from wushe.reports.kpis.base import Kpi, Source, Unit, define
from wushe.reports.kpis.governance import NOW_EN, NOW_ZH
from wushe.reports.kpis.labels import (
    CHANNEL_ZH,
    GROUP_ZH,
    ORG_CATEGORY_ZH,
    ORG_STATUS_ZH,
    STATE_ZH,
    TEAM_LEVEL_ZH,
)

DONE = ("resolved", "followed_up", "closed")  # 办结 and after (needs.workflow.DONE)
LINKAGE_MIN_SOCIETIES = 2  # needs.stats.LINKAGE_MIN_SOCIETIES
EXCELLENT = "优质社会组织"  # orgs.stats.EXCELLENT
SUPPORTED = ("incubating", "registered", "suspended")  # the four categories' live statuses


def _needs() -> Any:
    from wushe.needs.models import Need

    return Need.objects.unscoped(reason="kpi: filtered by the region path").all()


def _ledgers() -> Any:
    from wushe.residents.models import Ledger

    return Ledger.objects.unscoped(reason="kpi: filtered by the region path").filter(active=True)


def _ideas() -> Any:
    from wushe.needs.models import Idea

    return Idea.objects.unscoped(reason="kpi: filtered by the region path").all()


def _volunteers() -> Any:
    from wushe.volunteers.models import Volunteer

    return Volunteer.objects.unscoped(reason="kpi: filtered by the region path").all()


def _teams() -> Any:
    from wushe.volunteers.models import Team

    return Team.objects.unscoped(reason="kpi: filtered by the region path").all()


def _records() -> Any:
    from wushe.volunteers.models import RecordStatus, ServiceRecord

    return ServiceRecord.objects.unscoped(reason="kpi: filtered by the region path").filter(status=RecordStatus.CONFIRMED,
                                                   superseded_by=None)


def _activities() -> Any:
    from wushe.volunteers.models import Activity, ActivityStatus

    return Activity.objects.unscoped(reason="kpi: filtered by the region path").exclude(status=ActivityStatus.CANCELLED)


def _finished() -> Any:
    from wushe.volunteers.models import Activity, ActivityStatus

    return Activity.objects.unscoped(reason="kpi: filtered by the region path").filter(status=ActivityStatus.FINISHED)


def _orgs() -> Any:
    from wushe.orgs.models import SocialOrganization

    return SocialOrganization.objects.unscoped(reason="kpi: filtered by the region path").all()


def _ratings() -> Any:
    from wushe.orgs.models import Rating

    today = dt.date.today()
    return Rating.objects.unscoped(reason="kpi: filtered by the region path").filter(awarded_on__lte=today, valid_until__gte=today)


def _honours() -> Any:
    from wushe.orgs.models import OrgHonour

    return OrgHonour.objects.unscoped(reason="kpi: filtered by the region path").filter(title=EXCELLENT)


def _incubations() -> Any:
    from wushe.orgs.models import Incubation

    return Incubation.objects.unscoped(reason="kpi: filtered by the region path").exclude(stage__in=("graduated", "withdrawn"))


NEEDS_RECEIVED = Source("needs_received", _needs, "received_at", is_datetime=True)
NEEDS_RESOLVED = Source("needs_resolved", _needs, "resolved_at", is_datetime=True)
LEDGERS = Source("ledgers", _ledgers)
IDEAS = Source("ideas", _ideas, "submitted_at", is_datetime=True)
VOLUNTEERS = Source("volunteers", _volunteers)
TEAMS = Source("teams", _teams)
RECORDS = Source("service_records", _records, "service_date")
ACTIVITIES = Source("activities", _activities, "starts_at", is_datetime=True)
FINISHED = Source("activities_finished", _finished, "starts_at", is_datetime=True)
ORGS = Source("orgs", _orgs)
RATINGS = Source("ratings", _ratings)
HONOURS = Source("honours", _honours)
INCUBATIONS = Source("incubations", _incubations)

RECEIVED_ZH = "统计期间内接收(received_at)的诉求,含已合并的重复诉求(它们确实被接收了)。"
RECEIVED_EN = ("Needs received (received_at) in the period, merged duplicates included (they "
               "were received).")
RESOLVED_ZH = "统计期间内办结(resolved_at)的诉求。"
RESOLVED_EN = "Needs resolved (resolved_at) in the period."


def _categories() -> Any:
    from wushe.needs.categories import CATEGORIES

    return CATEGORIES


def _stars(n: int) -> Any:
    def band(path: str) -> Any:
        from wushe.volunteers.stars import StarScale

        return Count("pk", filter=StarScale.load().band_q(n, path))

    return band


define(
    Kpi("needs.total", "收到群众诉求", "Needs received", Unit.COUNT,
        "各渠道收到的群众诉求件数。" + RECEIVED_ZH, "Needs of every channel. " + RECEIVED_EN,
        NEEDS_RECEIVED, Count("pk"), monthly=True, section="services"),
    *[Kpi(f"needs.by_channel.{c}", zh, en, Unit.COUNT,
          f"渠道为{zh}的诉求件数。" + RECEIVED_ZH, f"Needs of channel {c}. " + RECEIVED_EN,
          NEEDS_RECEIVED, Count("pk", filter=Q(channel=c)), section="services",
          seed={"online": "线上收到…群众急难愁盼的\u201c点单\u201d1.5万余件",
                "offline": "线下梳理各类问题清单8000余件"}.get(c, ""))
      for c, (zh, en) in CHANNEL_ZH.items()],
    *[Kpi(f"needs.by_category.{code}", c.zh, c.en, Unit.COUNT,
          f"类别为{c.zh}的诉求件数。" + RECEIVED_ZH, f"Needs of category {code}. " + RECEIVED_EN,
          NEEDS_RECEIVED, Count("pk", filter=Q(category=code)), section="services",
          seed="临时救助、法律援助、心理疏导等" if code in ("temporary_relief", "legal_aid",
                                                     "counselling") else "")
      for code, c in _categories().items()],
    *[Kpi(f"needs.by_status.{s}", f"诉求:{zh}", f"Needs: {en}", Unit.COUNT,
          f"接收于统计期间、当前状态为{zh}的诉求件数。" + RECEIVED_ZH,
          f"Needs received in the period whose current status is {s}. " + RECEIVED_EN,
          NEEDS_RECEIVED, Count("pk", filter=Q(state=s)), section="services")
      for s, (zh, en) in STATE_ZH.items()],
    *[Kpi(f"needs.by_target_group.{g}", f"{zh}诉求", f"Needs: {en}", Unit.COUNT,
          f"服务对象为{zh}的诉求件数。" + RECEIVED_ZH,
          f"Needs whose target group is {g}. " + RECEIVED_EN,
          NEEDS_RECEIVED, Count("pk", filter=Q(target_group=g)), section="services")
      for g, (zh, en) in GROUP_ZH.items()],
    Kpi("needs.on_time_rate", "按时办结率", "On-time resolution rate", Unit.RATE,
        "已办结(至少办结过一次)诉求中,在工作日时限内办结的比例。" + RESOLVED_ZH,
        "Of the needs resolved at least once, the share resolved by their working-day "
        "deadline. " + RESOLVED_EN, NEEDS_RESOLVED, Count("pk", filter=Q(resolved_on_time=True)),
        per=Count("pk", filter=Q(resolved_on_time__isnull=False)), monthly=True,
        section="services"),
    Kpi("needs.linkage_rate", "五社联动率", "Five-society linkage rate", Unit.RATE,
        f"办结及以后(办结、回访、评价)的诉求中,由五社中至少{LINKAGE_MIN_SOCIETIES}方共同服务的比例。"
        + RESOLVED_ZH,
        f"Of the needs resolved and after (resolved, followed up, rated), the share served by "
        f"at least {LINKAGE_MIN_SOCIETIES} of the five societies. " + RESOLVED_EN,
        NEEDS_RESOLVED,
        Count("pk", filter=Q(state__in=DONE, society_count__gte=LINKAGE_MIN_SOCIETIES)),
        per=Count("pk", filter=Q(state__in=DONE)), monthly=True, section="services"),
    Kpi("needs.satisfaction_avg", "群众满意度", "Average satisfaction", Unit.SCORE,
        "已评价诉求当前评分(1–5分)的平均值。" + RESOLVED_ZH,
        "Mean of the current ratings (1–5) of rated needs. " + RESOLVED_EN,
        NEEDS_RESOLVED, Avg("satisfaction"), digits=2, section="services"),
    Kpi("needs.common_problems", "归纳的共性问题", "Needs grouped into common problems",
        Unit.COUNT,
        "工作人员归入共性问题(老年人服务、困难群体服务等)的诉求件数。" + RECEIVED_ZH,
        "Needs staff grouped into a common problem (services for the elderly, for people in "
        "hardship…). " + RECEIVED_EN,
        NEEDS_RECEIVED, Count("pk", filter=~Q(common_problem="")), section="services",
        seed="老年人、困难群体服务等5000余件共性问题"),
    Kpi("needs.ledgers", "特殊困难群体台账", "Hardship ledgers", Unit.COUNT,
        "在用的特殊困难群体工作台账套数。" + NOW_ZH, "Active hardship ledgers. " + NOW_EN,
        LEDGERS, Count("pk"), section="services", seed="梳理完善特殊困难群体工作台账25套"),
    Kpi("needs.ideas", "自治金点子", "Self-governance ideas", Unit.COUNT,
        "统计期间内收到(submitted_at)的自治金点子条数。",
        "Self-governance ideas received (submitted_at) in the period.",
        IDEAS, Count("pk"), section="services", seed="收集自治金点子300余个"),
    Kpi("volunteers.total", "注册志愿者", "Registered volunteers", Unit.PEOPLE,
        "平台登记的志愿者人数。" + NOW_ZH, "Volunteers on record. " + NOW_EN,
        VOLUNTEERS, Count("pk"), section="services", seed="招募志愿者近25万人"),
    *[Kpi(f"volunteers.stars.{n}", f"{n}星志愿者", f"{n}-star volunteers", Unit.PEOPLE,
          f"按本地星级时长门槛,累计确认时长达到{n}星(未达{n + 1}星)的志愿者人数。" + NOW_ZH,
          f"Volunteers whose confirmed hours reach {n} stars (not {n + 1}) under the local "
          "star thresholds. " + NOW_EN, VOLUNTEERS, _stars(n), section="services")
      for n in range(1, 6)],
    *[Kpi(f"volunteers.teams.{lv}", zh, en, Unit.COUNT,
          f"层级为{zh}的志愿服务队伍数。" + NOW_ZH, f"Volunteer teams of level {lv}. " + NOW_EN,
          TEAMS, Count("pk", filter=Q(level=lv)), section="services",
          seed={"squad": "组建志愿服务小队400余支"}.get(lv, ""))
      for lv, (zh, en) in TEAM_LEVEL_ZH.items()],
    Kpi("volunteers.teams.street_detachment", "镇(街)志愿服务分队", "Street detachments",
        Unit.COUNT, "设在镇(街道)一级的支队(分队)层级志愿服务队伍数。" + NOW_ZH,
        "Volunteer teams of level detachment whose region is a street or town. " + NOW_EN,
        TEAMS, Count("pk", filter=Q(level="detachment", region__level="street")),
        section="services", seed="成立镇(街)志愿服务分队13支"),
    Kpi("volunteers.teams.brand_squad", "品牌志愿服务小分队", "Brand squads (小分队)",
        Unit.COUNT,
        "设在村(社区)一级的支队(分队)层级志愿服务队伍数(围绕品牌组建的小分队)。" + NOW_ZH,
        "Volunteer teams of level detachment whose region is a community or village (the "
        "brand 小分队 founded in a community). " + NOW_EN,
        TEAMS, Count("pk", filter=Q(level="detachment", region__level="community")),
        section="services", seed="培育\u201c生命花\u201d…等286支志愿服务小分队"),
    Kpi("volunteers.hours_confirmed", "志愿服务时长", "Volunteer service hours", Unit.HOURS,
        "统计期间内服务日期(service_date)的已确认、未被更正取代的服务记录时长之和。",
        "Hours of confirmed service records not superseded by a correction, with a service "
        "date in the period.", RECORDS, Sum("hours"), monthly=True, section="services",
        seed="总时长达18.3万小时"),
    *[Kpi(f"volunteers.hours_by_team_level.{lv}", f"{zh}记录时长", f"Hours recorded by {en}",
          Unit.HOURS, f"由{zh}记录并确认的服务时长(口径同志愿服务时长)。",
          f"Confirmed hours recorded by teams of level {lv} (as volunteer service hours).",
          RECORDS, Sum("hours", filter=Q(team__level=lv)), section="services")
      for lv, (zh, en) in TEAM_LEVEL_ZH.items()],
    Kpi("volunteers.activities", "志愿服务活动", "Volunteer activities", Unit.COUNT,
        "统计期间内开始(starts_at)的志愿服务活动场次(取消的不计)。",
        "Volunteer activities starting (starts_at) in the period, cancelled ones excluded.",
        ACTIVITIES, Count("pk"), section="services"),
    Kpi("volunteers.care_projects", "关爱帮扶服务项目", "Care projects carried out",
        Unit.COUNT,
        "统计期间内开始(starts_at)且已完成的志愿服务活动(项目)个数;取消、未开始的不计。",
        "Volunteer activities (projects) starting (starts_at) in the period and finished; "
        "cancelled and upcoming ones excluded.",
        FINISHED, Count("pk"), section="services",
        seed="关爱帮扶服务项目4804个"),
    Kpi("orgs.total", "社会组织", "Social organisations", Unit.COUNT,
        "除已淘汰外的社会组织数(孵化、备案、登记、暂停)。" + NOW_ZH,
        "Social organisations of every status but eliminated. " + NOW_EN,
        ORGS, Count("pk", filter=~Q(status="eliminated")), section="services"),
    Kpi("orgs.supported", "扶持的四大类社会组织", "Supported organisations (four categories)",
        Unit.COUNT,
        "公益服务类、参与治理类、枢纽支持类、社会工作类四大类中孵化、登记或暂停的社会组织数"
        "(已淘汰的不计;备案的社区社会组织另计)。" + NOW_ZH,
        "Social organisations of the four categories (public service, governance, hub, social "
        "work) that are incubating, registered or suspended (eliminated ones excluded; filed "
        "community organisations are counted separately). " + NOW_EN,
        ORGS, Count("pk", filter=Q(status__in=SUPPORTED, category__in=list(ORG_CATEGORY_ZH))),
        section="services", seed="全区扶持…四大类社会组织615家"),
    Kpi("orgs.community_org_members", "社区社会组织吸纳群众", "Residents in community organisations",
        Unit.PEOPLE,
        "备案的社区社会组织登记的参与群众人数之和。" + NOW_ZH,
        "Sum of the residents taking part recorded for each filed community organisation. "
        + NOW_EN,
        ORGS, Sum("participants", filter=Q(status="filed")), section="services",
        seed="社区社会组织1416家,吸纳群众2万"),
    *[Kpi(f"orgs.by_category.{c}", zh, en, Unit.COUNT,
          f"类别为{zh}、未被淘汰的社会组织数。" + NOW_ZH,
          f"Social organisations of category {c}, eliminated excluded. " + NOW_EN,
          ORGS, Count("pk", filter=Q(category=c) & ~Q(status="eliminated")),
          section="services") for c, (zh, en) in ORG_CATEGORY_ZH.items()],
    *[Kpi(f"orgs.{s}", zh, en, Unit.COUNT, f"状态为{zh}的社会组织数。" + NOW_ZH,
          f"Social organisations with status {s}. " + NOW_EN,
          ORGS, Count("pk", filter=Q(status=s)), section="services",
          seed={"filed": "社区社会组织1416家", "eliminated": "淘汰不合格社会组织3家"}.get(s, ""))
      for s, (zh, en) in ORG_STATUS_ZH.items()],
    *[Kpi(f"orgs.by_rating.{g}A", f"{g}A级社会组织", f"{g}A organisations", Unit.COUNT,
          f"今天处于有效期内的评估等级为{g}A的社会组织数。" + NOW_ZH,
          f"Organisations holding a {g}A rating valid today. " + NOW_EN,
          RATINGS, Count("org", distinct=True, filter=Q(grade=g)), section="services")
      for g in range(1, 6)],
    Kpi("orgs.excellent", "优质社会组织", "Excellent organisations", Unit.COUNT,
        f"获得\u201c{EXCELLENT}\u201d荣誉的社会组织数(一家只计一次)。" + NOW_ZH,
        f"Organisations awarded the honour \u201c{EXCELLENT}\u201d (each once). " + NOW_EN,
        HONOURS, Count("org", distinct=True), section="services",
        seed="全区共评选出优质社会组织10家"),
    Kpi("orgs.incubations_open", "在孵社会组织", "Organisations in incubation", Unit.COUNT,
        "尚未出壳或退出的孵化记录数。" + NOW_ZH,
        "Incubations neither graduated nor withdrawn. " + NOW_EN,
        INCUBATIONS, Count("pk"), section="services"),
)


def _practice_activities() -> Any:
    from django.apps import apps

    return (apps.get_model("civilisation", "ActivityDomain").objects.unscoped(reason="kpi: filtered by the region path")
            .exclude(activity__status="cancelled"))


def _register_civilisation() -> None:
    """新时代文明实践 activities exist only with the civilisation app installed."""
    from django.apps import apps

    if not apps.is_installed("wushe.civilisation"):
        return
    practice = Source("practice_activities", _practice_activities, "starts_at",
                      is_datetime=True)
    define(
        Kpi("volunteers.civilisation_activities", "结对共建文明实践活动",
            "Civilisation practice activities", Unit.COUNT,
            "统计期间内开始(starts_at)、已归入文明实践领域(基层巡讲、移风易俗、文化惠民等)的志愿服务"
            "活动场次(取消的不计)。",
            "Volunteer activities starting (starts_at) in the period that staff put in a "
            "civilisation-practice domain (lectures, customs, culture…), cancelled ones excluded.",
            practice, Count("pk"), section="services", seed="结对共建文明实践活动4000余场次"),
    )


_register_civilisation()
