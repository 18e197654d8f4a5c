"""The person list page: ids from the index, then rows by key, in a bounded number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wushe.people.selectors import PersonFilters, person_page
from wushe.people.services import person_create

NAMES = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def test_pages_follow_the_index_order_and_stay_scoped(root, staff_a, community_a, community_b):
    mine = [person_create(actor=root, region=community_a, name=f"甲{NAMES[n]}").pk for n in range(7)]
    person_create(actor=root, region=community_b, name="乙")
    seen = []
    for number in (1, 2, 3):
        page = person_page(actor=staff_a, number=number, per_page=3)
        seen += [p.pk for p in page.object_list]
    assert seen == sorted(mine)
    assert person_page(actor=staff_a, number="junk", per_page=3).number == 1
    assert person_page(actor=staff_a, number=99, per_page=3).number == 3  # the last page
    assert [p.masked_name for p in person_page(
        actor=staff_a, filters=PersonFilters(q="甲二"), per_page=3).object_list] == ["甲*"]


def test_one_page_is_four_queries(root, staff_a, community_a):
    for n in range(30):
        person_create(actor=root, region=community_a, name=f"丙{NAMES[n]}")
    staff_a = type(staff_a).objects.get(pk=staff_a.pk)  # a fresh request: grants not cached
    with CaptureQueriesContext(connection) as queries:
        page = person_page(actor=staff_a, number=2, per_page=10)
        rows = [(p.masked_name, p.masked_id_number, p.region.name) for p in page.object_list]
    assert len(rows) == 10
    assert len(queries) == 4  # grants, count, page ids, rows with their region
