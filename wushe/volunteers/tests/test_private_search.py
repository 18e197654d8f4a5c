"""Issue #22 item 1 for volunteers: a search by full ID number goes by POST (page and API), the
URL only ever carries a key, the export follows the kept search, a GET with one is refused."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from wushe.volunteers.tests.factories import VWorld, idn
from wushe.volunteers.tests.test_api import bearer

A2_ID = idn("19900101", "102")


def test_api_get_with_an_id_number_is_refused_and_post_search_finds(vw: VWorld) -> None:
    auth = bearer("street")
    refused = Client().get("/api/v1/volunteers/", {"q": A2_ID}, **auth)
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "identifier_in_url" and body["field"] == "q"
    assert "/api/v1/volunteers/search" in body["message"]["en"]
    assert "/api/v1/volunteers/search" in body["message"]["zh"]
    found = Client().post("/api/v1/volunteers/search", {"q": A2_ID},
                          content_type="application/json", **auth)
    assert found.status_code == 200
    assert [v["number"] for v in found.json()["items"]] == [vw.volunteers["a2"].number]
    number = Client().get("/api/v1/volunteers/", {"q": vw.volunteers["a2"].number}, **auth)
    assert number.status_code == 200 and number.json()["count"] == 1  # a number still may


def test_the_export_follows_the_kept_search(vw: VWorld) -> None:
    client = vw.client("street")
    location = client.post("/volunteers/", {"q": A2_ID})["Location"]
    assert A2_ID not in location
    page = client.get(location).content.decode()
    key = location.split("?s=")[1]
    assert f"/volunteers/export/volunteers?s={key}" in page
    exported = client.get(f"/volunteers/export/volunteers?s={key}")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    numbers = {str(c) for row in sheet.iter_rows(values_only=True) for c in row}
    assert vw.volunteers["a2"].number in numbers
    assert vw.volunteers["a1"].number not in numbers


def test_htmx_search_pushes_an_address_without_the_id_number(vw: VWorld) -> None:
    response = vw.client("street").post("/volunteers/", {"q": A2_ID}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert vw.volunteers["a2"].number in response.content.decode()
    assert response["HX-Push-Url"].startswith("/volunteers/?s=")
    assert A2_ID not in response["HX-Push-Url"]
