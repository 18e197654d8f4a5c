"""Opening balances: what enters a figure and when, the second admin, scope, hostile input,
and the pages that show which part of a figure is the opening balance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from wushe.audit.models import AuditEvent
from wushe.core.errors import IllegalTransition, NotFound, ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.inbox.registry import PRODUCERS
from wushe.needs.models import Idea
from wushe.openings import figures, selectors, services
from wushe.openings.models import OpeningBalance, OpeningState
from wushe.reports import rollup
from wushe.reports.kpis import KPIS, Period, compute
from wushe.reports.kpis.base import grouped_many

KEY = "needs.ideas"  # a flow dated by a datetime (submitted_at)
TZ = dt.timezone(dt.timedelta(hours=8))


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


@pytest.fixture
def admins(make_user: Any, district: Any) -> tuple[Any, Any]:
    return make_user("district_admin", district, "admin_a"), make_user("district_admin", district,
                                                                       "admin_b")


def _idea(region: Any, at: dt.datetime, n: int) -> None:
    with scopes_disabled():
        Idea.objects.create(code=f"I{n:06d}", title="t", body="b", region=region,
                            region_path=region.path, channel="staff", submitted_at=at)


def _propose(actor: Any, region: Any, **kw: Any) -> OpeningBalance:
    fields: dict[str, Any] = {"kpi": KEY, "as_of": "2025-12-31", "value": "300",
                              "source": "区民政局2025年年报"}
    fields.update(kw)
    return services.opening_propose(actor=actor, region=region, **fields)


def _nothing_written() -> None:
    assert OpeningBalance.objects.unscoped().count() == 0
    assert not AuditEvent.objects.unscoped().filter(action__startswith="openings.").exists()


@pytest.mark.django_db
def test_opening_adds_to_records_after_its_date_only_once_approved(
        admins: Any, district: Any, community_a: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    a, b = admins
    # Two records on or before the balance's day (already in its figure), one after it.
    _idea(community_a, dt.datetime(2025, 6, 1, 10, tzinfo=TZ), 1)
    _idea(community_a, dt.datetime(2025, 12, 31, 23, 30, tzinfo=TZ), 2)  # the last evening
    _idea(community_a, dt.datetime(2026, 1, 1, 0, 5, tzinfo=TZ), 3)
    assert compute(district.path, Period.all(), [KEY])[KEY] == 3
    balance = _propose(a, district)
    # A draft does not count.
    assert compute(district.path, Period.all(), [KEY])[KEY] == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.opening_approve(actor=b, balance=balance)
    # 300 up to 2025-12-31, plus the one record after it: the two before are not counted twice.
    assert compute(district.path, Period.all(), [KEY])[KEY] == 301
    # A year counts records only.
    assert compute(district.path, Period.year(2025), [KEY])[KEY] == 2
    # The grouped form (the rollup) agrees; a region below the balance's is not apportioned.
    grouped = grouped_many([KPIS[KEY]], [district.path], Period.all())
    assert grouped[district.path][KEY] == 301
    assert grouped[community_a.path][KEY] == 3
    assert compute(community_a.path, Period.all(), [KEY])[KEY] == 3
    # The approval refreshed the rollup the cockpit reads.
    assert rollup.read(district.path, Period.all(), [KEY])[KEY] == 301
    split = figures.split(district.path, [KEY])[KEY]
    assert (split.opening, split.records, split.as_of) == (300, 1, dt.date(2025, 12, 31))
    assert "其中期初 300" in split.note("zh") and "区民政局2025年年报" in split.note("zh")
    assert AuditEvent.objects.unscoped().filter(action="openings.balance.approved").count() == 1


@pytest.mark.django_db
def test_a_new_approved_balance_supersedes_the_old_one_and_keeps_it(
        admins: Any, district: Any) -> None:
    a, b = admins
    first = _propose(a, district)
    services.opening_approve(actor=b, balance=first)
    second = _propose(b, district, value="352", as_of="2025-06-30")
    services.opening_approve(actor=a, balance=second)
    first.refresh_from_db()
    assert first.state == OpeningState.APPROVED and first.superseded_at is not None
    assert compute(district.path, Period.all(), [KEY])[KEY] == 352
    assert OpeningBalance.objects.unscoped().count() == 2


@pytest.mark.django_db
def test_the_proposer_cannot_approve_or_reject(admins: Any, district: Any) -> None:
    a, _b = admins
    balance = _propose(a, district)
    with pytest.raises(ValidationFailed) as exc:
        services.opening_approve(actor=a, balance=balance)
    assert exc.value.code == "four_eyes" and exc.value.zh and exc.value.en
    with pytest.raises(ValidationFailed):
        services.opening_reject(actor=a, balance=balance, reason="x")
    balance.refresh_from_db()
    assert balance.state == OpeningState.DRAFT
    assert compute(district.path, Period.all(), [KEY])[KEY] == 0


@pytest.mark.django_db
def test_reject_and_withdraw_end_a_draft(admins: Any, district: Any) -> None:
    a, b = admins
    one = services.opening_reject(actor=b, balance=_propose(a, district), reason="口径不符")
    assert one.state == OpeningState.REJECTED
    with pytest.raises(IllegalTransition):
        services.opening_approve(actor=b, balance=one)
    two = _propose(a, district)
    with pytest.raises(ValidationFailed):
        services.opening_withdraw(actor=b, balance=two)  # only the proposer withdraws
    assert services.opening_withdraw(actor=a, balance=two).state == OpeningState.WITHDRAWN
    assert compute(district.path, Period.all(), [KEY])[KEY] == 0


@pytest.mark.django_db
def test_only_a_district_admin_proposes_and_out_of_scope_is_not_found(
        admins: Any, make_user: Any, district: Any, street: Any, community_a: Any,
        root: Any) -> None:
    from wushe.regions.services import region_create

    a, _b = admins
    staff = make_user("street_staff", street)
    with pytest.raises(NotFound):
        _propose(staff, street)
    other = region_create(actor=root, code="500108000000", name="南岸区", kind="district",
                          parent=None, population=0)
    other_admin = make_user("district_admin", other, "admin_other")
    balance = _propose(a, district)
    with pytest.raises(NotFound):
        selectors.opening_get(actor=other_admin, balance_id=balance.pk)
    with pytest.raises(NotFound):
        services.opening_approve(actor=other_admin, balance=balance)
    with pytest.raises(NotFound):
        _propose(other_admin, district)
    c = client_for(other_admin)
    assert c.get(f"/openings/{balance.pk}/").status_code == 404
    assert c.post(f"/openings/{balance.pk}/approve").status_code == 404
    assert client_for(staff).get("/openings/").status_code == 404
    balance.refresh_from_db()
    assert balance.state == OpeningState.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(("kw", "code"), [
    ({"kpi": "needs.on_time_rate"}, "kpi_not_additive"),  # a rate
    ({"kpi": "volunteers.total"}, "kpi_not_additive"),  # a stock: the current state
    ({"kpi": "needs.nonexistent"}, "kpi"),
    ({"value": "-1"}, "number_range"),
    ({"value": "1e15"}, "number_range"),
    ({"value": "99999999999"}, "number_range"),
    ({"value": "٣٠٠"}, "not_ascii"),  # Arabic-Indic digits
    ({"value": "12.5"}, "number_places"),  # a count is whole
    ({"value": "NaN"}, "number_range"),
    ({"as_of": "2099-01-01"}, "date_future"),
    ({"as_of": "yesterday"}, "date_format"),
    ({"source": ""}, "required"),
])
def test_hostile_input_is_refused_in_both_languages_and_writes_nothing(
        admins: Any, district: Any, kw: dict[str, Any], code: str) -> None:
    a, _b = admins
    with pytest.raises(ValidationFailed) as exc:
        _propose(a, district, **kw)
    body = exc.value.as_dict()
    assert body["code"] == code, body
    assert body["message"]["zh"] and body["message"]["en"]  # type: ignore[index]
    _nothing_written()


@pytest.mark.django_db
def test_nested_balances_of_one_figure_are_refused(admins: Any, district: Any,
                                                   street: Any) -> None:
    a, b = admins
    services.opening_approve(actor=b, balance=_propose(a, district))
    with pytest.raises(ValidationFailed) as exc:
        _propose(a, street)
    assert exc.value.code == "nested"
    assert OpeningBalance.objects.unscoped().count() == 1


@pytest.mark.django_db
def test_the_second_admin_sees_it_in_the_inbox_and_the_proposer_does_not(
        admins: Any, district: Any) -> None:
    a, b = admins
    balance = _propose(a, district)
    query = PRODUCERS["openings.balance.approve"].query
    assert list(query(b)) == [balance]
    assert list(query(a)) == []
    item = PRODUCERS["openings.balance.approve"].item(balance)
    assert "自治金点子" in item.title and KEY not in item.title


@pytest.mark.django_db
def test_pages_propose_by_chinese_label_and_approve(admins: Any, district: Any) -> None:
    a, b = admins
    ca, cb = client_for(a), client_for(b)
    page = ca.get("/openings/new")
    assert page.status_code == 200
    text = page.content.decode()
    assert "自治金点子" in text and f">{KEY}<" not in text
    assert "按时办结率" not in text  # a rate is not offered
    r = ca.post("/openings/new", {"kpi": KEY, "region": str(district.pk), "as_of": "2025-12-31",
                                  "value": "٣٠٠", "source": "区民政局年报"})
    assert r.status_code == 400 and OpeningBalance.objects.unscoped().count() == 0
    r = ca.post("/openings/new", {"kpi": KEY, "region": str(district.pk), "as_of": "2025-12-31",
                                  "value": "300", "source": "区民政局年报"})
    assert r.status_code == 302
    balance = OpeningBalance.objects.unscoped().get()
    assert "opening-decide" not in ca.get(f"/openings/{balance.pk}/").content.decode()
    assert "opening-decide" in cb.get(f"/openings/{balance.pk}/").content.decode()
    cb.post(f"/openings/{balance.pk}/approve")
    balance.refresh_from_db()
    assert balance.state == OpeningState.APPROVED
    listing = ca.get("/openings/").content.decode()
    assert "自治金点子" in listing and "区民政局年报" in listing


@pytest.mark.django_db
def test_the_api_lists_balances_in_scope(admins: Any, district: Any) -> None:
    a, b = admins
    balance = _propose(a, district)
    services.opening_approve(actor=b, balance=balance)
    r = client_for(a).get("/api/v1/openings")
    assert r.status_code == 200, r.content
    rows = r.json()["items"] if isinstance(r.json(), dict) else r.json()
    assert rows[0]["kpi"] == KEY and rows[0]["value"] == "300.00"
    assert client_for(a).get(f"/api/v1/openings/{balance.pk}").json()["state"] == "approved"
    assert client_for(a).get("/api/v1/openings/999999").status_code == 404


def test_which_figures_take_a_balance() -> None:
    assert figures.accepts(KPIS[KEY])
    assert not figures.accepts(KPIS["volunteers.total"])
    assert figures.plus(KPIS[KEY], 1, Decimal("300")) == 301


@pytest.mark.django_db
def test_the_cockpit_and_the_annual_report_show_the_opening_part(
        admins: Any, district: Any, community_a: Any) -> None:
    from wushe.reports.annual import build_document, render

    a, b = admins
    _idea(community_a, dt.datetime(2026, 2, 1, 9, tzinfo=TZ), 1)
    page = client_for(a).get(f"/reports/?region={district.code}&year=2026").content.decode()
    assert "其中期初" not in page  # nothing to mark before an approval
    services.opening_approve(actor=b, balance=_propose(a, district))
    page = client_for(a).get(f"/reports/?region={district.code}&year=2026").content.decode()
    assert 'data-testid="openings"' in page
    assert "自治金点子" in page and "其中期初 300" in page and "截至 2025-12-31" in page
    assert "区民政局2025年年报" in page
    doc = build_document(district, 2026, "zh")
    history = [s for s in doc.sections if s.key == "openings"]
    assert history, [s.key for s in doc.sections]
    text = history[0].paragraphs[0].plain("zh")
    assert text.startswith("自治金点子累计301") and "其中期初 300" in text and "平台记录1" in text
    assert "其中期初 300" in render.html_fragment(doc)


def test_records_on_or_before_the_date_are_those_of_the_balance_region_by_day_or_year() -> None:
    balance = figures.Balance("x", "500107001", dt.date(2025, 12, 31), Decimal(5), "s")
    # A date field: before the day after as_of.
    day = str(figures.before_q(KPIS["supervision.total"], [balance]))
    assert "('done_on__lt', datetime.date(2026, 1, 1))" in day and "500107001" in day
    # A datetime field: before local midnight at the end of as_of (Asia/Shanghai).
    moment = str(figures.before_q(KPIS[KEY], [balance]))
    assert "submitted_at__lt" in moment and "2026, 1, 1, 0, 0" in moment
    # A year number: the years up to as_of's year.
    year = str(figures.before_q(KPIS["projects.total"], [balance]))
    assert "('year__lte', 2025)" in year
    assert figures.plus(KPIS["charity.raised_yuan"], 10.5, Decimal("0.25")) == 10.75
