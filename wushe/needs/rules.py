"""Local rules of the needs workflow: deadlines per category, reminders, escalation, duplicates.

Defaults: a consultation is answered in 2 working days, a request for help in 10, a complaint
in 15; an urgent matter the same day (the district's rules for handling needs, after the
12345 hotline practice). Each
category has its own rule so a district can shorten, say, temporary relief without touching
legal aid. Read with ``rules.value(key, region)``: a district admin may override per street
or community on the local rules page.
"""

from __future__ import annotations

from decimal import Decimal

from wushe.needs.categories import CATEGORIES, Kind
from wushe.regions.rules import Rule, define

KIND_DAYS = {Kind.CONSULTATION: 2, Kind.HELP: 10, Kind.COMPLAINT: 15}
KIND_NAMES = {Kind.CONSULTATION: ("咨询类", "consultation"), Kind.HELP: ("求助类", "help"),
              Kind.COMPLAINT: ("投诉类", "complaint")}
SOURCE = "区群众诉求办理工作规则:咨询类2个工作日、求助类10个工作日、投诉类15个工作日办结,紧急诉求当日办结"
DOC = "needs-rules"
MAX_DAYS = Decimal(60)


def sla_key(category: str) -> str:
    return f"needs.sla_days_{category}"


for _c in CATEGORIES.values():
    _zh, _en = KIND_NAMES[_c.kind]  # type: ignore[index]
    define(Rule(
        key=sla_key(_c.code), doc=DOC, unit="working_days", default=KIND_DAYS[_c.kind], kind="int",  # type: ignore[index]
        zh=f"「{_c.zh}」诉求办理时限(工作日,{_zh}默认{KIND_DAYS[_c.kind]}天)",  # type: ignore[index]
        en=f"Working days to resolve a '{_c.en}' need ({_en}, default {KIND_DAYS[_c.kind]})",  # type: ignore[index]
        source=SOURCE, setting=f"WUSHE_NEEDS_SLA_{_c.code.upper()}", minimum=Decimal(0),
        maximum=MAX_DAYS))

SLA_URGENT = define(Rule(
    key="needs.sla_days_urgent", doc="needs-rules", unit="working_days", default=0, kind="int",
    zh="紧急诉求办理时限(工作日,0 为当日办结)", en="Working days for an urgent need (0 = the same day)",
    source=SOURCE, setting="WUSHE_NEEDS_SLA_URGENT", minimum=Decimal(0), maximum=Decimal(5)))

REMIND_BEFORE = define(Rule(
    key="needs.remind_before_days", doc="needs-rules", unit="working_days", default=1, kind="int",
    zh="到期前几个工作日提醒办理", en="Remind this many working days before a need falls due",
    source="区群众诉求办理工作规则:到期提醒", setting="WUSHE_NEEDS_REMIND_BEFORE_DAYS",
    minimum=Decimal(0), maximum=Decimal(10)))

ESCALATE_DISTRICT_AFTER = define(Rule(
    key="needs.escalate_district_after_days", doc="needs-rules", unit="working_days", default=3, kind="int",
    zh="超期几个工作日后由街道督办升至区级督办",
    en="Working days overdue after which escalation goes from the street to the district",
    source="区群众诉求办理工作规则:分级督办", setting="WUSHE_NEEDS_ESCALATE_DISTRICT_AFTER_DAYS",
    minimum=Decimal(1), maximum=Decimal(30)))

EXTENSION_MAX_DAYS = define(Rule(
    key="needs.extension_max_days", doc="needs-rules", unit="working_days", default=5, kind="int",
    zh="一次延期最多延长的工作日", en="Most working days one extension may add",
    source="区群众诉求办理工作规则:延期办理", setting="WUSHE_NEEDS_EXTENSION_MAX_DAYS",
    minimum=Decimal(1), maximum=Decimal(30)))

EXTENSION_MAX_COUNT = define(Rule(
    key="needs.extension_max_count", doc="needs-rules", unit="times", default=1, kind="int",
    zh="每件诉求最多可延期次数", en="Most extensions one need may have",
    source="区群众诉求办理工作规则:延期办理", setting="WUSHE_NEEDS_EXTENSION_MAX_COUNT",
    minimum=Decimal(0), maximum=Decimal(5)))

DUPLICATE_DAYS = define(Rule(
    key="needs.duplicate_window_days", doc="needs-rules", unit="days", default=30, kind="int",
    zh="同一居民同类诉求在多少天内视为可能重复",
    en="Days within which the same resident's need of the same category may be a duplicate",
    source="区群众诉求办理工作规则:窗口受理查重", setting="WUSHE_NEEDS_DUPLICATE_WINDOW_DAYS",
    minimum=Decimal(1), maximum=Decimal(365)))

POOR_RATING = define(Rule(
    key="needs.poor_rating_max", doc="needs-rules", unit="points", default=2, kind="int",
    zh="评价不高于此分(1–5)即重新办理复核", en="A rating at or below this (1–5) reopens the need for review",
    source="区群众诉求办理工作规则:评价为不满意(1–2分)的重新办理复核", setting="WUSHE_NEEDS_POOR_RATING_MAX",
    minimum=Decimal(1), maximum=Decimal(4)))
