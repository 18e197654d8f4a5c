"""The volunteers app's work items (volunteers/work.py through inbox/): hours waiting for
confirmation reach the leaders of the recording team's subtree and whoever confirms in the
record's region, and only them; an application waits for whoever may approve it (its community
or team, and the team it joins); each closes when its action happens on the page or through
the API, and the item never names the person."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from wushe.inbox.selectors import work_counts
from wushe.volunteers import services
from wushe.volunteers.models import ApplicationStatus, Team, VolunteerApplication
from wushe.volunteers.tests.factories import VWorld, idn
from wushe.volunteers.work import application_link

CONFIRM, APPROVE = "volunteers.record.confirm", "volunteers.application.approve"


def kinds(vw: VWorld, username: str) -> dict[str, int]:
    return work_counts(actor=vw.users[username])


def test_hours_wait_for_the_team_subtrees_leaders_and_close_when_confirmed_on_page_and_api(
        vw: VWorld) -> None:
    first = vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=30)
    second = vw.record(vw.volunteers["a1"], vw.squad_a, "3", start_hours_ago=10)
    for who in ("leader_a", "leader_det_a", "street", "admin"):
        assert kinds(vw, who)[CONFIRM] == 2, who
    for who in ("leader_b", "staff_a", "staff_c", "vol_user", "auditor"):
        assert CONFIRM not in kinds(vw, who), who  # another team, or no right to confirm
    link = reverse("volunteers:record", args=[first.pk])
    assert vw.client("leader_b").get(link).status_code == 404
    assert vw.client("staff_c").get(link).status_code == 404
    home = vw.client("leader_a").get("/").content.decode()
    assert f'data-kind="{CONFIRM}"' in home and f'href="{link}"' in home
    assert f"#{first.pk}" in home and vw.squad_a.name in home
    assert "王小花" not in home and "13800138000" not in home  # never the volunteer
    # Confirmed on the queue page by the squad's leader: closed for everyone.
    r = vw.client("leader_a").post(reverse("volunteers:confirm"), {"only": first.pk})
    assert r.status_code == 302
    for who in ("leader_a", "leader_det_a", "street", "admin"):
        assert kinds(vw, who)[CONFIRM] == 1, who
    # Confirmed through the API by the detachment's leader: nothing left.
    api = vw.client("leader_det_a")
    work = api.get("/api/v1/me/work").json()
    assert work["counts"] == {CONFIRM: 1} and work["items"][0]["due"] is None
    assert work["items"][0]["link"] == reverse("volunteers:record", args=[second.pk])
    assert api.post("/api/v1/volunteers/records/confirm", {"ids": [second.pk]},
                    content_type="application/json").status_code == 200
    for who in ("leader_a", "leader_det_a", "street", "admin"):
        assert CONFIRM not in kinds(vw, who), who


def test_a_record_rejected_through_the_api_closes_too(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["b1"], vw.squad_b, "2", start_hours_ago=30)
    assert kinds(vw, "leader_b") == {CONFIRM: 1} and CONFIRM not in kinds(vw, "leader_det_a")
    assert vw.client("leader_b").post(f"/api/v1/volunteers/records/{r.pk}/reject",
                                      {"reason": "时长有误"},
                                      content_type="application/json").status_code == 200
    assert CONFIRM not in kinds(vw, "leader_b")


def apply(vw: VWorld, team: Team, seq: str, ip: str) -> VolunteerApplication:
    return services.application_submit(
        region=vw.community_a, team=team, name="钱多多", id_number=idn("19950505", seq),
        phone="13700137000", consent=True, client_ip=ip)


def test_an_application_waits_for_whoever_may_approve_it_and_its_team(vw: VWorld) -> None:
    squad = apply(vw, vw.squad_a, "301", "10.1.0.1")  # joins the community's own squad
    street_team = apply(vw, vw.det_a, "302", "10.1.0.2")  # joins the street's detachment
    assert kinds(vw, "staff_a")[APPROVE] == 1  # the community, not the street's team
    assert kinds(vw, "leader_a")[APPROVE] == 1
    for who in ("leader_det_a", "street", "admin"):
        assert kinds(vw, who)[APPROVE] == 2, who
    for who in ("leader_b", "staff_c", "worker_a", "auditor"):
        assert APPROVE not in kinds(vw, who), who
    # The community's staff cannot approve the one it does not see as work.
    refused = vw.client("staff_a").post(
        f"/api/v1/volunteers/applications/{street_team.pk}/approve")
    assert refused.status_code in (403, 404)
    assert VolunteerApplication.objects.unscoped().get(
        pk=street_team.pk).status == ApplicationStatus.PENDING
    # The link shows that one application to those who may decide it, 404 to others.
    link = application_link(squad.pk)
    page = vw.client("staff_a").get(link)
    assert page.status_code == 200 and squad.reference in page.content.decode()
    assert street_team.reference not in page.content.decode()
    assert vw.client("staff_c").get(link).status_code == 404
    assert vw.client("leader_b").get(link).status_code == 404
    for hostile in ("x", "²", "9" * 40, "-1"):  # never a 500
        assert vw.client("staff_a").get(reverse("volunteers:applications"),
                                        {"application": hostile}).status_code == 404
    home = vw.client("staff_a").get("/").content.decode()
    assert f'data-kind="{APPROVE}"' in home and squad.reference in home
    assert link.replace("&", "&amp;") in home or link in home
    assert "钱多多" not in home and "13700137000" not in home and "19950505" not in home
    # Approved on the page: closed for everyone; the other through the API by the street.
    r = vw.client("staff_a").post(reverse("volunteers:application_decide", args=[squad.pk]),
                                  {"decision": "approve"})
    assert r.status_code == 302
    assert APPROVE not in kinds(vw, "staff_a") and APPROVE not in kinds(vw, "leader_a")
    assert kinds(vw, "street")[APPROVE] == 1
    api = vw.client("street")
    assert api.post(f"/api/v1/volunteers/applications/{street_team.pk}/approve") \
        .status_code == 200
    for who in ("leader_det_a", "street", "admin"):
        assert APPROVE not in kinds(vw, who), who


def test_an_application_rejected_through_the_api_closes(vw: VWorld) -> None:
    app = apply(vw, vw.squad_a, "303", "10.1.0.3")
    assert kinds(vw, "leader_a") == {APPROVE: 1}
    r = vw.client("leader_a").post(f"/api/v1/volunteers/applications/{app.pk}/reject",
                                   {"reason": "联系不上"}, content_type="application/json")
    assert r.status_code == 200
    assert kinds(vw, "leader_a") == {}


def test_an_account_without_the_right_costs_no_query(vw: VWorld,
                                                     django_assert_num_queries: Any) -> None:
    from wushe.volunteers.work import applications_to_approve, records_to_confirm

    user = vw.users["worker_a"]
    work_counts(actor=user)  # grants cached on the account
    with django_assert_num_queries(0):
        assert records_to_confirm(user).query.is_empty()
        assert applications_to_approve(user).query.is_empty()
    assert Client().get("/api/v1/me/work").status_code == 401


def test_each_producer_counts_in_one_query(vw: VWorld, django_assert_num_queries: Any) -> None:
    from wushe.volunteers.work import applications_to_approve, records_to_confirm

    vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=30)
    apply(vw, vw.squad_a, "304", "10.1.0.4")
    for who in ("leader_det_a", "street"):
        user = vw.users[who]
        work_counts(actor=user)  # grants and team paths cached on the account
        for query in (records_to_confirm, applications_to_approve):
            with django_assert_num_queries(1):
                assert query(user).order_by().count() == 1
