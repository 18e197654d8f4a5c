"""Pairing help (结对帮扶): a volunteer or team paired with a person in care; visit logs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from wushe.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from wushe.people.services import person_create
from wushe.volunteers import selectors, services
from wushe.volunteers.models import Pairing
from wushe.volunteers.tests.factories import VWorld, idn


@pytest.fixture
def elder(vw: VWorld):  # type: ignore[no-untyped-def]
    return person_create(actor=vw.users["staff_a"], region=vw.community_a, name="杨奶奶",
                         id_number=idn("19400101", "901"))


def test_pairing_and_visits(vw: VWorld, elder) -> None:  # type: ignore[no-untyped-def]
    leader = vw.users["leader_a"]
    p = services.pairing_create(actor=leader, team=vw.squad_a, person=elder,
                                target_group="empty_nest", needs="独居,患有高血压",
                                volunteer=vw.volunteers["a1"])
    with pytest.raises(Conflict):
        services.pairing_create(actor=leader, team=vw.squad_a, person=elder,
                                target_group="empty_nest", volunteer=vw.volunteers["a1"])
    # The paired volunteer logs its own visit; the team logs one too.
    services.visit_log(actor=vw.users["vol_user"], pairing=p, visited_on=timezone.localdate(),
                       minutes=60, content="陪老人聊天,测血压")
    services.visit_log(actor=leader, pairing=p, visited_on=timezone.localdate(), minutes=30,
                       content="送药")
    p.refresh_from_db()
    assert p.visits == 2
    logs = list(selectors.visit_logs(actor=vw.users["vol_user"], pairing=p))
    assert [log.content for log in logs][-1] == "陪老人聊天,测血压"
    # Care needs and visit notes are encrypted at rest.
    with connection.cursor() as cur:
        cur.execute("SELECT needs FROM volunteers_pairing WHERE id = %s", [p.pk])
        assert "高血压" not in cur.fetchone()[0]
        cur.execute("SELECT content FROM volunteers_visitlog")
        assert all("血压" not in row[0] for row in cur.fetchall())
    services.pairing_end(actor=leader, pairing=p)
    with pytest.raises(IllegalTransition):
        services.visit_log(actor=leader, pairing=p, visited_on=timezone.localdate(), minutes=10,
                           content="x")


def test_pairing_rules_and_scope(vw: VWorld, elder) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):  # b1 is not a member of squad_a
        services.pairing_create(actor=vw.users["leader_a"], team=vw.squad_a, person=elder,
                                target_group="elderly", volunteer=vw.volunteers["b1"])
    with pytest.raises(NotFound):  # the person in care lives outside leader_b's area
        services.pairing_create(actor=vw.users["leader_b"], team=vw.squad_b, person=elder,
                                target_group="elderly")
    p = services.pairing_create(actor=vw.users["leader_a"], team=vw.squad_a, person=elder,
                                target_group="elderly")
    with pytest.raises(NotFound):
        services.visit_log(actor=vw.users["vol_user_b"], pairing=p,
                           visited_on=timezone.localdate(), minutes=30, content="x")
    with pytest.raises(ValidationFailed):
        services.visit_log(actor=vw.users["leader_a"], pairing=p,
                           visited_on=timezone.localdate() + dt.timedelta(days=1), minutes=30,
                           content="x")
    assert list(selectors.pairing_list(actor=vw.users["leader_b"])) == []
    assert [x.pk for x in selectors.pairing_list(actor=vw.users["staff_a"])] == [p.pk]
    assert Pairing.objects.unscoped().count() == 1


def test_pairing_pages_and_api(vw: VWorld, elder) -> None:  # type: ignore[no-untyped-def]
    client = vw.client("leader_a")
    response = client.post("/volunteers/pairings/new", {
        "team": vw.squad_a.pk, "person_id_number": idn("19400101", "901"),
        "target_group": "empty_nest", "number": vw.volunteers["a1"].number, "needs": "独居"})
    assert response.status_code == 302
    url = response["Location"]
    response = client.post(url, {"visited_on": timezone.localdate().isoformat(), "minutes": 45,
                                 "content": "打扫卫生"})
    assert response.status_code == 302
    assert "打扫卫生" in client.get(url).content.decode()
    pairing_id = int(url.rstrip("/").split("/")[-1])
    api = client.get(f"/api/v1/volunteers/pairings/{pairing_id}/visits").json()
    assert api[0]["minutes"] == 45
    assert vw.client("leader_b").get(url).status_code == 404
