"""KPIs of community service projects (社区服务项目): projects, supervision, evaluation.

Definitions are those of projects/stats.py, supervision/stats.py and evaluation/stats.py
(with the whole period they give the same numbers). Projects and evaluations are dated by
their year; supervision sessions by the day they were held (done_on). Registered only when
those apps are installed, so the report still works without them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, Sum

from wushe.reports.kpis.base import Kpi, Source, Unit, define
from wushe.reports.kpis.governance import NOW_EN, NOW_ZH

PURCHASED = ("contracted", "in_service", "midterm_evaluated", "final_evaluated", "closed")
DOMAIN_ZH = {
    "minor_protection": ("未成年人保护", "Minor protection"),
    "elderly_services": ("老年服务", "Elderly services"),
    "community_governance": ("社区治理", "Community governance"),
    "social_assistance": ("社会救助", "Social assistance"),
    "disability": ("助残服务", "Disability services"),
    "family": ("家庭服务", "Family services"),
    "other": ("其他", "Other"),
}
STATUS_ZH = {
    "designed": ("已设计", "Designed"), "listed": ("已列入购买清单", "Listed"),
    "procured": ("已采购", "Procured"), "contracted": ("已签约", "Contracted"),
    "in_service": ("服务中", "In service"), "midterm_evaluated": ("已中期评估", "Mid-term evaluated"),
    "final_evaluated": ("已末期评估", "Final evaluated"), "closed": ("已结项", "Closed"),
}
GRADE_ZH = {"excellent": ("优秀", "Excellent"), "good": ("良好", "Good"),
            "pass": ("合格", "Pass"), "fail": ("不合格", "Fail")}
YEAR_ZH = "按项目年度统计(统计期间所含年度)。"
YEAR_EN = "By the project's year (the years of the period)."


def _projects() -> Any:
    return apps.get_model("projects", "ServiceProject").objects.unscoped(reason="kpi: filtered by the region path").all()


def _contracts() -> Any:
    return (apps.get_model("projects", "Contract").objects.unscoped(reason="kpi: filtered by the region path")
            .filter(project__status__in=PURCHASED))


def _supervision_done() -> Any:
    return apps.get_model("supervision", "Supervision").objects.unscoped(reason="kpi: filtered by the region path").filter(status="done")


def _supervision_overdue() -> Any:
    return (apps.get_model("supervision", "Supervision").objects.unscoped(reason="kpi: filtered by the region path")
            .filter(status="planned", scheduled_on__lt=dt.date.today()))


def _decided() -> Any:
    return apps.get_model("evaluation", "Evaluation").objects.unscoped(reason="kpi: filtered by the region path").filter(status="decided")


def register() -> None:
    if apps.is_installed("wushe.projects"):
        projects = Source("projects", _projects, year_field="year")
        contracts = Source("contracts", _contracts, year_field="project__year")
        purchased = Q(status__in=PURCHASED)
        define(
            Kpi("projects.total", "社工项目", "Service projects", Unit.COUNT,
                "设计形成的社会工作服务项目数(任何状态,含续签项目)。" + YEAR_ZH,
                "Service projects designed (any status, renewals included). " + YEAR_EN,
                projects, Count("pk"), section="projects",
                seed="策划形成…568个社工项目"),
            Kpi("projects.purchased", "购买项目", "Projects purchased", Unit.COUNT,
                "已签订合同的项目数(签约、服务中、中期评估、末期评估、结项)。" + YEAR_ZH,
                "Projects that reached the contract (contracted, in service, evaluated, "
                "closed). " + YEAR_EN, projects, Count("pk", filter=purchased),
                section="projects", seed="累计开展370个社会工作服务项目"),
            Kpi("projects.on_purchase_lists", "列入购买清单的项目", "Projects on purchase lists",
                Unit.COUNT, "列入已公开发布的项目购买清单的项目数(草稿清单不计)。" + YEAR_ZH,
                "Projects on a purchase list that was made public (draft lists excluded). "
                + YEAR_EN, projects, Count("pk", filter=Q(purchase_list__status="published")),
                section="projects", seed="共发布项目购买清单370个"),
            Kpi("projects.budget_yuan", "项目投入", "Money invested", Unit.YUAN,
                "已购买项目的合同金额之和。" + YEAR_ZH,
                "Sum of the contract amounts of the purchased projects. " + YEAR_EN,
                contracts, Sum("amount"), section="projects", seed="总投入5000余万元"),
            Kpi("projects.leveraged_yuan", "撬动社会资源", "Social resources leveraged",
                Unit.YUAN, "已购买项目登记的撬动社会资源金额之和。" + YEAR_ZH,
                "Social resources leveraged by the purchased projects. " + YEAR_EN,
                projects, Sum("leveraged", filter=purchased), section="projects",
                seed="撬动社会资源520万元"),
            *[Kpi(f"projects.by_domain.{d}", zh, en, Unit.COUNT,
                  f"领域为{zh}的项目数。" + YEAR_ZH, f"Projects of domain {d}. " + YEAR_EN,
                  projects, Count("pk", filter=Q(domain=d)), section="projects",
                  seed="涵盖未成年人保护、老年服务、社区治理等方面")
              for d, (zh, en) in DOMAIN_ZH.items()],
            *[Kpi(f"projects.by_status.{s}", f"项目:{zh}", f"Projects: {en}", Unit.COUNT,
                  f"当前状态为{zh}的项目数。" + YEAR_ZH,
                  f"Projects whose current status is {s}. " + YEAR_EN,
                  projects, Count("pk", filter=Q(status=s)), section="projects")
              for s, (zh, en) in STATUS_ZH.items()],
        )
    if apps.is_installed("wushe.supervision"):
        done = Source("supervision_done", _supervision_done, "done_on")
        overdue = Source("supervision_overdue", _supervision_overdue)
        define(
            Kpi("supervision.total", "开展督导", "Supervision sessions", Unit.COUNT,
                "统计期间内完成(done_on)的各类督导次数:月调度、季督察、半年走访、集中督导和咨询。",
                "Supervision sessions held (done_on) in the period, of every kind.",
                done, Count("pk"), section="projects", monthly=True,
                seed="累计开展督导4231次"),
            Kpi("supervision.centralised", "集中督导", "Centralised sessions", Unit.COUNT,
                "统计期间内完成的集中督导场次。", "Centralised supervision sessions held.",
                done, Count("pk", filter=Q(kind="centralised")), section="projects",
                seed="集中督导近20场次"),
            Kpi("supervision.consultations", "一站式咨询", "Consultations", Unit.COUNT,
                "统计期间内完成的咨询场次。", "Consultations given in the period.",
                done, Count("pk", filter=Q(kind="consultation")), section="projects",
                seed="提供一站式咨询近200场次"),
            Kpi("supervision.overdue", "逾期督导", "Overdue visits", Unit.COUNT,
                "计划日期已过仍未完成(也未标记缺席)的督导。" + NOW_ZH,
                "Visits still planned whose date has passed. " + NOW_EN,
                overdue, Count("pk"), section="projects"),
        )
    if apps.is_installed("wushe.evaluation"):
        decided = Source("evaluations_decided", _decided, year_field="year")
        final = Q(stage="final")
        define(
            Kpi("evaluation.excellent_orgs", "评估优质社会组织", "Excellent providers",
                Unit.COUNT, "已决定的末期评估等级为优秀的承接组织数(去重)。" + YEAR_ZH,
                "Distinct providers with a decided final evaluation graded excellent. "
                + YEAR_EN, decided,
                Count("provider", filter=final & Q(grade="excellent"), distinct=True),
                section="projects", seed="评选出优质社会组织10家"),
            Kpi("evaluation.renewed", "续签项目", "Projects renewed", Unit.COUNT,
                "已决定、决定为续签的末期评估数。" + YEAR_ZH,
                "Decided final evaluations whose decision is renew. " + YEAR_EN,
                decided, Count("pk", filter=final & Q(decision="renew")), section="projects",
                seed="已续签项目12个"),
            Kpi("evaluation.eliminated", "淘汰社会组织", "Providers eliminated", Unit.COUNT,
                "已决定评估(任一阶段)决定为淘汰的承接组织数(去重)。" + YEAR_ZH,
                "Distinct providers with a decided evaluation whose decision is eliminate. "
                + YEAR_EN, decided,
                Count("provider", filter=Q(decision="eliminate"), distinct=True),
                section="projects", seed="淘汰不合格社会组织3家"),
            *[Kpi(f"evaluation.by_grade.{g}", f"评估{zh}", f"Evaluations: {en}", Unit.COUNT,
                  f"已决定、等级为{zh}的评估数(中期与末期)。" + YEAR_ZH,
                  f"Decided evaluations graded {g} (mid-term and final). " + YEAR_EN,
                  decided, Count("pk", filter=Q(grade=g)), section="projects")
              for g, (zh, en) in GRADE_ZH.items()],
        )


register()
