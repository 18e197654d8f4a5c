"""Local rules of the workforce app (see wushe/regions/rules.py)."""

from __future__ import annotations

from decimal import Decimal

from wushe.regions import rules
from wushe.regions.rules import Rule

SEED = "种子文本(九龙坡区):每万名常住人口配备不少于18名、每村(社区)不少于2名社区工作者"
LADDER = "种子文本:“三岗二十一级”社区工作者职业体系;岗级区间与晋级年限由各区县自定"

STAFFING_RATIO = rules.define(Rule(
    key="workforce.staffing_ratio", doc="five-society-plan", unit="people", default=Decimal("18"), kind="decimal",
    zh="每万名常住人口配备社区工作者数", en="Community workers per 10,000 residents",
    source=SEED, setting="WUSHE_WORKFORCE_STAFFING_RATIO",
    minimum=Decimal(0), maximum=Decimal(1000)))
STAFFING_FLOOR = rules.define(Rule(
    key="workforce.staffing_floor", doc="five-society-plan", unit="people", default=2, kind="int",
    zh="每村(社区)最少社区工作者数", en="Minimum community workers per community",
    source=SEED, setting="WUSHE_WORKFORCE_STAFFING_FLOOR",
    minimum=Decimal(0), maximum=Decimal(100)))
LADDER_POSTS = rules.define(Rule(
    key="workforce.ladder_posts", doc="community-worker-ladder", default="正职,副职,专职社区工作者", kind="text",
    zh="岗位(由高到低,逗号分隔)", en="Posts, highest first (comma-separated)",
    source=LADDER, setting="WUSHE_WORKFORCE_LADDER_POSTS"))
LADDER_RANGES = rules.define(Rule(
    key="workforce.ladder_ranges", doc="community-worker-ladder", default=[9, 21, 5, 17, 1, 13], kind="int_list",
    zh="各岗位等级区间(每岗最低级、最高级依次排列)",
    en="Grade range of each post (lowest, highest; post by post)",
    source=LADDER, setting="WUSHE_WORKFORCE_LADDER_RANGES",
    minimum=Decimal(1), maximum=Decimal(99)))
LADDER_YEARS_PER_STEP = rules.define(Rule(
    key="workforce.ladder_years_per_step", doc="community-worker-ladder", unit="years", default=3, kind="int",
    zh="晋升一级所需任职年限", en="Years of service per grade step",
    source=LADDER, setting="WUSHE_WORKFORCE_LADDER_YEARS_PER_STEP",
    minimum=Decimal(1), maximum=Decimal(20)))
LADDER_DEGREE_CREDIT = rules.define(Rule(
    key="workforce.ladder_degree_credit", doc="community-worker-ladder", default=[0, 0, 1, 2], kind="int_list",
    zh="学历起点加级(高中及以下、大专、本科、研究生)",
    en="Entry grades credited for education (secondary, college, bachelor, postgraduate)",
    source=LADDER, setting="WUSHE_WORKFORCE_LADDER_DEGREE_CREDIT",
    minimum=Decimal(0), maximum=Decimal(10)))
TRAINING_HOURS_MIN = rules.define(Rule(
    key="workforce.training_hours_min", doc="sw-training", unit="hours", default=Decimal("72"), kind="decimal",
    zh="社会工作者每年继续教育最少学时", en="Minimum yearly training hours of a social worker",
    source="民政部《社会工作者继续教育办法》:每年累计不少于72小时",
    setting="WUSHE_WORKFORCE_TRAINING_HOURS_MIN", minimum=Decimal(0), maximum=Decimal(1000)))

ADJUST = "种子文本:出台社区干部监督管理办法,及时调整社区不合格不胜任的基层干部"
ELECTED = ("《城市居民委员会组织法》第八条(居民会议撤换和补选居民委员会成员);"
           "《村民委员会组织法》第十六条(罢免:登记选民过半数投票、投票者过半数通过)")
ADJUSTMENT_KINDS_HIRED = rules.define(Rule(
    key="workforce.adjustment_kinds_hired", doc="cadre-supervision", default="transfer,demotion,dismissal", kind="text",
    zh="聘用社区工作者不称职的调整方式", en="Adjustments of a hired community worker not competent",
    choices=(("transfer", "调岗", "transfer"), ("demotion", "降级", "demotion"),
             ("dismissal", "解聘", "dismissal")),
    source=ADJUST, setting="WUSHE_WORKFORCE_ADJUSTMENT_KINDS_HIRED"))
ADJUSTMENT_KINDS_ELECTED = rules.define(Rule(
    key="workforce.adjustment_kinds_elected", doc="residents-committee-law", default="resignation,recall", kind="text",
    zh="选举产生的两委成员的依法程序", en="Lawful procedures for an elected committee member",
    choices=(("resignation", "辞职", "resignation"), ("recall", "罢免", "recall")),
    source=ELECTED, setting="WUSHE_WORKFORCE_ADJUSTMENT_KINDS_ELECTED"))
