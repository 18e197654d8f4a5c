"""Scope through pages and API: another community's or street's staff get 404 (existence never
leaks); an organisation's staff see only the projects their organisation delivers."""

from __future__ import annotations

import json

import pytest

from wushe.projects.models import Status


@pytest.fixture
def two(pw):
    a = pw.design(pw.community_a, name="杨坪社区护苗项目", domain="minor_protection",
                  target_groups=["minor"])
    b = pw.design(pw.community_b, name="西郊社区议事项目", domain="community_governance",
                  target_groups=["general"])
    pw.walk(a, Status.IN_SERVICE, org="a")
    pw.walk(b, Status.IN_SERVICE, org="c")
    return a, b


def test_community_staff_of_another_community_get_404(pw, two):
    a, b = two
    client = pw.client("staff_a")
    assert client.get(f"/projects/{a.pk}/").status_code == 200
    assert client.get(f"/projects/{b.pk}/").status_code == 404
    assert client.get(f"/projects/{b.pk}/contract").status_code == 404
    assert client.get(f"/api/v1/projects/{b.pk}").status_code == 404
    body = client.get(f"/api/v1/projects/{b.pk}").json()
    assert body["code"] == "not_found" and set(body["message"]) == {"zh", "en"}
    assert client.get(f"/api/v1/projects/{b.pk}/contract").status_code == 404
    listed = client.get("/api/v1/projects/").json()["items"]
    assert [r["id"] for r in listed] == [a.pk]
    page = client.get("/projects/").content.decode()
    assert a.name in page and b.name not in page


def test_other_street_gets_404_and_cannot_write(pw, two):
    a, _b = two
    client = pw.client("street_b")
    assert client.get(f"/projects/{a.pk}/").status_code == 404
    r = client.patch(f"/api/v1/projects/{a.pk}", json.dumps({"name": "改名"}),
                     content_type="application/json")
    assert r.status_code == 404
    r = client.post(f"/api/v1/projects/{a.pk}/tranches/1/payments",
                    json.dumps({"amount": "1"}), content_type="application/json")
    assert r.status_code == 404


def test_org_staff_sees_only_its_organisations_projects(pw, two):
    a, b = two
    client = pw.client("org_staff")
    assert client.get(f"/projects/{a.pk}/").status_code == 200
    assert client.get(f"/projects/{b.pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{b.pk}").status_code == 404
    ids = [r["id"] for r in client.get("/api/v1/projects/").json()["items"]]
    assert ids == [a.pk]
    # Seeing is not managing.
    assert client.get(f"/projects/{a.pk}/start").status_code == 403
    r = client.post(f"/api/v1/projects/{a.pk}/close", json.dumps({"renewed": False}),
                    content_type="application/json")
    assert r.status_code == 403


def test_pages_render_for_the_district(pw, two):
    a, _b = two
    client = pw.client("admin")
    page = client.get(f"/projects/{a.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    for testid in ("timeline", "indicators", "budget-burn", "tranches", "origin-needs"):
        assert f'data-testid="{testid}"' in html
    filtered = client.get("/projects/", {"year": "2026", "domain": "minor_protection",
                                         "status": "in_service",
                                         "region": pw.community_a.code,
                                         "provider": str(pw.orgs["a"].pk)})
    assert a.name in filtered.content.decode()
    assert client.get("/projects/", {"year": "abc"}).status_code == 400
    assert client.get("/projects/purchase-lists/").status_code == 200
    assert client.get(f"/projects/purchase-lists/{pw.plist(2026).pk}/").status_code == 200
    export = client.get(f"/projects/purchase-lists/{pw.plist(2026).pk}/export")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_purchase_list_of_district_is_hidden_from_community(pw, two):
    plist = pw.plist(2026)
    # A community officer sees projects, not the district's lists.
    assert pw.client("staff_a").get(f"/projects/purchase-lists/{plist.pk}/").status_code == 404
