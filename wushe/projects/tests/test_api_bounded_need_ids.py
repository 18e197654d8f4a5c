"""A huge id in ``need_ids`` is a 422 naming the field, not a 500 from the database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from wushe.projects.models import ProjectNeed

pytestmark = pytest.mark.django_db


def test_huge_need_id_is_refused_with_the_field_named_and_nothing_attached(pw: Any) -> None:
    project = pw.design()
    client = pw.client("street")
    client.raise_request_exception = False
    r = client.post(f"/api/v1/projects/{project.pk}/needs",
                    json.dumps({"need_ids": [2**64]}), content_type="application/json")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid_request"
    [problem] = body["details"]
    assert problem["field"] == "body.need_ids.0"
    assert problem["type"] == "less_than_equal"
    assert problem["zh"] == f"应小于或等于 {2**63 - 1}"
    assert problem["en"].startswith("Input should be less than or equal to")
    assert not ProjectNeed.objects.unscoped().filter(project=project).exists()
