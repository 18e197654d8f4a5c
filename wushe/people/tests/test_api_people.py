"""The people API: masked by default, scoped, 404 outside scope, bilingual errors."""

from __future__ import annotations

import pytest
from django.test import Client

from wushe.conftest import PASSWORD
from wushe.people.models import Person
from wushe.people.services import person_create
from wushe.regions.services import site_create

ID_X = "11010519491231002X"


def bearer(username: str) -> dict[str, str]:
    token = Client().post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                          content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def person_b(root, community_b) -> Person:
    return person_create(actor=root, region=community_b, name="王小二", id_number=ID_X,
                         phone="13912345678")


def test_other_community_gets_404_not_403(staff_a, person_b, community_b, root):
    site = site_create(actor=root, region=community_b, kind="sw_room", name="西郊社工室")
    client, auth = Client(), bearer("staff_a")
    for url in (f"/api/v1/people/{person_b.pk}", f"/api/v1/regions/{community_b.code}",
                f"/api/v1/regions/{community_b.code}/sites",
                f"/api/v1/regions/{community_b.code}/coverage",
                f"/api/v1/people/{person_b.pk}/consents"):
        response = client.get(url, **auth)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    for url, body in ((f"/api/v1/people/{person_b.pk}", {"name": "改名"}),):
        assert client.patch(url, body, content_type="application/json", **auth).status_code == 404
    response = client.post(f"/api/v1/people/{person_b.pk}/unmask",
                           {"field": "phone", "purpose": "随便看看"},
                           content_type="application/json", **auth)
    assert response.status_code == 404
    # a missing id answers exactly the same
    missing = client.get("/api/v1/people/999999", **auth)
    assert missing.json() == client.get(f"/api/v1/people/{person_b.pk}", **auth).json()
    listed = client.get("/api/v1/people/", **auth).json()
    assert all(item["id"] != person_b.pk for item in listed["items"])
    assert client.post("/api/v1/people/search", {"q": ID_X}, content_type="application/json",
                       **auth).json()["count"] == 0
    assert site.pk  # exists, but not for staff_a


def test_list_is_masked(staff_a, community_a):
    person_create(actor=staff_a, region=community_a, name="张三丰", id_number=ID_X,
                  phone="13912345678")
    body = Client().get("/api/v1/people/", **bearer("staff_a")).json()
    item = body["items"][0]
    assert item["name"] == "张*丰"
    assert item["id_number"] == "1101**********002X"
    assert item["phone"] == "139****5678"
    assert ID_X not in str(body)


def test_create_with_invalid_id_is_400_bilingual_and_changes_nothing(staff_a, community_a):
    response = Client().post(
        "/api/v1/people/", {"region_code": community_a.code, "name": "李四",
                            "id_number": "110105194912310021"},
        content_type="application/json", **bearer("staff_a"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "id_number_checksum"
    assert "校验位" in body["message"]["zh"] and "check digit" in body["message"]["en"]
    assert Person.objects.unscoped().count() == 0


def test_create_in_other_community_is_404(staff_a, community_b):
    response = Client().post(
        "/api/v1/people/", {"region_code": community_b.code, "name": "李四"},
        content_type="application/json", **bearer("staff_a"))
    assert response.status_code == 404
    assert Person.objects.unscoped().count() == 0


def test_unmask_via_api_logs_access(staff_a, community_a):
    p = person_create(actor=staff_a, region=community_a, name="张三", phone="13912345678")
    response = Client().post(f"/api/v1/people/{p.pk}/unmask",
                             {"field": "phone", "purpose": "电话回访确认服务"},
                             content_type="application/json", **bearer("staff_a"))
    assert response.json() == {"field": "phone", "value": "13912345678"}
    from wushe.audit.models import PiiAccess

    assert PiiAccess.objects.unscoped().filter(subject_id=str(p.pk), field="phone").exists()


def test_malformed_body_is_bilingual_422(staff_a):
    response = Client().post("/api/v1/people/", {"name": 1},
                             content_type="application/json", **bearer("staff_a"))
    assert response.status_code == 422
    assert set(response.json()["message"]) == {"zh", "en"}


def test_openapi_and_offline_docs(db):
    client = Client()
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/auth/token" in spec.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
