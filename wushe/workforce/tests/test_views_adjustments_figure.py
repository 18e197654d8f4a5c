"""The figure on the adjustments list: adjustments per year and kind (the undecided apart),
over the actor's scope only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wushe.orgs.tests.conftest import OrgWorld
from wushe.people.models import Person
from wushe.workforce import services
from wushe.workforce.models import Adjustment
from wushe.workforce.selectors_adjustments import adjustment_year_kind_counts, kind_columns
from wushe.workforce.tests.conftest import community_worker_values

pytestmark = pytest.mark.django_db


def _adjustment(ow: OrgWorld, person: Person, year: int) -> Adjustment:
    worker = services.community_worker_create(actor=ow.users["admin"], person=person,
                                              community=ow.community_a,
                                              **community_worker_values(grade=6))
    appraisal = services.appraisal_record(actor=ow.users["admin"], worker=worker, year=year,
                                          result="incompetent")
    return Adjustment.objects.unscoped().get(appraisal=appraisal)


def test_adjustments_per_year_and_kind(ow: OrgWorld, persons: dict) -> None:
    demoted = _adjustment(ow, persons["a1"], 2024)
    services.adjustment_propose(actor=ow.users["staff_a"], adjustment=demoted, kind="demotion",
                                steps=1, reason="不称职")
    _adjustment(ow, persons["a2"], 2024)
    _adjustment(ow, persons["a3"], 2023)
    keys = [k for k, _label in kind_columns()]
    rows = adjustment_year_kind_counts(actor=ow.users["street"])
    assert [(r.year, r.total) for r in rows] == [(2024, 2), (2023, 1)]
    assert rows[0].by_kind[keys.index("demotion")] == 1
    assert rows[0].by_kind[keys.index("")] == 1  # not decided yet
    assert rows[1].by_kind[keys.index("")] == 1
    assert adjustment_year_kind_counts(actor=ow.users["street_b"]) == []
    html = ow.client("staff_a").get(reverse("workforce:adjustments")).content.decode()
    assert 'data-testid="adjustments-per-year-kind"' in html
