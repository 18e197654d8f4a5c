"""Contract terms and payment tranches as local rules (projects.term_months,
projects.stable_term_months, projects.tranche_percents, projects.tranche_gates)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from wushe.core.errors import ValidationFailed
from wushe.regions import rules

GATE_WORDS = {"signing": "", "none": "", "": "", "midterm": "midterm", "final": "final"}
CENT = Decimal("0.01")


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def max_end(start: dt.date, months: int) -> dt.date:
    """The last day of a term of ``months`` months from ``start`` (1 Jan → 31 Dec for 12)."""
    return add_months(start, months) - dt.timedelta(days=1)


def check_term(start: dt.date, end: dt.date, *, stable: bool, region_path: str) -> None:
    if end < start:
        raise ValidationFailed("合同结束日期早于开始日期", "The contract ends before it starts",
                               field="end")
    key = "projects.stable_term_months" if stable else "projects.term_months"
    months = int(rules.value(key, region_path))
    if end > max_end(start, months):
        if stable:
            raise ValidationFailed(f"稳定项目合同期限不能超过{months}个月",
                                   f"A stable project's contract may last at most {months} months",
                                   field="end")
        raise ValidationFailed(f"合同期限不能超过{months}个月(稳定项目除外)",
                               f"A contract may last at most {months} months "
                               "(unless the project is marked stable)", field="end")


@dataclass(frozen=True)
class TrancheRule:
    percent: Decimal
    gate: str  # "" (on signing), "midterm", "final"


def tranche_rules(region_path: str) -> list[TrancheRule]:
    """The tranches that apply to a region, validated: percents sum to 100, one gate each."""
    percents = [Decimal(str(p)) for p in rules.value("projects.tranche_percents", region_path)]
    gates_raw = [g.strip().lower() for g in
                 str(rules.value("projects.tranche_gates", region_path)).replace("，", ",")
                 .split(",")]
    if not percents or sum(percents) != Decimal(100) or any(p <= 0 for p in percents):
        raise ValidationFailed("合同分期支付比例之和必须为100%,且每期大于0,请联系区管理员调整规则",
                               "Payment tranches must be positive and sum to 100%; ask the "
                               "district administrator to fix the rule", code="bad_rule")
    if len(gates_raw) != len(percents) or any(g not in GATE_WORDS for g in gates_raw):
        raise ValidationFailed("各期支付条件与分期比例不对应,请联系区管理员调整规则",
                               "Each tranche needs one gate (signing, midterm or final); ask the "
                               "district administrator to fix the rule", code="bad_rule")
    return [TrancheRule(p, GATE_WORDS[g]) for p, g in zip(percents, gates_raw, strict=True)]


def split(amount: Decimal, tranches: list[TrancheRule]) -> list[Decimal]:
    """Amounts per tranche to the cent; the last takes the rounding remainder."""
    parts = [(amount * t.percent / 100).quantize(CENT) for t in tranches[:-1]]
    return [*parts, amount - sum(parts, Decimal(0))]
