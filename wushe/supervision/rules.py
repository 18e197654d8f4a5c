"""Local rules of the supervision app (see wushe/regions/rules.py): the three cadences."""

from __future__ import annotations

from decimal import Decimal

from wushe.regions import rules
from wushe.regions.rules import Rule

SEED = "种子文本(九龙坡区):采取月调度、季督察、半年走访调研等方式开展监督检查"

MONTHLY_MONTHS = rules.define(Rule(
    key="supervision.monthly_months", doc="five-society-plan", unit="months", default=1, kind="int",
    zh="月调度间隔(月)", en="Monthly scheduling: every N months",
    source=SEED, setting="WUSHE_SUPERVISION_MONTHLY_MONTHS",
    minimum=Decimal(1), maximum=Decimal(12)))
QUARTERLY_MONTHS = rules.define(Rule(
    key="supervision.quarterly_months", doc="five-society-plan", unit="months", default=3, kind="int",
    zh="季督察间隔(月)", en="Quarterly inspection: every N months",
    source=SEED, setting="WUSHE_SUPERVISION_QUARTERLY_MONTHS",
    minimum=Decimal(1), maximum=Decimal(12)))
HALFYEAR_MONTHS = rules.define(Rule(
    key="supervision.halfyear_months", doc="five-society-plan", unit="months", default=6, kind="int",
    zh="半年走访间隔(月)", en="Half-year visit: every N months",
    source=SEED, setting="WUSHE_SUPERVISION_HALFYEAR_MONTHS",
    minimum=Decimal(1), maximum=Decimal(24)))

# Kind value → the rule holding its cadence.
CADENCE_RULES = {
    "monthly_scheduling": MONTHLY_MONTHS.key,
    "quarterly_inspection": QUARTERLY_MONTHS.key,
    "halfyear_visit": HALFYEAR_MONTHS.key,
}
