"""Local rules of the projects app (see wushe/regions/rules.py): defaults, the documents they
come from and the Django settings that replace them district-wide."""

from __future__ import annotations

from decimal import Decimal

from wushe.regions import rules
from wushe.regions.rules import Rule

PURCHASE_RULES = "财政部《政府购买服务管理办法》(财政部令第102号)及区政府购买社会工作服务实施办法"

MIN_RATING = rules.define(Rule(
    key="projects.min_rating", doc="purchase-measures", unit="grade", default=0, kind="int",
    zh="承接方最低评估等级(A,0为不限)", en="Lowest rating of a provider (A; 0 = any)",
    source=PURCHASE_RULES + ":承接主体应具备的条件由购买主体确定",
    setting="WUSHE_PROJECTS_MIN_RATING", minimum=Decimal(0), maximum=Decimal(5)))
REQUIRED_CATEGORIES = rules.define(Rule(
    key="projects.required_categories", doc="purchase-measures", default="", kind="text",
    zh="承接方须属类别(逗号分隔,空为不限)",
    en="Provider categories required (comma separated; empty = any)",
    source=PURCHASE_RULES, setting="WUSHE_PROJECTS_REQUIRED_CATEGORIES"))
TERM_MONTHS = rules.define(Rule(
    key="projects.term_months", doc="mof-102", unit="months", default=12, kind="int",
    zh="合同期限上限(月)", en="Longest contract term (months)",
    source=PURCHASE_RULES + "第二十四条:合同履行期限一般不超过1年",
    setting="WUSHE_PROJECTS_TERM_MONTHS", minimum=Decimal(1), maximum=Decimal(60)))
STABLE_TERM_MONTHS = rules.define(Rule(
    key="projects.stable_term_months", doc="mof-102", unit="months", default=36, kind="int",
    zh="稳定项目合同期限上限(月)", en="Longest contract term of a stable project (months)",
    source=PURCHASE_RULES + "第二十四条:购买内容相对固定、连续性强的项目可签订履行期限不超过3年的合同",
    setting="WUSHE_PROJECTS_STABLE_TERM_MONTHS", minimum=Decimal(1), maximum=Decimal(60)))
TRANCHE_PERCENTS = rules.define(Rule(
    key="projects.tranche_percents", doc="project-funds", unit="percent", default=[30, 40, 30], kind="decimal_list",
    zh="合同分期支付比例(%,合计100)", en="Payment tranches (%, summing to 100)",
    source="区政府购买社会工作服务项目资金管理办法:签约、中期评估、末期评估后分期拨付",
    setting="WUSHE_PROJECTS_TRANCHE_PERCENTS", minimum=Decimal(0), maximum=Decimal(100)))
TRANCHE_GATES = rules.define(Rule(
    key="projects.tranche_gates", doc="project-funds", default="signing,midterm,final", kind="text",
    zh="各期支付前须通过的评估", en="Evaluation each tranche waits for",
    choices=(("signing", "签约", "signing"), ("midterm", "中期评估", "mid-term evaluation"),
             ("final", "末期评估", "final evaluation")),
    source="区政府购买社会工作服务项目资金管理办法", setting="WUSHE_PROJECTS_TRANCHE_GATES"))
