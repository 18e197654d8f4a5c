"""Residents pages and API: masked lists, reveal with a purpose, ledger export, scope 404."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from wushe.conftest import PASSWORD
from wushe.residents import services
from wushe.residents.models import CareProfile


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def bearer(username: str) -> dict[str, str]:
    token = Client().post("/api/v1/auth/token", {"username": username, "password": PASSWORD},
                          content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_pages(staff_a: Any, elder: Any, community_a: Any) -> None:
    client = client_for(staff_a)
    response = client.post(reverse("residents:create") + f"?person={elder.pk}", {
        "id_number": "", "target_group": "elderly", "tags": ["empty_nest"], "risk_level": "high",
        "details": "独居,患高血压", "guardian_info": "", "assigned_worker": "",
        "last_visit_on": ""})
    assert response.status_code == 302
    profile = CareProfile.objects.unscoped().get()
    listing = client.get(reverse("residents:list")).content.decode()
    assert "陈*海" in listing and "陈大海" not in listing
    page = client.get(reverse("residents:detail", args=[profile.pk])).content.decode()
    assert "高血压" not in page
    revealed = client.post(reverse("residents:reveal", args=[profile.pk]),
                           {"field": "details", "purpose": "上门走访核实"}).content.decode()
    assert "独居,患高血压" in revealed
    ledger = services.ledger_create(actor=staff_a, region=community_a, name="空巢老人台账")
    assert client.post(reverse("residents:add_to_ledger", args=[profile.pk]),
                       {"ledger": str(ledger.pk), "note": ""}).status_code == 302
    export = client.get(reverse("residents:ledger", args=[ledger.pk]) + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "陈*海" and "*" in rows[1][2]
    assert client.post(reverse("residents:close", args=[profile.pk]),
                       {"reason": "迁出"}).status_code == 302


def test_scope_by_page_and_api(staff_a: Any, staff_b: Any, other: Any) -> None:
    profile = services.profile_create(actor=staff_b, person=other, target_group="elderly",
                                      details="秘密")
    assert client_for(staff_a).get(reverse("residents:detail", args=[profile.pk])) \
        .status_code == 404
    auth = bearer("staff_a")
    assert Client().get(f"/api/v1/residents/profiles/{profile.pk}", **auth).status_code == 404
    assert Client().post(f"/api/v1/residents/profiles/{profile.pk}/unmask",
                         {"field": "details", "purpose": "随便看看"},
                         content_type="application/json", **auth).status_code == 404
    assert Client().get("/api/v1/residents/profiles", **auth).json()["count"] == 0


def test_api(staff_a: Any, elder: Any, community_a: Any) -> None:
    auth = bearer("staff_a")
    created = Client().post("/api/v1/residents/profiles", {
        "person_id": elder.pk, "target_group": "elderly", "tags": ["living_alone"],
        "details": "独居"}, content_type="application/json", **auth)
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "陈*海" and body["has_details"] and "details" not in body
    ledger = Client().post("/api/v1/residents/ledgers", {
        "region_code": community_a.code, "name": "独居老人台账"}, content_type="application/json",
        **auth).json()
    added = Client().post(f"/api/v1/residents/ledgers/{ledger['id']}/members",
                          {"profile_id": body["id"]}, content_type="application/json", **auth)
    assert added.status_code == 201
    members = Client().get(f"/api/v1/residents/ledgers/{ledger['id']}/members", **auth).json()
    assert members["count"] == 1
