"""Cadre adjustment pages: list with filters and the figure per year, detail, the community's
proposal and the street's approval; out of scope is 404; elected members refused the street."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wushe.orgs.tests.conftest import OrgWorld
from wushe.workforce import services
from wushe.workforce.models import Adjustment, CommunityWorker, Engagement
from wushe.workforce.tests.conftest import community_worker_values

pytestmark = pytest.mark.django_db


def _adjustment(ow: OrgWorld, person, *, elected: bool = False, year: int = 2024) -> Adjustment:
    worker = services.community_worker_create(actor=ow.users["admin"], person=person,
                                              community=ow.community_a,
                                              **community_worker_values(grade=6))
    if elected:
        CommunityWorker.objects.unscoped().filter(pk=worker.pk).update(
            engagement=Engagement.ELECTED)
        worker.refresh_from_db()
    appraisal = services.appraisal_record(actor=ow.users["admin"], worker=worker, year=year,
                                          result="incompetent")
    return Adjustment.objects.unscoped().get(appraisal=appraisal)


def test_list_filters_and_figure(ow: OrgWorld, persons: dict) -> None:
    _adjustment(ow, persons["a1"], year=2023)
    _adjustment(ow, persons["a2"], year=2024)
    client = ow.client("staff_a")
    page = client.get(reverse("workforce:adjustments"))
    assert page.status_code == 200
    assert len(page.context["page"]) == 2
    assert page.context["per_year"] == [(2024, 1), (2023, 1)]
    filtered = client.get(reverse("workforce:adjustments"), {"year": "2023"})
    assert [a.year for a in filtered.context["page"]] == [2023]
    bad = client.get(reverse("workforce:adjustments"), {"state": "nonsense"})
    assert bad.status_code == 400
    other = ow.client("street_b").get(reverse("workforce:adjustments"))
    assert list(other.context["page"]) == []


def test_detail_outside_scope_is_404(ow: OrgWorld, persons: dict) -> None:
    adjustment = _adjustment(ow, persons["a1"])
    url = reverse("workforce:adjustment", kwargs={"adjustment_id": adjustment.pk})
    assert ow.client("staff_a").get(url).status_code == 200
    assert ow.client("street_b").get(url).status_code == 404
    propose = reverse("workforce:adjustment_propose", kwargs={"adjustment_id": adjustment.pk})
    assert ow.client("street_b").post(propose, {"kind": "dismissal",
                                                "reason": "x"}).status_code == 404


def test_propose_then_approve_through_the_pages(ow: OrgWorld, persons: dict) -> None:
    adjustment = _adjustment(ow, persons["a1"])
    pk = {"adjustment_id": adjustment.pk}
    response = ow.client("staff_a").post(reverse("workforce:adjustment_propose", kwargs=pk),
                                         {"kind": "demotion", "steps": "1",
                                          "reason": "连续不称职"})
    assert response.status_code == 302, response.context["form"].errors
    # the community cannot approve: it does not manage workers
    assert ow.client("staff_a").get(
        reverse("workforce:adjustment_approve", kwargs=pk)).status_code == 403
    response = ow.client("street").post(reverse("workforce:adjustment_approve", kwargs=pk),
                                        {"note": ""})
    assert response.status_code == 302, response.context["form"].errors
    adjustment.refresh_from_db()
    adjustment.worker.refresh_from_db()
    assert (adjustment.state, adjustment.worker.grade) == ("approved", 5)


def test_elected_member_approval_refused_with_a_message(ow: OrgWorld, persons: dict) -> None:
    adjustment = _adjustment(ow, persons["a1"], elected=True)
    pk = {"adjustment_id": adjustment.pk}
    response = ow.client("street").post(reverse("workforce:adjustment_approve", kwargs=pk),
                                        {"note": ""})
    assert response.status_code == 409
    assert "罢免" in response.content.decode() or "recall" in response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.state == "open"
    detail = ow.client("staff_a").get(reverse("workforce:adjustment", kwargs=pk))
    assert detail.context["can_record"] and not detail.context["can_propose"]
