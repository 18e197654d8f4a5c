"""The evaluation app's work items (evaluation/work.py through inbox/): a seat waiting for its
score sheet appears for the seat's own account only (a paper seat without an account: for the
evaluation's managers) and closes when the sheet is submitted on the page or through the API,
or when the seat is removed."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.urls import reverse

from wushe.evaluation import services
from wushe.evaluation.models import CommitteeMember
from wushe.inbox.selectors import work_counts

KIND = "evaluation.seat.score"


def _seat(ev: Any, party: str) -> CommitteeMember:
    return CommitteeMember.objects.get(evaluation=ev, party=party)


def _form(ev: Any, fraction: str) -> dict[str, str]:
    data = {}
    for i in ev.indicator_set.indicators.all():
        data[f"score_{i.pk}"] = str((i.max_score * Decimal(fraction)).quantize(Decimal("0.1")))
        data[f"comment_{i.pk}"] = ""
    return data


def test_a_seat_waits_for_its_own_evaluator_only_and_closes_when_scored_on_the_page(
        ew: Any) -> None:
    ev = ew.evaluation(ew.projects["p"])
    seat = _seat(ev, "expert")
    assert work_counts(actor=ew.users["evaluator"]).get(KIND) == 1
    for other in ("evaluator2", "evaluator_b", "street_b", "staff_a", "orgstaff", "auditor"):
        assert KIND not in work_counts(actor=ew.users[other]), other
    home = ew.client("evaluator").get("/").content.decode()
    link = reverse("evaluation:score", args=[ev.pk, seat.pk])
    assert f'data-kind="{KIND}"' in home and f'href="{link}"' in home
    assert ew.projects["p"].code in home
    # Another street's evaluator neither sees the item nor opens its page.
    assert ew.client("evaluator_b").get(link).status_code == 404
    assert ew.client("street_b").get(link).status_code == 404
    posted = ew.client("evaluator").post(link, _form(ev, "0.8"))
    assert posted.status_code == 302
    assert KIND not in work_counts(actor=ew.users["evaluator"])


def test_a_paper_seat_waits_for_the_managers_and_closes_through_the_api(ew: Any) -> None:
    ev = ew.evaluation(ew.projects["p"])
    paper = _seat(ev, "recipients")
    admin = ew.client("admin")
    # The admin's own purchaser seat and the recipients' paper sheet it enters.
    work = admin.get("/api/v1/me/work").json()
    assert work["counts"] == {KIND: 2}
    titles = " ".join(i["title"] for i in work["items"])
    assert "服务对象代表" not in titles  # the seat's name is a resident's, never shown
    assert reverse("evaluation:score", args=[ev.pk, paper.pk]) in [i["link"] for i in
                                                                    work["items"]]
    # The street's staff hold their own seat, not the paper one (they do not manage).
    assert work_counts(actor=ew.users["street"]).get(KIND) == 1
    indicators = admin.get(f"/api/v1/evaluation/{ev.pk}").json()["indicators"]
    sheet = {"scores": [{"indicator_id": i["id"], "score": str(float(i["max_score"]) * 0.8)}
                        for i in indicators]}
    put = admin.put(f"/api/v1/evaluation/{ev.pk}/members/{paper.pk}/scores",
                    json.dumps(sheet), content_type="application/json")
    assert put.status_code == 200, put.content
    assert admin.get("/api/v1/me/work").json()["counts"] == {KIND: 1}


def test_a_seat_added_opens_an_item_and_removing_it_closes_it(ew: Any) -> None:
    ev = ew.evaluation(ew.projects["p"])
    assert KIND not in work_counts(actor=ew.users["evaluator2"])
    seat = services.member_add(actor=ew.users["admin"], evaluation=ev, party="expert",
                               user=ew.users["evaluator2"])
    assert work_counts(actor=ew.users["evaluator2"])[KIND] == 1
    services.member_remove(actor=ew.users["admin"], member=seat)
    assert KIND not in work_counts(actor=ew.users["evaluator2"])


def test_the_producer_counts_in_one_query_and_lists_in_one_more(ew: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wushe.inbox.registry import PRODUCERS

    ew.evaluation(ew.projects["p"], recipients=2)
    ew.evaluation(ew.project("q"), recipients=2)
    admin = ew.users["admin"]
    work_counts(actor=admin)  # the grants are read once per actor
    p = PRODUCERS[KIND]
    with CaptureQueriesContext(connection) as counted:
        assert p.query(admin).order_by().count() == 6  # its own seat and two paper seats, ×2
    with CaptureQueriesContext(connection) as listed:
        items = [p.item(o) for o in p.query(admin).order_by(*p.order_by)]
    assert (len(counted), len(listed), len(items)) == (1, 1, 6)
