from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wushe.conftest import make_id_number
from wushe.people.models import Person
from wushe.people.services import person_create


@pytest.fixture
def elder(staff_a: Any, community_a: Any) -> Person:
    return person_create(actor=staff_a, region=community_a, name="陈大海",
                         id_number=make_id_number(birth="19400101", seq="123"),
                         phone="13800138000")


@pytest.fixture
def child(staff_a: Any, community_a: Any) -> Person:
    born = dt.date.today().replace(year=dt.date.today().year - 8, day=1)
    return person_create(actor=staff_a, region=community_a, name="陈小雨",
                         id_number=make_id_number(birth=born.strftime("%Y%m%d"), seq="456"))


@pytest.fixture
def other(staff_b: Any, community_b: Any) -> Person:
    return person_create(actor=staff_b, region=community_b, name="刘西郊",
                         id_number=make_id_number(birth="19500101", seq="789"))
