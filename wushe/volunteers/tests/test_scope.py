"""Scope through pages and API: a leader acts only over its team subtree, a volunteer sees
only itself, and another team's leader gets 404 (never 403: existence does not leak)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wushe.volunteers import selectors, services
from wushe.volunteers.models import ServiceRecord
from wushe.volunteers.tests.factories import VWorld


@pytest.fixture
def rec(vw: VWorld) -> ServiceRecord:
    """A pending record of squad_a (community_a) for volunteer a1."""
    return vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=30)


def test_leader_sees_its_subtree_only(vw: VWorld, rec: ServiceRecord) -> None:
    leader_a, leader_det, leader_b = (vw.users[k] for k in ("leader_a", "leader_det_a",
                                                            "leader_b"))
    ids = lambda qs: {v.number for v in qs}  # noqa: E731
    v = vw.volunteers
    assert ids(selectors.volunteer_list(actor=leader_a)) == {v["a1"].number, v["a2"].number}
    assert ids(selectors.volunteer_list(actor=leader_det)) == {
        v["a1"].number, v["a2"].number, v["a2b"].number}
    assert ids(selectors.volunteer_list(actor=leader_b)) == {v["b1"].number}
    assert [t.name for t in selectors.team_roots(actor=leader_a)] == [vw.squad_a.name]
    assert {t.pk for t in selectors.team_list(actor=leader_det)} == {
        vw.det_a.pk, vw.squad_a.pk, vw.squad_a2.pk}
    assert list(selectors.confirmation_queue(actor=leader_b)) == []
    assert list(selectors.confirmation_queue(actor=leader_det)) == [rec]


def test_volunteer_sees_only_itself(vw: VWorld, rec: ServiceRecord) -> None:
    me = vw.users["vol_user"]
    assert [v.pk for v in selectors.volunteer_list(actor=me)] == [vw.volunteers["a1"].pk]
    assert [r.pk for r in selectors.record_list(actor=me)] == [rec.pk]
    other = vw.users["vol_user_b"]
    assert list(selectors.record_list(actor=other)) == []
    assert list(selectors.team_list(actor=me)) == []
    assert list(selectors.confirmation_queue(actor=me)) == []


PAGES = ["/volunteers/{a1}/", "/volunteers/records/{rec}/", "/volunteers/teams/{squad_a}/",
         "/volunteers/{a1}/edit"]
API = ["/api/v1/volunteers/{a1}", "/api/v1/volunteers/records/{rec}",
       "/api/v1/volunteers/teams/{squad_a}", "/api/v1/volunteers/teams/{squad_a}/totals"]


def _urls(vw: VWorld, rec: ServiceRecord, templates: list[str]) -> list[str]:
    return [t.format(a1=vw.volunteers["a1"].pk, rec=rec.pk, squad_a=vw.squad_a.pk)
            for t in templates]


@pytest.mark.parametrize("username", ["leader_b", "vol_user_b", "staff_c"])
def test_outsiders_get_404_on_pages_and_api(vw: VWorld, rec: ServiceRecord,
                                            username: str) -> None:
    client = vw.client(username)
    for url in _urls(vw, rec, PAGES + API):
        assert client.get(url).status_code == 404, (username, url)
    missing = client.get("/api/v1/volunteers/999999").json()
    assert client.get(f"/api/v1/volunteers/{vw.volunteers['a1'].pk}").json() == missing
    assert client.post("/api/v1/volunteers/records/confirm", {"ids": [rec.pk]},
                       content_type="application/json").status_code == 404
    assert client.post("/volunteers/queue/confirm", {"record": rec.pk}).status_code == 404
    assert ServiceRecord.objects.unscoped().get(pk=rec.pk).status == "pending"


def test_insiders_reach_the_same_urls(vw: VWorld, rec: ServiceRecord) -> None:
    for username in ("leader_a", "leader_det_a", "staff_a", "street", "admin"):
        client = vw.client(username)
        for url in _urls(vw, rec, PAGES + API):
            assert client.get(url).status_code == 200, (username, url)


def test_leader_confirms_through_the_api_and_totals_move(vw: VWorld,
                                                         rec: ServiceRecord) -> None:
    client = vw.client("leader_det_a")
    response = client.post("/api/v1/volunteers/records/confirm", {"ids": [rec.pk]},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()[0]["status"] == "confirmed"
    totals = client.get(f"/api/v1/volunteers/teams/{vw.corps.pk}/totals")
    assert totals.status_code == 404  # the corps is above the leader's subtree
    squad = client.get(f"/api/v1/volunteers/teams/{vw.squad_a.pk}/totals").json()
    assert squad["hours_confirmed"] == "2.00" and squad["records_confirmed"] == 1
    me = vw.client("vol_user").get("/api/v1/volunteers/me").json()
    assert me["hours_confirmed"] == "2.00" and me["stars"] == 0 and "*" in me["id_number"]


def test_volunteer_self_service_through_the_api(vw: VWorld, rec: ServiceRecord) -> None:
    services.records_confirm(actor=vw.root, records=[rec])
    client = vw.client("vol_user")
    response = client.post(f"/api/v1/volunteers/records/{rec.pk}/correction-requests",
                           {"proposed_hours": "3", "reason": "漏记一小时"},
                           content_type="application/json")
    assert response.status_code == 201
    assert client.get("/api/v1/volunteers/correction-requests/mine").json()[0]["status"] == "open"
    # The volunteer may not decide on its own request (it sees the record: 403, not 404).
    request_id = response.json()["id"]
    assert client.post(f"/api/v1/volunteers/correction-requests/{request_id}/decide",
                       {"accept": True}, content_type="application/json").status_code == 403
    other = vw.client("vol_user_b")
    assert other.get(f"/api/v1/volunteers/correction-requests/{request_id}").status_code == 404


def test_leader_cannot_sign_outsiders_up_or_check_them_in(vw: VWorld) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    a = services.activity_create(actor=vw.root, team=vw.squad_b, region=vw.community_c,
                                 title="探访", kind="visit", place="x", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=2), capacity=5)
    services.activity_set_status(actor=vw.root, activity=a, status="open")
    client = vw.client("leader_a")
    assert client.get(f"/volunteers/activities/{a.pk}/").status_code == 404
    assert client.post(f"/api/v1/volunteers/activities/{a.pk}/signups",
                       {"volunteer_id": vw.volunteers["a1"].pk},
                       content_type="application/json").status_code == 404
