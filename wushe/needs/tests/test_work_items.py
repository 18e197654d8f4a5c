"""The needs app's work items (needs/work.py through inbox/): each appears for the accounts
that must act and only them, and closes when the action happens — on the page, through the
API, and by the periodic SLA job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wushe.inbox.selectors import work_counts
from wushe.needs import services
from wushe.needs.models import Assignment, Need
from wushe.needs.tests.conftest import bearer, client_for, committee


def kinds(user: Any) -> dict[str, int]:
    return work_counts(actor=user)


def test_a_new_need_waits_for_its_communitys_staff_only_and_closes_when_accepted_on_the_page(
        submit: Any, staff_a: Any, staff_b: Any, community_a: Any) -> None:
    need = submit(community_a)
    assert kinds(staff_a)["needs.need.accept"] == 1
    assert "needs.need.accept" not in kinds(staff_b)  # another community's staff
    home = client_for(staff_a).get("/").content.decode()
    assert 'data-kind="needs.need.accept"' in home and need.tracking_code in home
    assert "王小明" not in home and "139" not in home  # no personal data in the item
    link = reverse("needs:detail", args=[need.pk])
    assert f'href="{link}"' in home
    assert client_for(staff_b).get(link).status_code == 404  # nor can they open it
    assert client_for(staff_b).get("/").content.decode().count('data-testid="work-item"') == 0
    # The action on the need's own page closes the item; the next one (dispatch) opens.
    client_for(staff_a).post(reverse("needs:act", args=[need.pk, "accept"]), {"note": ""})
    after = kinds(staff_a)
    assert "needs.need.accept" not in after and after["needs.need.dispatch"] == 1


def test_an_assignment_waits_for_its_assignee_and_closes_when_taken_through_the_api(
        submit: Any, staff_a: Any, make_user: Any, community_a: Any) -> None:
    member = make_user("community_staff", community_a, "committee_member")
    need = services.need_accept(actor=staff_a, need=submit(community_a))
    services.need_dispatch(actor=staff_a, need=need, assignments=[committee(member)])
    assert "needs.need.dispatch" not in kinds(staff_a)
    auth = bearer(member.username)
    work = Client().get("/api/v1/me/work", **auth).json()
    assert work["counts"] == {"needs.assignment.take": 1} and work["count"] == 1
    item = work["items"][0]
    assert item["kind"] == "needs.assignment.take" and need.tracking_code in item["title"]
    assert item["link"] == reverse("needs:detail", args=[need.pk])
    assert item["due"] == need.due_on.isoformat() and item["colour"] in ("ok", "due")
    assignment = Assignment.objects.unscoped().get(need=need)
    assert Client().post(f"/api/v1/needs/assignments/{assignment.pk}/take",
                         **auth).status_code == 200
    assert Client().get("/api/v1/me/work", **auth).json() == {"counts": {}, "count": 0,
                                                              "items": []}


def test_overdue_needs_reach_the_street_and_the_sla_job_turns_them_into_escalations(
        submit: Any, staff_a: Any, street_user: Any, staff_b: Any, community_a: Any) -> None:
    from django.core.management import call_command

    from wushe.core.calendar import is_workday

    need = services.need_accept(actor=staff_a, need=submit(community_a, category="policy"))
    Need.objects.unscoped().filter(pk=need.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=10),
        received_at=timezone.now() - dt.timedelta(days=40))
    assert kinds(street_user).get("needs.need.overdue") == 1
    assert "needs.need.overdue" not in kinds(staff_b)
    if is_workday(timezone.localdate()):  # the SLA job escalates on working days only
        call_command("tick", "--only", "needs.sla", "--all", stdout=open("/dev/null", "w"))
        after = kinds(street_user)
        assert "needs.need.overdue" not in after and after["needs.need.escalated"] == 1


def test_the_work_api_refuses_unknown_kinds_and_bad_limits_clearly(staff_a: Any) -> None:
    auth = bearer(staff_a.username)
    bad = Client().get("/api/v1/me/work?kind=nope", **auth)
    assert bad.status_code == 400 and bad.json()["message"]["zh"] and bad.json()["message"]["en"]
    for bad_page in ("limit=0", "limit=201", "limit=99999999999", "offset=-1", "offset=5001"):
        refused = Client().get(f"/api/v1/me/work?{bad_page}", **auth)
        assert refused.status_code == 422, bad_page  # bounded, never a 500
        assert refused.json()["message"]["zh"] and refused.json()["message"]["en"]
    assert Client().get("/api/v1/me/work").status_code == 401


def test_an_imported_offline_list_waits_to_be_dispatched(staff_a: Any, staff_b: Any,
                                                         community_a: Any) -> None:
    """Rows of an imported problem list are accepted needs: the community's staff must
    dispatch them (the import is another way in, and its items appear like any other)."""
    import io

    from wushe.core.excel import run_import
    from wushe.needs.tests.test_importers import good, xlsx

    result = run_import("needs", io.BytesIO(xlsx([good(community_a, 1), good(community_a, 2)])),
                        actor=staff_a)
    assert result.imported == 2
    assert kinds(staff_a)["needs.need.dispatch"] == 2
    assert "needs.need.dispatch" not in kinds(staff_b)
