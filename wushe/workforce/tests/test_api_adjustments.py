"""GET /api/v1/workforce/adjustments: the adjustments in scope, filtered and paginated, the
worker's name masked; an adjustment of another street is 404 like a missing one."""

from __future__ import annotations

import pytest

from wushe.orgs.tests.conftest import OrgWorld
from wushe.workforce import services
from wushe.workforce.models import Adjustment
from wushe.workforce.tests.conftest import community_worker_values

pytestmark = pytest.mark.django_db


def test_adjustments_api_is_scoped(ow: OrgWorld, persons: dict) -> None:
    worker = services.community_worker_create(actor=ow.users["admin"], person=persons["a1"],
                                              community=ow.community_a,
                                              **community_worker_values())
    appraisal = services.appraisal_record(actor=ow.users["street"], worker=worker, year=2024,
                                          result="incompetent")
    adjustment = Adjustment.objects.unscoped().get(appraisal=appraisal)
    street = ow.client("street")
    page = street.get("/api/v1/workforce/adjustments").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["id"], item["year"], item["state"], item["engagement"]) == (
        adjustment.pk, 2024, "open", "hired")
    assert item["worker_name"] != "陈晓" and item["worker_name"].startswith("陈")
    assert street.get("/api/v1/workforce/adjustments", {"year": 2023}).json()["count"] == 0
    assert street.get(f"/api/v1/workforce/adjustments/{adjustment.pk}").status_code == 200
    other = ow.client("street_b")
    assert other.get("/api/v1/workforce/adjustments").json()["items"] == []
    refused = other.get(f"/api/v1/workforce/adjustments/{adjustment.pk}")
    assert refused.status_code == 404
    assert refused.json() == other.get("/api/v1/workforce/adjustments/999999").json()
    assert street.get("/api/v1/workforce/adjustments", {"year": "x"}).status_code == 422
