"""The career ladder: posts, overlapping grade ranges, refusals, suggestions, local rules."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.core.errors import NotFound, ValidationFailed
from wushe.regions.services import rule_set
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import CommunityWorker
from wushe.workforce.services import community_worker_create, community_worker_regrade
from wushe.workforce.tests.conftest import community_worker_values


def test_default_ladder_is_three_posts_and_21_grades(db):
    ladder = ladder_for()
    assert [p.name for p in ladder.posts] == ["正职", "副职", "专职社区工作者"]
    assert [(p.lowest, p.highest) for p in ladder.posts] == [(9, 21), (5, 17), (1, 13)]
    assert ladder.grades == 21


@pytest.mark.parametrize("post,grade,ok", [
    (1, 9, True), (1, 21, True), (1, 8, False), (1, 22, False),
    (2, 5, True), (2, 17, True), (2, 4, False), (2, 18, False),
    (3, 1, True), (3, 13, True), (3, 0, False), (3, 14, False)])
def test_a_grade_outside_its_post_range_is_refused(db, post, grade, ok):
    ladder = ladder_for()
    if ok:
        assert ladder.check(post, grade) == (post, grade)
    else:
        with pytest.raises(ValidationFailed) as exc:
            ladder.check(post, grade)
        assert exc.value.code == "grade_out_of_range" and exc.value.field == "grade"


def test_unknown_post_and_junk_grade(db):
    ladder = ladder_for()
    with pytest.raises(ValidationFailed):
        ladder.check(4, 3)
    with pytest.raises(ValidationFailed):
        ladder.check(3, "三")
    assert ladder.post("副职").number == 2


def test_suggested_grade_counts_degree_and_years(db):
    ladder = ladder_for()
    today = dt.date(2026, 6, 1)
    hired = dt.date(2017, 6, 2)  # 8 full years: two steps of three years
    assert ladder.suggested_grade(post_number=3, education="bachelor", hired_on=hired,
                                  on=today) == 1 + 1 + 2
    assert ladder.suggested_grade(post_number=3, education="secondary", hired_on=hired,
                                  on=today, appraisals=["incompetent"]) == 1 + 0 + 1
    assert ladder.suggested_grade(post_number=1, education="postgraduate",
                                  hired_on=dt.date(1980, 1, 1), on=today) == 21  # capped


def test_ladder_is_a_local_rule(ow, persons):
    admin = ow.users["admin"]
    rule_set(actor=admin, region=ow.street, key="workforce.ladder_posts", raw="书记,委员")
    rule_set(actor=admin, region=ow.street, key="workforce.ladder_ranges", raw="6,10,1,6")
    ladder = ladder_for(ow.community_a)
    assert ladder.grades == 10 and len(ladder.posts) == 2
    assert len(ladder_for(ow.community_c).posts) == 3
    with pytest.raises(ValidationFailed):
        community_worker_create(actor=admin, person=persons["a1"], community=ow.community_a,
                                **community_worker_values(post=2, grade=7))
    rule_set(actor=admin, region=ow.street, key="workforce.ladder_ranges", raw="6,10,1")
    with pytest.raises(ValidationFailed) as exc:
        ladder_for(ow.community_a)
    assert exc.value.code == "rule_misconfigured"


def test_hiring_and_regrading_check_the_range(ow, persons):
    admin = ow.users["admin"]
    with pytest.raises(ValidationFailed):
        community_worker_create(actor=admin, person=persons["a1"], community=ow.community_a,
                                **community_worker_values(post=3, grade=14))
    assert not CommunityWorker.objects.unscoped().exists()
    worker = community_worker_create(actor=admin, person=persons["a1"],
                                     community=ow.community_a,
                                     **community_worker_values(grade=None))
    assert 1 <= worker.grade <= 13
    with pytest.raises(ValidationFailed):
        community_worker_regrade(actor=admin, worker=worker, post=2, grade=3, reason="晋升")
    community_worker_regrade(actor=admin, worker=worker, post=2, grade=9, reason="竞聘副职")
    worker.refresh_from_db()
    assert (worker.post, worker.grade) == (2, 9)
    with pytest.raises(ValidationFailed):
        community_worker_create(actor=admin, person=persons["a2"], community=ow.street,
                                **community_worker_values())
    with pytest.raises(NotFound):
        community_worker_regrade(actor=ow.users["street_b"], worker=worker, post=2, grade=10,
                                 reason="x")
