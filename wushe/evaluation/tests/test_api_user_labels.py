"""A committee seat held by an account is named by its display name, never its username."""

from __future__ import annotations

import json

from wushe.accounts.labels import user_label


def test_member_seat_is_named_by_display_name_not_username(ew) -> None:
    admin = ew.client("admin")
    made = admin.post("/api/v1/evaluation/", json.dumps(
        {"project_id": ew.projects["p"].pk, "stage": "midterm"}), content_type="application/json")
    assert made.status_code == 201, made.content
    base = f"/api/v1/evaluation/{made.json()['evaluation']['id']}"
    expert = ew.users["evaluator"]
    seat = admin.post(f"{base}/members", json.dumps({"party": "expert", "user_id": expert.pk}),
                      content_type="application/json")
    assert seat.status_code == 201, seat.content
    assert seat.json()["name"] == user_label(expert)
    detail = admin.get(base)
    assert expert.username not in json.dumps([m["name"] for m in detail.json()["members"]])
