"""Rating rules (评估等级): grade from score, validity, and who may be rated at all.

Pure functions of an organisation, a day and the local rules of its region, so the page can
show why an organisation is not eligible before anyone tries to award it a grade.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from wushe.core.errors import ValidationFailed
from wushe.orgs.models import OrgStatus, SocialOrganization, StatusChange
from wushe.regions import rules

GRADES = (1, 2, 3, 4, 5)
MAX_SCORE = Decimal(1000)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year
    (a full year has then certainly passed)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def validity_end(awarded_on: dt.date, years: int) -> dt.date:
    """Last day a rating awarded on ``awarded_on`` is valid: ``years`` years, inclusive."""
    return add_years(awarded_on, years) - dt.timedelta(days=1)


def cutoffs_for(region_path: str) -> list[int]:
    cutoffs = [int(c) for c in rules.value("orgs.rating_cutoffs", region_path)]
    if len(cutoffs) != len(GRADES) or cutoffs != sorted(cutoffs):
        raise ValidationFailed(
            "评估等级分数线配置有误:须为5个递增的分数",
            "The rating cut-offs are misconfigured: five increasing scores are needed",
            code="rule_misconfigured", field="score")
    return cutoffs


def grade_for_score(score: Decimal, cutoffs: list[int]) -> int:
    if score < 0 or score > MAX_SCORE:
        raise ValidationFailed("评估得分须在0至1000之间", "The score must lie between 0 and 1,000",
                               field="score")
    grade = 0
    for g, cut in zip(GRADES, cutoffs, strict=True):
        if score >= cut:
            grade = g
    if grade == 0:
        raise ValidationFailed(
            f"得分低于1A等级分数线({cutoffs[0]}分),不授予等级",
            f"The score is below the 1A cut-off ({cutoffs[0]}); no grade is awarded",
            code="below_cutoff", field="score")
    return grade


@dataclass
class Eligibility:
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)
    eligible_from: dt.date | None = None

    @property
    def ok(self) -> bool:
        return not self.reasons

    def refuse(self) -> None:
        if self.reasons:
            raise ValidationFailed("；".join(z for z, _e in self.reasons),
                                   "; ".join(e for _z, e in self.reasons),
                                   code="not_eligible", field="org")


def eligibility(org: SocialOrganization, *, on: dt.date,
                suspensions: Iterable[dt.date]) -> Eligibility:
    """May ``org`` be rated on ``on``? ``suspensions``: days it was suspended (its history)."""
    result = Eligibility()
    if org.status != OrgStatus.REGISTERED or not org.credit_code:
        result.reasons.append(("只有已登记(持统一社会信用代码)且正常活动的社会组织可以参加评估",
                               "Only registered organisations (with a credit code) in good "
                               "standing may be rated"))
    min_years = int(rules.value("orgs.rating_min_years", org.region_path))
    if org.registered_on is None:
        if org.status == OrgStatus.REGISTERED:
            result.reasons.append(("缺少登记日期", "The registration date is missing"))
    else:
        result.eligible_from = add_years(org.registered_on, min_years)
        if result.eligible_from > on:
            result.reasons.append((
                f"登记未满{min_years}个整年(满{min_years}年之日为{result.eligible_from:%Y-%m-%d})",
                f"Registered for less than {min_years} full years "
                f"(eligible from {result.eligible_from:%Y-%m-%d})"))
    window = int(rules.value("orgs.rating_exclusion_years", org.region_path))
    if window:
        since = add_years(on, -window)
        recent = [d for d in suspensions if since < d <= on]
        if recent:
            last = max(recent)
            result.reasons.append((
                f"{last:%Y-%m-%d}曾被停止活动,{window}年内不予评估",
                f"Suspended on {last:%Y-%m-%d}: no rating within {window} year(s)"))
    return result


def _suspension_days(org: SocialOrganization) -> list[dt.date]:
    return list(StatusChange.objects.unscoped(reason="children of a row read in scope").filter(org=org, to_status=OrgStatus.SUSPENDED)
                .values_list("on", flat=True))


def check_eligibility(org: SocialOrganization, on: dt.date) -> Eligibility:
    return eligibility(org, on=on, suspensions=_suspension_days(org))
