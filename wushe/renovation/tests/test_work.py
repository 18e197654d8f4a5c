"""The work item: a centre not accepted after its programme's last year waits for the district
(an account managing sites from a district grant), not for a street; accepted ones close."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.inbox.selectors import work_counts
from wushe.renovation import services
from wushe.renovation.tests.conftest import RenovationWorld
from wushe.renovation.tests.test_services import pdf
from wushe.renovation.work import KIND, renovations_overdue

pytestmark = pytest.mark.django_db


def test_overdue_renovations_reach_the_district_only(rw: RenovationWorld) -> None:
    admin = rw.users["admin"]  # the programme ran 2021–2023
    assert list(renovations_overdue(admin, today=dt.date(2023, 12, 31))) == []
    assert set(renovations_overdue(admin, today=dt.date(2024, 1, 2))) == {rw.reno_a, rw.reno_c}
    assert list(renovations_overdue(rw.users["street"], today=dt.date(2024, 1, 2))) == []
    assert list(renovations_overdue(rw.users["auditor"], today=dt.date(2024, 1, 2))) == []
    street = rw.users["street"]
    services.renovation_advance(actor=street, renovation=rw.reno_a, to="under_way",
                                on="2021-09-01")
    services.renovation_advance(actor=street, renovation=rw.reno_a, to="accepted",
                                on="2024-01-01", document=pdf())
    assert list(renovations_overdue(admin, today=dt.date(2024, 1, 2))) == [rw.reno_c]


def test_the_inbox_counts_the_item_for_the_district(rw: RenovationWorld) -> None:
    assert work_counts(actor=rw.users["admin"])[KIND] == 2  # 2021–2023 is over
    assert KIND not in work_counts(actor=rw.users["street"])
