"""A need's timeline and an idea's comments name staff by display name, never by username."""

from __future__ import annotations

from wushe.accounts.labels import user_label
from wushe.accounts.models import User
from wushe.needs import services
from wushe.needs.tests.conftest import client_for


def test_need_event_actor_is_the_display_name_not_the_username(accepted, staff_a):
    client = client_for(staff_a)
    events = client.get(f"/api/v1/needs/{accepted.pk}/events")
    assert [e["actor_name"] for e in events.json()] == ["", user_label(staff_a)]
    assert staff_a.username not in events.content.decode()
    User.objects.filter(pk=staff_a.pk).update(display_name="刘社工")
    events = client.get(f"/api/v1/needs/{accepted.pk}/events")
    assert [e["actor_name"] for e in events.json()] == ["", "刘社工"]


def test_idea_comment_author_is_the_display_name_not_the_username(staff_a, community_a):
    idea = services.idea_submit(actor=staff_a, region=community_a, title="建共享菜园",
                                body="利用小区闲置空地", submitter_name="张三")
    client = client_for(staff_a)
    made = client.post(f"/api/v1/needs/ideas/{idea.pk}/comments", {"body": "同意"},
                       content_type="application/json")
    assert made.status_code == 201
    assert made.json()["author_name"] == user_label(staff_a)
    User.objects.filter(pk=staff_a.pk).update(display_name="刘社工")
    listed = client.get(f"/api/v1/needs/ideas/{idea.pk}/comments")
    assert [c["author_name"] for c in listed.json()] == ["刘社工"]
    assert staff_a.username not in listed.content.decode()
