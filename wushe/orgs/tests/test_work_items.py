"""The organisations app's work items (orgs/work.py through inbox/): an incubation whose
follow-up or field visit is due waits for whoever may record it (orgs.manage over the
organisation's region) and closes once both are recorded (page, API); a rating ending within
the notice period waits for whoever may award the next (orgs.rate) and closes when a new one
is awarded (page, API). Other streets, the organisation's own staff and readers see nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from wushe.inbox.selectors import work_counts
from wushe.orgs.models import Rating
from wushe.orgs.ratings import add_years
from wushe.orgs.services import follow_up_record, incubation_start
from wushe.orgs.tests.factories import incubating

FOLLOW = "orgs.incubation.followup"
RATING = "orgs.rating.expiring"
TODAY = timezone.localdate()


def _incubation(ow: Any, name: str, started: int) -> Any:
    org = incubating(ow.users["admin"], ow.street, name=name, person_in_charge="张三",
                     venue="基地", activity_area="杨家坪")
    return incubation_start(actor=ow.users["street"], org=org, base=ow.incubator,
                            started_on=TODAY - dt.timedelta(days=started))


def test_a_due_follow_up_waits_for_the_streets_managers_and_closes_when_recorded(ow: Any) -> None:
    late = _incubation(ow, "石坪桥邻里互助会", 120)
    follow_up_record(actor=ow.users["street"], incubation=late, kind="follow_up", notes="电话跟踪",
                     on=TODAY - dt.timedelta(days=45))
    _incubation(ow, "杨坪新芽社", 10)  # entered ten days ago: nothing due yet
    assert work_counts(actor=ow.users["street"])[FOLLOW] == 1
    assert work_counts(actor=ow.users["admin"])[FOLLOW] == 1
    for who in ("street_b", "staff_a", "org_staff", "auditor", "volunteer"):
        assert FOLLOW not in work_counts(actor=ow.users[who]), who
    link = reverse("orgs:incubation", args=[late.pk])
    home = ow.client("street").get("/").content.decode()
    assert f'data-kind="{FOLLOW}"' in home and f'href="{link}"' in home
    assert "石坪桥邻里互助会" in home and "张三" not in home
    assert ow.client("street_b").get(link).status_code == 404
    # The field visit (entry + 90 days) is the older of the two: due 30 days ago.
    item = ow.client("street").get("/api/v1/me/work").json()["items"][0]
    assert item["due"] == (TODAY - dt.timedelta(days=30)).isoformat()
    assert item["colour"] == "overdue"
    # A follow-up recorded on the page leaves the field visit due; the API records that.
    page = ow.client("street").post(reverse("orgs:follow_up_add", args=[late.pk]),
                                    {"kind": "follow_up", "notes": "电话跟踪"})
    assert page.status_code == 302
    assert work_counts(actor=ow.users["street"])[FOLLOW] == 1
    api = ow.client("street").post(f"/api/v1/orgs/incubations/{late.pk}/follow-ups",
                                   json.dumps({"kind": "field_visit", "notes": "实地查看"}),
                                   content_type="application/json")
    assert api.status_code == 201, api.content
    assert FOLLOW not in work_counts(actor=ow.users["street"])


def _rating(org: Any, *, ends_in: int) -> Rating:
    """A current 4A rating ending ``ends_in`` days from today (awarded five years earlier)."""
    until = TODAY + dt.timedelta(days=ends_in)
    return Rating.objects.unscoped().create(
        org=org, region_path=org.region_path, grade=4, score=Decimal("910"),
        awarded_on=add_years(until + dt.timedelta(days=1), -5), valid_until=until)


def test_an_expiring_rating_waits_for_the_raters_and_closes_when_renewed(ow: Any) -> None:
    _rating(ow.orgs["a"], ends_in=30)
    _rating(ow.orgs["b"], ends_in=90)
    _rating(ow.orgs["c"], ends_in=400)  # beyond the notice period (180 days)
    work = ow.client("admin").get("/api/v1/me/work").json()
    assert work["counts"] == {RATING: 2}
    first = work["items"][0]
    assert first["link"] == reverse("orgs:detail", args=[ow.orgs["a"].pk])
    assert first["due"] == (TODAY + dt.timedelta(days=30)).isoformat()
    assert "九龙社会工作服务中心" in first["title"] and "4A" in first["title"]
    for who in ("street", "street_b", "staff_a", "org_staff", "auditor"):
        assert RATING not in work_counts(actor=ow.users[who]), who
    assert ow.client("street_b").get(first["link"]).status_code == 404
    page = ow.client("admin").post(reverse("orgs:rate", args=[ow.orgs["a"].pk]),
                                   {"score": "905"})
    assert page.status_code == 302
    assert work_counts(actor=ow.users["admin"])[RATING] == 1
    api = ow.client("admin").post(f"/api/v1/orgs/{ow.orgs['b'].pk}/ratings",
                                  json.dumps({"score": "955"}), content_type="application/json")
    assert api.status_code == 201, api.content
    assert RATING not in work_counts(actor=ow.users["admin"])


def test_each_producer_counts_in_one_query_and_lists_in_one_more(ow: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wushe.inbox.registry import PRODUCERS

    late = _incubation(ow, "石坪桥邻里互助会", 120)
    follow_up_record(actor=ow.users["admin"], incubation=late, kind="follow_up", notes="电话跟踪",
                     on=TODAY - dt.timedelta(days=45))
    _incubation(ow, "黄桷坪新芽社", 200)
    _rating(ow.orgs["a"], ends_in=30)
    _rating(ow.orgs["b"], ends_in=60)
    admin = ow.users["admin"]
    work_counts(actor=admin)  # the grants are read once per actor
    for code in (FOLLOW, RATING):
        p = PRODUCERS[code]
        with CaptureQueriesContext(connection) as counted:
            assert p.query(admin).order_by().count() == 2
        with CaptureQueriesContext(connection) as listed:
            items = [p.item(o) for o in p.query(admin).order_by(*p.order_by)]
        assert (len(counted), len(listed), len(items)) == (1, 1, 2), code
