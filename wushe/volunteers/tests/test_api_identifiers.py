"""Volunteer numbers and certificate numbers through the API: full-width read as ASCII, other
digit scripts and zero-width spaces refused (400, bilingual), not silently unmatched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from wushe.core.tests.scripts import REFUSED, ZWSP, full_width
from wushe.volunteers import services
from wushe.volunteers.tests.factories import VWorld
from wushe.volunteers.tests.test_api import bearer


def test_a_full_width_volunteer_number_finds_the_volunteer(vw: VWorld) -> None:
    number = vw.volunteers["a1"].number
    listed = Client().get("/api/v1/volunteers/", {"q": full_width(number)},
                          **bearer("leader_a")).json()
    assert [v["number"] for v in listed["items"]] == [number]


@pytest.mark.parametrize("script", sorted(REFUSED))
def test_a_volunteer_number_in_another_script_is_refused(vw: VWorld, script: str) -> None:
    number = vw.volunteers["a1"].number
    response = Client().get("/api/v1/volunteers/", {"q": REFUSED[script](number)},
                            **bearer("leader_a"))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "not_ascii" and response.json()["message"]["en"]


def test_a_certificate_number_with_a_zero_width_space_is_refused(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "3", start_hours_ago=30)
    services.records_confirm(actor=vw.root, records=[r])
    today = timezone.localdate()
    cert = services.certificate_issue(actor=vw.users["leader_a"], volunteer=vw.volunteers["a1"],
                                      team=vw.squad_a, period_start=today - dt.timedelta(days=9),
                                      period_end=today)
    client = Client()
    ok = client.get(f"/api/v1/public/certificates/{full_width(cert.number)}")
    assert ok.status_code == 200 and ok.json()["volunteer_number"] == vw.volunteers["a1"].number
    hidden = client.get(f"/api/v1/public/certificates/{cert.number[:6]}{ZWSP}{cert.number[6:]}")
    assert hidden.status_code == 400 and hidden.json()["code"] == "not_ascii"
