"""KPIs of resource channels (资源渠道): funds, donations, donors, disbursements, coverage.

Money is in yuan (two decimals). Donations count when received (not reversed), dated by
received_on; disbursements when paid as charitable spending, dated by paid_at. With the
whole period every figure equals ``wushe stats`` (charity/stats.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from wushe.reports.kpis.base import Kpi, Source, Unit, define
from wushe.reports.kpis.governance import NOW_EN, NOW_ZH
from wushe.reports.kpis.labels import DONOR_KIND_ZH, FUND_KIND_ZH


def _funds() -> Any:
    from wushe.charity.models import Fund, FundStatus

    return Fund.objects.unscoped(reason="kpi: filtered by the region path").exclude(status=FundStatus.DRAFT)


def _donations() -> Any:
    from wushe.charity.models import Donation, DonationStatus

    return Donation.objects.unscoped(reason="kpi: filtered by the region path").filter(status=DonationStatus.RECEIVED)


def _paid() -> Any:
    from wushe.charity.models import Disbursement, DisbursementCategory, DisbursementStatus

    return Disbursement.objects.unscoped(reason="kpi: filtered by the region path").filter(status=DisbursementStatus.PAID,
                                                  category=DisbursementCategory.CHARITABLE)


def _coverage_regions() -> Any:
    from wushe.regions.models import Region

    return Region.objects.unscoped(reason="kpi: filtered by the region path").filter(level__in=("street", "community"))


def _covered() -> Any:
    from wushe.charity.coverage import has_community_fund

    return Count("pk", filter=Q(has_community_fund()))


FUNDS = Source("funds", _funds)
DONATIONS = Source("donations", _donations, "received_on")
PAID = Source("disbursements_paid", _paid, "paid_at", is_datetime=True)
COVERAGE = Source("fund_coverage", _coverage_regions, path_field="path")

define(
    *[Kpi(f"charity.funds.{k}", zh, en, Unit.COUNT,
          f"已设立(筹备中除外)的{zh}只数。" + NOW_ZH,
          f"{en} set up (every status but being set up). " + NOW_EN,
          FUNDS, Count("pk", filter=Q(kind=k)), section="resources",
          seed={"special": "成立慈善纾困基金…等5只专项基金"}.get(k, ""))
      for k, (zh, en) in FUND_KIND_ZH.items()],
    Kpi("charity.raised_yuan", "募集资金", "Funds raised", Unit.YUAN,
        "统计期间内到账(received_on)且未冲销的捐赠金额之和(含物资折价)。",
        "Donations received (received_on) in the period and not reversed, goods at their "
        "valuation.", DONATIONS, Sum("amount"), monthly=True, section="resources",
        seed="2020年以来,累计募集资金5000余万元"),
    Kpi("charity.raised_yuan.community", "社区基金募集", "Raised by community funds",
        Unit.YUAN, "统计期间内到账且未冲销、捐入社区基金(阳光基金)的金额之和。",
        "Donations received in the period by community funds, not reversed.",
        DONATIONS, Sum("amount", filter=Q(fund__kind="community")), section="resources",
        seed="累计募集社区基金达300余万元"),
    *[Kpi(f"charity.donors.{k}", zh, en, Unit.COUNT,
          f"统计期间内有到账捐赠的{zh}数(一个捐赠方只计一次)。",
          f"{en} with a donation received in the period (each once).",
          DONATIONS, Count("donor_id", distinct=True, filter=Q(donor__kind=k)),
          section="resources",
          seed={"enterprise": "已汇聚爱心企业资源85个", "person": "联动爱心人士500余人"}[k])
      for k, (zh, en) in DONOR_KIND_ZH.items()],
    Kpi("charity.disbursed_yuan", "慈善支出", "Funds disbursed", Unit.YUAN,
        "统计期间内已支付(paid_at)的慈善活动支出金额之和(管理费用不计)。",
        "Charitable disbursements paid (paid_at) in the period; management costs excluded.",
        PAID, Sum("amount"), monthly=True, section="resources"),
    Kpi("charity.beneficiaries", "受助人次", "Beneficiaries", Unit.PEOPLE,
        "统计期间内已支付的慈善支出所惠及的人数:直接资助的关爱对象按人去重,资助诉求和项目的按登记受益人数相加。",
        "People helped by charitable disbursements paid in the period: distinct persons "
        "helped directly plus the people counted by need and project disbursements.",
        PAID, Count("person_id", distinct=True, filter=Q(beneficiary_kind="person"))
        + Coalesce(Sum("beneficiary_count", filter=~Q(beneficiary_kind="person")), 0),
        section="resources"),
    Kpi("charity.special_funds.relief_person_times", "专项基金救助困难群众", "Relief by special funds",
        Unit.PEOPLE,
        "统计期间内已支付、目的为救助困难群众的专项基金慈善支出所惠及的人次(资助个人的每笔计1人次,"
        "资助诉求和项目的按登记受益人数)。",
        "Person-times helped by special-fund charitable disbursements paid in the period whose "
        "aim is relief (one per payment to a person; the people counted for needs and projects).",
        PAID, Sum("beneficiary_count", filter=Q(fund__kind="special", aim="relief")),
        section="resources", seed="救助困难群众300余人次"),
    Kpi("charity.special_funds.children_visited", "专项基金慰问困境儿童",
        "Children in difficulty visited", Unit.PEOPLE,
        "统计期间内已支付、目的为慰问困境儿童的专项基金慈善支出所惠及的儿童人数(直接资助的按人去重,"
        "资助项目的按登记受益人数相加)。",
        "Children reached by special-fund charitable disbursements paid in the period whose aim "
        "is a visit to children in difficulty: distinct children helped directly plus the "
        "children counted by project disbursements.",
        PAID, Count("person_id", distinct=True,
                    filter=Q(fund__kind="special", aim="children", beneficiary_kind="person"))
        + Coalesce(Sum("beneficiary_count", filter=Q(fund__kind="special", aim="children")
                       & ~Q(beneficiary_kind="person")), 0),
        section="resources", seed="慰问200余名困境儿童"),
    Kpi("charity.special_funds.clinic_visits", "专项基金资助免费门诊", "Free clinic visits",
        Unit.PEOPLE,
        "统计期间内已支付、目的为免费门诊的专项基金慈善支出所资助的门诊人次。",
        "Clinic visits paid by special-fund charitable disbursements in the period whose aim "
        "is a free clinic visit (person-times).",
        PAID, Sum("beneficiary_count", filter=Q(fund__kind="special", aim="clinic")),
        section="resources", seed="资助辖区困难群众免费门诊100余人次"),
    Kpi("charity.community_funds.service_person_times", "社区基金社会工作服务",
        "Social-work services of community funds", Unit.COUNT,
        "统计期间内已支付、目的为社会工作服务的社区基金慈善支出笔数(每笔资助一次服务,计1人次)。",
        "Community-fund charitable disbursements paid in the period whose aim is a social-work "
        "service (each pays one service, counted once).",
        PAID, Count("pk", filter=Q(fund__kind="community", aim="social_work")),
        section="resources", seed="开展社会工作服务3000余人次"),
    Kpi("charity.community_funds.beneficiaries", "社区基金受益群众",
        "Residents benefiting from community funds", Unit.PEOPLE,
        "统计期间内已支付的社区基金慈善支出登记的受益人数之和。",
        "Sum of the people benefiting recorded on the community funds' charitable disbursements "
        "paid in the period.",
        PAID, Sum("beneficiary_count", filter=Q(fund__kind="community")),
        section="resources", seed="受益群众20万余人"),
    Kpi("charity.community_fund_coverage", "社区基金覆盖率", "Community fund coverage",
        Unit.RATE, "镇街和村(社区)中设有在用社区基金(阳光基金)的比例。" + NOW_ZH,
        "Share of streets and communities with an active community fund. " + NOW_EN,
        COVERAGE, _covered(), per=Count("pk"), section="resources",
        seed="率先实现镇(街)慈善公益服务中心和社区阳光基金全覆盖"),
)
