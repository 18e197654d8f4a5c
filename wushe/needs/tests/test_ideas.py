"""Ideas (自治金点子): submit (public or staff), comment, adopt or reject with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.needs import services
from wushe.needs.models import Idea, IdeaComment
from wushe.needs.tests.conftest import client_for


@pytest.fixture
def idea(staff_a: Any, community_a: Any) -> Idea:
    return services.idea_submit(actor=staff_a, region=community_a, title="建共享菜园",
                                body="利用小区闲置空地", submitter_name="张三")


def test_public_idea_page(community_a: Any) -> None:
    response = Client().post(reverse("needs:public_idea"), {
        "community": community_a.code, "title": "楼道安装感应灯", "body": "晚上楼道太黑",
        "name": "李四", "phone": "13912345678", "consent": "on"})
    assert response.status_code == 302
    idea = Idea.objects.unscoped().get()
    assert idea.channel == "public" and idea.submitter_phone == "13912345678"


def test_comment_and_decide(idea: Idea, staff_a: Any) -> None:
    services.idea_comment(actor=staff_a, idea=idea, body="建议先征求居民意见")
    idea.refresh_from_db()
    assert idea.comment_count == 1
    with pytest.raises(ValidationFailed):  # a rejection says why
        services.idea_decide(actor=staff_a, idea=idea, adopt=False, reason="")
    services.idea_decide(actor=staff_a, idea=idea, adopt=False, reason="场地条件不具备")
    idea.refresh_from_db()
    assert idea.state == "rejected" and idea.decision_reason
    with pytest.raises(Conflict):
        services.idea_decide(actor=staff_a, idea=idea, adopt=True, reason="")


def test_adopt_links_a_project(idea: Idea, staff_a: Any) -> None:
    idea = services.idea_decide(actor=staff_a, idea=idea, adopt=True, reason="",
                                project_ref="projects.serviceproject:12")
    assert idea.state == "adopted" and idea.project_ref


def test_scope(idea: Idea, staff_b: Any, make_user: Any, community_a: Any) -> None:
    with pytest.raises(NotFound):
        services.idea_comment(actor=staff_b, idea=idea, body="看看")
    assert client_for(staff_b).get(reverse("needs:idea", args=[idea.pk])).status_code == 404
    reader = make_user("team_leader", community_a, "reader")
    services.idea_comment(actor=reader, idea=idea, body="支持")
    with pytest.raises(PermissionDenied):
        services.idea_decide(actor=reader, idea=idea, adopt=True, reason="")
    assert IdeaComment.objects.unscoped().count() == 1


def test_board_and_pages(idea: Idea, staff_a: Any) -> None:
    client = client_for(staff_a)
    assert idea.title in client.get(reverse("needs:ideas")).content.decode()
    assert client.post(reverse("needs:idea_comment", args=[idea.pk]),
                       {"body": "同意"}).status_code == 302
    response = client.post(reverse("needs:idea_decide", args=[idea.pk]),
                           {"adopt": "no", "reason": ""})
    assert response.status_code == 400
    assert client.post(reverse("needs:idea_decide", args=[idea.pk]),
                       {"adopt": "yes", "reason": "居民议事会通过"}).status_code == 302
    html = client.get(reverse("needs:idea", args=[idea.pk])).content.decode()
    assert "同意" in html and 'data-testid="idea-state"' in html
    created = client.post(reverse("needs:idea_create"), {
        "community": idea.region.code, "title": "开设四点半课堂", "body": "放学后托管",
        "submitter_name": ""})
    assert created.status_code == 302


def test_ideas_api(idea: Idea, staff_a: Any) -> None:
    from wushe.needs.tests.conftest import bearer

    auth = bearer("staff_a")
    items = Client().get("/api/v1/needs/ideas", **auth).json()["items"]
    assert items[0]["code"] == idea.code and items[0]["submitter"] == "张*"
    c = Client().post(f"/api/v1/needs/ideas/{idea.pk}/comments", {"body": "好"},
                      content_type="application/json", **auth)
    assert c.status_code == 201
    d = Client().post(f"/api/v1/needs/ideas/{idea.pk}/decision", {"adopt": True},
                      content_type="application/json", **auth)
    assert d.json()["state"] == "adopted"
