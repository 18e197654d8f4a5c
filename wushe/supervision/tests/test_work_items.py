"""The supervision app's work items (supervision/work.py through inbox/): a planned visit whose
day has come waits for whoever may record it and closes when recorded (page, API); the
periodic job supervision.schedules opens them; an overdue rectification waits for whoever may
close it and closes when closed (page, API). Another street's staff neither see nor open them,
and the items carry no free text."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wushe.core.scoping import scopes_disabled
from wushe.inbox.selectors import work_counts
from wushe.supervision import services
from wushe.supervision.models import Supervision
from wushe.supervision.tests.conftest import checks, visit

VISIT = "supervision.visit.due"
RECT = "supervision.rectification.overdue"
TODAY = timezone.localdate()
PAST = TODAY - dt.timedelta(days=20)


def _json(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _due(project: Any) -> int:
    with scopes_disabled():
        return Supervision.objects.filter(project=project, status="planned",
                                          scheduled_on__lte=TODAY).count()


def test_the_schedule_job_opens_due_visits_for_their_supervisors_only(sw: Any) -> None:
    assert VISIT not in work_counts(actor=sw.users["worker"])
    call_command("tick", only=["supervision.schedules"], all=True, stdout=StringIO())
    a, b, c = (sw.projects[k] for k in ("a", "b", "c"))
    assert _due(a) > 0
    assert work_counts(actor=sw.users["worker"])[VISIT] == _due(a)  # community A's worker
    assert work_counts(actor=sw.users["street"])[VISIT] == (
        _due(a) + _due(b) + _due(sw.projects["street"]))
    assert work_counts(actor=sw.users["street_b"])[VISIT] == _due(c)
    # Community staff see supervision but do not record it; the auditor only reads.
    for who in ("staff_a", "staff_b", "auditor", "evaluator"):
        assert VISIT not in work_counts(actor=sw.users[who]), who
    with scopes_disabled():
        first = (Supervision.objects.filter(project=a, status="planned")
                 .order_by("scheduled_on", "id").first())
    assert first is not None
    link = reverse("supervision:visit", args=[first.pk])
    home = sw.client("worker").get("/").content.decode()
    assert f'data-kind="{VISIT}"' in home and f'href="{link}"' in home and a.code in home
    assert sw.client("street_b").get(link).status_code == 404
    assert link not in sw.client("street_b").get("/").content.decode()


def test_a_due_visit_closes_when_recorded_on_the_page_and_through_the_api(sw: Any) -> None:
    first = visit(sw.projects["a"], PAST)
    second = visit(sw.projects["a"], TODAY)
    visit(sw.projects["a"], TODAY + dt.timedelta(days=10))  # not yet due
    assert work_counts(actor=sw.users["worker"])[VISIT] == 2
    form = {"done_on": PAST.isoformat(), "progress_result": "ok", "spending_result": "ok",
            "spent_amount": "30000", "staffing_result": "ok", "staff_on_post": "3",
            "outcomes_result": "ok", "findings": "总体正常"}
    posted = sw.client("street").post(reverse("supervision:visit_record", args=[first.pk]), form)
    assert posted.status_code == 302
    assert work_counts(actor=sw.users["worker"])[VISIT] == 1
    api = _json(sw.client("worker"), f"/api/v1/supervision/visits/{second.pk}/record",
                {**checks(), "done_on": TODAY.isoformat()})
    assert api.status_code == 200, api.content
    assert VISIT not in work_counts(actor=sw.users["worker"])


def test_an_overdue_rectification_waits_for_whoever_may_close_it(sw: Any) -> None:
    v = visit(sw.projects["a"], PAST)
    street = sw.users["street"]
    services.supervision_record(actor=street, supervision=v, done_on=PAST, **checks())
    late = services.rectification_add(actor=street, supervision=v, item="王小明家门口台阶整改",
                                       due_on=PAST + dt.timedelta(days=5))
    later = services.rectification_add(actor=street, supervision=v, item="补充台账",
                                       due_on=PAST + dt.timedelta(days=6))
    services.rectification_add(actor=street, supervision=v, item="未到期",
                               due_on=TODAY + dt.timedelta(days=5))
    assert work_counts(actor=sw.users["worker"])[RECT] == 2
    assert work_counts(actor=street)[RECT] == 2
    for who in ("street_b", "staff_a", "auditor"):
        assert RECT not in work_counts(actor=sw.users[who]), who
    home = sw.client("worker").get("/").content.decode()
    assert f'data-kind="{RECT}"' in home and "王小明" not in home and "台阶" not in home
    closed = sw.client("street").post(reverse("supervision:rectification_close",
                                              args=[late.pk]),
                                      {"closed_on": TODAY.isoformat(), "note_text": "已整改"})
    assert closed.status_code == 302
    assert work_counts(actor=street)[RECT] == 1
    api = _json(sw.client("worker"), f"/api/v1/supervision/rectifications/{later.pk}/close",
                {"closed_on": TODAY.isoformat(), "note": "已补充"})
    assert api.status_code == 200, api.content
    assert RECT not in work_counts(actor=street)


def test_each_producer_counts_in_one_query_and_lists_in_one_more(sw: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wushe.inbox.registry import PRODUCERS

    street = sw.users["street"]
    for key in ("a", "b"):
        v = visit(sw.projects[key], PAST)
        visit(sw.projects[key], PAST + dt.timedelta(days=1))
        services.supervision_record(actor=street, supervision=v, done_on=PAST, **checks())
        for n in (1, 2):
            services.rectification_add(actor=street, supervision=v, item=f"整改{n}",
                                       due_on=PAST + dt.timedelta(days=n))
    work_counts(actor=street)  # the grants are read once per actor
    for code, expected in ((VISIT, 2), (RECT, 4)):  # one planned visit and two items each
        p = PRODUCERS[code]
        with CaptureQueriesContext(connection) as counted:
            n = p.query(street).order_by().count()
        with CaptureQueriesContext(connection) as listed:
            items = [p.item(o) for o in p.query(street).order_by(*p.order_by)]
        assert (len(counted), len(listed), n, len(items)) == (1, 1, expected, expected), code
