"""core.paging.Mapped: what django-ninja's @paginate gets in place of a converted list."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_mapped_converts_only_the_page_it_is_sliced_to(community_a: Any) -> None:
    from wushe.core.paging import Mapped
    from wushe.people.models import Person

    Person.objects.bulk_create([Person(name="张三", region=community_a,
                                       region_path=community_a.path) for _ in range(30)])
    seen: list[int] = []
    mapped = Mapped(Person.objects.unscoped().order_by("id"),
                    lambda p: seen.append(p.pk) or p.pk)
    assert len(mapped) == 30 and seen == []  # counted in SQL, nothing converted
    page = mapped[10:15]
    assert len(page) == 5 and seen == page
