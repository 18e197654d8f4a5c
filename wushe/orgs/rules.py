"""Local rules of the organisations app (see wushe/regions/rules.py): defaults, their source
documents and the Django settings that replace them district-wide."""

from __future__ import annotations

from decimal import Decimal

from wushe.regions import rules
from wushe.regions.rules import Rule

MANAGEMENT_RULES = "民政部《社会组织评估管理办法》(民政部令第39号)"

RATING_VALIDITY_YEARS = rules.define(Rule(
    key="orgs.rating_validity_years", doc="mca-39", unit="years", default=5, kind="int",
    zh="评估等级有效期(年)", en="Validity of a rating (years)",
    source=MANAGEMENT_RULES + "第二十二条:评估等级有效期为5年",
    setting="WUSHE_ORGS_RATING_VALIDITY_YEARS", minimum=Decimal(1), maximum=Decimal(10)))
RATING_MIN_YEARS = rules.define(Rule(
    key="orgs.rating_min_years", doc="mca-39", unit="years", default=2, kind="int",
    zh="参评须登记满(整年)", en="Full years registered before a rating",
    source=MANAGEMENT_RULES + "第十一条:取得登记证书满两个年度",
    setting="WUSHE_ORGS_RATING_MIN_YEARS", minimum=Decimal(0), maximum=Decimal(10)))
RATING_CUTOFFS = rules.define(Rule(
    key="orgs.rating_cutoffs", doc="mca-39", unit="points", default=[600, 700, 800, 900, 950], kind="int_list",
    zh="1A–5A 最低得分(千分制)", en="Lowest score for 1A…5A (of 1,000)",
    source="区社会组织评估标准(千分制),各地自定",
    setting="WUSHE_ORGS_RATING_CUTOFFS", minimum=Decimal(0), maximum=Decimal(1000)))
RATING_EXCLUSION_YEARS = rules.define(Rule(
    key="orgs.rating_exclusion_years", doc="mca-39", unit="years", default=1, kind="int",
    zh="停止活动后不得参评(年)", en="Years a suspension excludes a rating",
    source=MANAGEMENT_RULES + "第十二条:上年度受到行政处罚的不予评估",
    setting="WUSHE_ORGS_RATING_EXCLUSION_YEARS", minimum=Decimal(0), maximum=Decimal(10)))
RATING_NOTICE_DAYS = rules.define(Rule(
    key="orgs.rating_notice_days", doc="mca-39", unit="days", default=180, kind="int",
    zh="等级到期提前提醒(天)", en="Days of notice before a rating expires",
    source="区民政局工作安排", setting="WUSHE_ORGS_RATING_NOTICE_DAYS",
    minimum=Decimal(0), maximum=Decimal(730)))
FOLLOW_UP_DAYS = rules.define(Rule(
    key="orgs.follow_up_days", doc="incubation", unit="days", default=30, kind="int",
    zh="孵化定期跟踪周期(天)", en="Incubation follow-up cycle (days)",
    source="种子文本:问题梳理、及时解决、定期跟踪、实地督导", setting="WUSHE_ORGS_FOLLOW_UP_DAYS",
    minimum=Decimal(1), maximum=Decimal(365)))
FIELD_VISIT_DAYS = rules.define(Rule(
    key="orgs.field_visit_days", doc="incubation", unit="days", default=90, kind="int",
    zh="孵化实地督导周期(天)", en="Incubation field-visit cycle (days)",
    source="种子文本:问题梳理、及时解决、定期跟踪、实地督导", setting="WUSHE_ORGS_FIELD_VISIT_DAYS",
    minimum=Decimal(1), maximum=Decimal(365)))
GRADUATION_MIN_SCORE = rules.define(Rule(
    key="orgs.graduation_min_score", doc="incubation", unit="points", default=Decimal("60"), kind="decimal",
    zh="出壳所需能力评估平均分", en="Average capacity score needed to graduate",
    source="孵化基地出壳评估办法,各地自定", setting="WUSHE_ORGS_GRADUATION_MIN_SCORE",
    minimum=Decimal(0), maximum=Decimal(100)))
CAPACITY_WEAK_SCORE = rules.define(Rule(
    key="orgs.capacity_weak_score", doc="incubation", unit="points", default=Decimal("60"), kind="decimal",
    zh="能力薄弱线(分)", en="Score below which an area is weak",
    source="能力建设工作方案,各地自定", setting="WUSHE_ORGS_CAPACITY_WEAK_SCORE",
    minimum=Decimal(0), maximum=Decimal(100)))
