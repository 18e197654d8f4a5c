"""A project's timeline names who moved it by display name, never by username."""

from __future__ import annotations

import json

from wushe.accounts.labels import user_label
from wushe.accounts.models import User


def test_event_actor_is_the_display_name_not_the_username(pw):
    street = pw.client("street")
    made = street.post("/api/v1/projects/", json.dumps({
        "region_code": pw.street.code, "name": "社区议事能力提升项目",
        "domain": "community_governance", "year": 2026, "budget": "80000"}),
        content_type="application/json")
    assert made.status_code == 201, made.content
    author = pw.users["street"]
    detail = street.get(f"/api/v1/projects/{made.json()['id']}")
    assert [e["actor"] for e in detail.json()["events"]] == [user_label(author)]
    assert author.username not in detail.content.decode()
    User.objects.filter(pk=author.pk).update(display_name="张科长")
    detail = street.get(f"/api/v1/projects/{made.json()['id']}")
    assert [e["actor"] for e in detail.json()["events"]] == ["张科长"]
