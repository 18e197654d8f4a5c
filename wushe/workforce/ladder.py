"""The community workers' career ladder (三岗二十一级), configurable per region.

Posts are numbered from 1 (the highest, 正职) and each has its own grade range; ranges may
overlap, as on most ladders, and together span the grades of the ladder (21 by default).
A grade outside its post's range is refused. ``suggested_grade`` applies the entry credit for
education and one step per ``years_per_step`` years of service, less a step for each year
appraised not competent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from wushe.core.errors import ValidationFailed
from wushe.regions import rules
from wushe.workforce.models import AppraisalResult, Education

EDUCATION_ORDER = [Education.SECONDARY, Education.COLLEGE, Education.BACHELOR,
                   Education.POSTGRADUATE]


@dataclass(frozen=True)
class Post:
    number: int
    name: str
    lowest: int
    highest: int

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Ladder:
    posts: tuple[Post, ...]
    years_per_step: int
    degree_credit: tuple[int, ...]

    @property
    def grades(self) -> int:
        """How many grades the ladder spans (21 on the default ladder)."""
        return max(p.highest for p in self.posts) - min(p.lowest for p in self.posts) + 1

    def post(self, number: object) -> Post:
        for p in self.posts:
            if str(p.number) == str(number).strip() or p.name == str(number).strip():
                return p
        raise ValidationFailed("岗位不在本地岗级体系中", "The post is not on the local ladder",
                               code="post_unknown", field="post")

    def check(self, post_number: object, grade: object) -> tuple[int, int]:
        """(post, grade) as integers, or ValidationFailed when the grade is outside the post."""
        post = self.post(post_number)
        try:
            value = int(str(grade).strip())
        except (TypeError, ValueError):
            raise ValidationFailed("等级须为整数", "The grade must be a whole number",
                                   field="grade") from None
        if not post.lowest <= value <= post.highest:
            raise ValidationFailed(
                f"{post.name}的等级区间为{post.lowest}至{post.highest}级,{value}级不在其中",
                f"Grades of post {post.number} ({post.name}) run from {post.lowest} to "
                f"{post.highest}; {value} is outside",
                code="grade_out_of_range", field="grade")
        return post.number, value

    def suggested_grade(self, *, post_number: int, education: str, hired_on: dt.date,
                        appraisals: Iterable[str] = (), on: dt.date | None = None) -> int:
        post = self.post(post_number)
        day = on or dt.date.today()
        years = day.year - hired_on.year - ((day.month, day.day) < (hired_on.month, hired_on.day))
        steps = max(0, years) // self.years_per_step
        steps -= sum(1 for a in appraisals if a == AppraisalResult.INCOMPETENT)
        index = EDUCATION_ORDER.index(Education(education)) if education in Education.values else 0
        credit = self.degree_credit[index] if index < len(self.degree_credit) else 0
        return min(post.highest, max(post.lowest, post.lowest + credit + max(0, steps)))


def ladder_for(region: object = None) -> Ladder:
    """The ladder in force for a region (its path or Region), checked for consistency."""
    names = [n.strip() for n in str(rules.value("workforce.ladder_posts", region))
             .replace("，", ",").split(",") if n.strip()]
    ranges = [int(x) for x in rules.value("workforce.ladder_ranges", region)]
    if not names or len(ranges) != 2 * len(names) or any(
            lo > hi for lo, hi in zip(ranges[::2], ranges[1::2], strict=True)):
        raise ValidationFailed(
            "岗级体系配置有误:每个岗位须有最低级和最高级",
            "The career ladder is misconfigured: each post needs a lowest and a highest grade",
            code="rule_misconfigured", field="grade")
    posts = tuple(Post(i + 1, name, ranges[2 * i], ranges[2 * i + 1])
                  for i, name in enumerate(names))
    credit = tuple(int(x) for x in rules.value("workforce.ladder_degree_credit", region))
    return Ladder(posts, int(rules.value("workforce.ladder_years_per_step", region)), credit)
