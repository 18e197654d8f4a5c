"""Local rules of charity resources: defaults from the seed text and national rules.

Every number a district may set for itself is a Rule (see wushe.regions.rules); a district
admin overrides it per region on the rules page.
"""

from __future__ import annotations

from decimal import Decimal

from wushe.regions.rules import Rule, define

COMMITTEE_MIN_MEMBERS = define(Rule(
    key="charity.committee_min_members", doc="sunshine-fund", unit="people", default=5, kind="int",
    zh="社区基金管委会最少成员数", en="Minimum members of a community fund committee",
    source="《社区基金(阳光基金)管理办法》:管理委员会由5人以上单数组成",
    setting="WUSHE_CHARITY_COMMITTEE_MIN_MEMBERS", minimum=Decimal(1), maximum=Decimal(99)))
COMMITTEE_ODD = define(Rule(
    key="charity.committee_odd_members", doc="sunshine-fund", unit="flag", default=1, kind="int",
    zh="管委会成员须为单数(1 是,0 否)", en="Committee must have an odd number of members (1 yes, 0 no)",
    source="《社区基金(阳光基金)管理办法》:管理委员会由5人以上单数组成",
    setting="WUSHE_CHARITY_COMMITTEE_ODD_MEMBERS", minimum=Decimal(0), maximum=Decimal(1)))
COMMITTEE_MIN_SUPERVISORS = define(Rule(
    key="charity.committee_min_supervisors", doc="sunshine-fund", unit="people", default=1, kind="int",
    zh="管委会最少监督员数", en="Minimum supervisors on a community fund committee",
    source="《社区基金(阳光基金)管理办法》:设监督员至少1名",
    setting="WUSHE_CHARITY_COMMITTEE_MIN_SUPERVISORS", minimum=Decimal(0), maximum=Decimal(99)))
DISCLOSURE_PERIOD_MONTHS = define(Rule(
    key="charity.disclosure_period_months", doc="charity-disclosure", unit="months", default=3, kind="int",
    zh="基金定期公开周期(月)", en="Fund disclosure period (months)",
    source="《慈善组织信息公开办法》第十七条:慈善项目至少每三个月公开一次",
    setting="WUSHE_CHARITY_DISCLOSURE_PERIOD_MONTHS", minimum=Decimal(1), maximum=Decimal(12)))
MIN_SPENDING_RATIO = define(Rule(
    key="charity.min_charitable_spending_ratio", doc="charity-spending", unit="rate", default=Decimal("0.70"), kind="decimal",
    zh="年度公益支出不低于上年收入的比例", en="Charitable spending as a share of last year's income (minimum)",
    source="《慈善法》第六十一条;《关于慈善组织开展慈善活动年度支出和管理费用的规定》第七条:不低于上年总收入的70%",
    setting="WUSHE_CHARITY_MIN_SPENDING_RATIO", minimum=Decimal(0), maximum=Decimal(1)))
MAX_MANAGEMENT_RATIO = define(Rule(
    key="charity.max_management_cost_ratio", doc="charity-spending", unit="rate", default=Decimal("0.10"), kind="decimal",
    zh="管理费用占当年总支出的上限", en="Management costs as a share of the year's total spending (maximum)",
    source="《关于慈善组织开展慈善活动年度支出和管理费用的规定》第八条:管理费用不得高于当年总支出的10%",
    setting="WUSHE_CHARITY_MAX_MANAGEMENT_RATIO", minimum=Decimal(0), maximum=Decimal(1)))
SECOND_APPROVAL_ABOVE = define(Rule(
    key="charity.second_approval_above", doc="sunshine-fund", unit="yuan", default=Decimal("20000"), kind="decimal",
    zh="新建基金的双人审批金额起点(元)", en="Default amount above which a second approver is needed (yuan)",
    source="基金管委会议事规则:大额支出须两名管理人审批",
    setting="WUSHE_CHARITY_SECOND_APPROVAL_ABOVE", minimum=Decimal(0),
    maximum=Decimal("999999999999")))
