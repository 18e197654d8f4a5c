"""QR check-in (#21 item 4): the rotating code, the volunteer's phone page, the record it makes,
refusals that write nothing, who sees the QR, and the volunteer's own activities in the API."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from wushe.audit.models import AuditEvent
from wushe.volunteers import checkin, services
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import Activity, RecordStatus, ServiceRecord, SignUp, SignUpStatus
from wushe.volunteers.tests.factories import VWorld
from wushe.volunteers.tests.test_api import bearer

RECORD_FIELDS = ("team_id", "activity_id", "started_at", "ended_at", "hours", "content",
                 "status", "service_date", "region_path", "team_path")


def _activity(vw: VWorld, start: dt.datetime, *, team: str = "squad_a",
              leader: str = "leader_a", title: str = "助老探访") -> Activity:
    t = getattr(vw, team)
    a = services.activity_create(actor=vw.users[leader], team=t, region=t.region, title=title,
                                 kind="care", place="党群服务中心", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=6), capacity=5)
    return services.activity_set_status(actor=vw.users[leader], activity=a, status="open")


def _writes() -> tuple[int, int, list[str]]:
    """What a refused scan must leave untouched: records, audit rows, sign-up states."""
    return (ServiceRecord.objects.unscoped().count(), AuditEvent.objects.unscoped().count(),
            list(SignUp.objects.unscoped().order_by("pk").values_list("status", flat=True)))


@pytest.fixture
def started(vw: VWorld) -> tuple[Activity, SignUp, dt.datetime]:
    start = (timezone.now() - dt.timedelta(hours=5)).replace(microsecond=0)
    a = _activity(vw, start)
    s = services.signup_create(actor=vw.users["vol_user"], activity=a,
                               volunteer=vw.volunteers["a1"])
    return a, s, start


# The code ----------------------------------------------------------------------------------

@override_settings(WUSHE_CHECKIN_QR_SECONDS=180)
def test_code_is_good_in_its_window_and_the_next_and_expired_after() -> None:
    now = time.time()
    n = checkin.current_window(now)
    assert checkin.parse(checkin.code_for(7, window=n), now=now).activity_id == 7
    assert checkin.parse(checkin.code_for(7, window=n - 1), now=now).window == n - 1
    with pytest.raises(checkin.CodeExpired) as exc:
        checkin.parse(checkin.code_for(7, window=n - 2), now=now)
    assert exc.value.message["zh"] and exc.value.message["en"]
    with pytest.raises(checkin.CodeInvalid):  # never shown yet
        checkin.parse(checkin.code_for(7, window=n + 1), now=now)
    # The window follows the setting: at 60 s the same instant is a later window.
    with override_settings(WUSHE_CHECKIN_QR_SECONDS=60):
        assert checkin.current_window(now) == int(now // 60)
    # The code changes from one window to the next.
    assert checkin.code_for(7, window=n) != checkin.code_for(7, window=n + 1)


def test_another_activitys_code_and_forged_codes_are_refused() -> None:
    n = checkin.current_window()
    _id, window, mac = checkin.code_for(7, window=n).split(".")
    for forged in (f"8.{window}.{mac}",  # activity 7's MAC on activity 8
                   f"7.{n - 1}.{mac}",  # the MAC of one window on another
                   f"7.{window}.{'A' * 22}",
                   f"7.{window}.{mac[:-1]}",
                   f"7.{window}.{mac}x"):
        with pytest.raises(checkin.CodeInvalid):
            checkin.parse(forged)


def test_codes_are_keyed_by_the_secret_key() -> None:
    code = checkin.code_for(7)
    with override_settings(SECRET_KEY="another-installation-" + "x" * 40):
        assert checkin.code_for(7) != code
        with pytest.raises(checkin.CodeInvalid):
            checkin.parse(code)


# The volunteer's phone page ------------------------------------------------------------------

def test_check_in_then_out_makes_the_same_pending_record_as_the_leaders(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime]) -> None:
    activity, signup, _start = started
    other = services.signup_create(actor=vw.users["leader_a"], activity=activity,
                                   volunteer=vw.volunteers["a2"])
    phone = vw.client("vol_user")
    url = checkin.checkin_path(activity.pk)
    page = phone.get(url)
    assert page.status_code == 200
    assert "助老探访" in page.content.decode() and 'value="checkin"' in page.content.decode()
    assert phone.post(url, {"action": "checkin"}).status_code == 200
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CHECKED_IN and signup.checked_in_at is not None
    assert abs(signup.checked_in_at - timezone.now()) < dt.timedelta(minutes=1)
    # Two and a half hours of service pass (the check-in moved back, as if scanned then).
    checked_in = (timezone.now() - dt.timedelta(hours=2, minutes=30)).replace(microsecond=0)
    SignUp.objects.unscoped().filter(pk=signup.pk).update(checked_in_at=checked_in)
    services.signup_check_in(actor=vw.users["leader_a"], signup=other, at=checked_in)
    url = checkin.checkin_path(activity.pk)  # scanned again when leaving
    assert 'value="checkout"' in phone.get(url).content.decode()
    done = phone.post(url, {"action": "checkout"})
    assert done.status_code == 200 and "待负责人确认" in done.content.decode()
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CHECKED_OUT and signup.checked_out_at is not None
    leaders = services.signup_check_out(actor=vw.users["leader_a"], signup=other,
                                        at=signup.checked_out_at)
    mine = ServiceRecord.objects.unscoped().get(volunteer=vw.volunteers["a1"])
    assert mine.status == RecordStatus.PENDING and mine.hours >= Decimal("2.50")
    assert {f: getattr(mine, f) for f in RECORD_FIELDS} == \
        {f: getattr(leaders, f) for f in RECORD_FIELDS}
    # Audited as the leader's check-in and check-out are, by the volunteer, marked as a scan.
    events = AuditEvent.objects.unscoped().filter(target_id=str(signup.pk), action__in=[
        VolunteerAction.SIGNUP_CHECKED_IN, VolunteerAction.SIGNUP_CHECKED_OUT]).order_by("pk")
    assert [(e.action, e.actor_id, e.data["via"]) for e in events] == [
        (VolunteerAction.SIGNUP_CHECKED_IN, vw.users["vol_user"].pk, "qr"),
        (VolunteerAction.SIGNUP_CHECKED_OUT, vw.users["vol_user"].pk, "qr")]
    # A second check-out (the button pressed twice) makes no second record.
    again = phone.post(checkin.checkin_path(activity.pk), {"action": "checkout"})
    assert again.status_code == 409
    assert ServiceRecord.objects.unscoped().filter(volunteer=vw.volunteers["a1"]).count() == 1


def test_expired_and_foreign_codes_are_refused_in_both_languages_and_write_nothing(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime]) -> None:
    activity, _signup, _start = started
    other = _activity(vw, timezone.now() - dt.timedelta(hours=1), title="另一活动")
    phone = vw.client("vol_user")
    n = checkin.current_window()
    _i, window, mac = checkin.code_for(other.pk, window=n).split(".")
    before = _writes()
    for code, status, error in (
            (checkin.code_for(activity.pk, window=n - 2), 400, "checkin_code_expired"),
            (f"{activity.pk}.{window}.{mac}", 400, "checkin_code_invalid"),
            (checkin.code_for(activity.pk, window=n + 5), 400, "checkin_code_invalid")):
        for response in (phone.get(f"/v/checkin/{code}"),
                         phone.post(f"/v/checkin/{code}", {"action": "checkin"})):
            body = response.content.decode()
            assert response.status_code == status, code
            assert f'data-code="{error}"' in body
            assert ("二维码" in body) and ("code" in body)  # both languages on the page
    assert _writes() == before


@pytest.mark.parametrize("code", [
    "١٢.٣٤٥.AAAAAAAAAAAAAAAAAAAAAA",  # Arabic-Indic digits
    "１２.３４５.AAAAAAAAAAAAAAAAAAAAAA",  # full-width digits
    "1" * 5000,
    "1." + "9" * 40 + ".AAAAAAAAAAAAAAAAAAAAAA",
    "%00",
    "1.2.<script>alert(1)</script>",
    "..",
])
def test_hostile_codes_are_a_bilingual_400_and_write_nothing(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime], code: str) -> None:
    phone = vw.client("vol_user")
    before = _writes()
    for response in (phone.get(f"/v/checkin/{code}"),
                     phone.post(f"/v/checkin/{code}", {"action": "checkin"})):
        assert response.status_code in (400, 404)
        body = response.content.decode()
        if response.status_code == 400:
            assert "签到二维码无效" in body and "not valid" in body
        assert "<script>alert" not in body
    assert _writes() == before


def test_a_hostile_code_built_with_a_valid_mac_of_non_ascii_digits_is_refused() -> None:
    # int() reads other scripts' digits; the code's grammar must not.
    n = checkin.current_window()
    valid = checkin.code_for(12, window=n)
    _i, window, mac = valid.split(".")
    with pytest.raises(checkin.CodeInvalid):
        checkin.parse(f"١٢.{window}.{mac}")


def test_a_volunteer_not_signed_up_is_refused_like_the_leaders_check_in(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime]) -> None:
    activity, signup, _start = started
    # vol_user_b's volunteer (another street's squad) never signed up for this activity.
    before = _writes()
    response = vw.client("vol_user_b").post(checkin.checkin_path(activity.pk),
                                            {"action": "checkin"})
    assert response.status_code == 409 and 'data-code="not_signed_up"' in response.content.decode()
    # A cancelled sign-up is no sign-up.
    services.signup_cancel(actor=vw.users["vol_user"], signup=signup)
    before = _writes()
    response = vw.client("vol_user").post(checkin.checkin_path(activity.pk),
                                          {"action": "checkin"})
    assert response.status_code == 409 and _writes() == before
    # An account without a volunteer record is told so; a staff account checks nobody in.
    response = vw.client("staff_a").post(checkin.checkin_path(activity.pk),
                                         {"action": "checkin"})
    assert response.status_code == 404 and _writes() == before


def test_check_out_before_check_in_and_unknown_actions_write_nothing(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime]) -> None:
    activity, _signup, _start = started
    phone = vw.client("vol_user")
    before = _writes()
    assert phone.post(checkin.checkin_path(activity.pk), {"action": "checkout"}).status_code == 409
    assert phone.post(checkin.checkin_path(activity.pk), {"action": "delete"}).status_code == 400
    assert phone.post(checkin.checkin_path(activity.pk), {}).status_code == 400
    assert _writes() == before


def test_anonymous_scan_goes_to_sign_in(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime]) -> None:
    activity, _signup, _start = started
    response = Client().get(checkin.checkin_path(activity.pk))
    assert response.status_code == 302 and "login" in response["Location"]


# Who sees the QR ------------------------------------------------------------------------------

def test_only_those_who_manage_the_activity_see_its_qr(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime]) -> None:
    activity, _signup, _start = started
    page = vw.client("leader_a").get(f"/volunteers/activities/{activity.pk}/").content.decode()
    assert "<svg" in page and 'data-checkin-url="http://testserver/v/checkin/' in page
    assert "无法扫码?打开此链接" in page
    partial = vw.client("leader_a").get(f"/volunteers/activities/{activity.pk}/qr",
                                        HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and b"<svg" in partial.content
    assert b"<html" not in partial.content and b'hx-trigger="every 60s"' in partial.content
    # The volunteer may open the activity page, but sees no code to check others in with.
    mine = vw.client("vol_user").get(f"/volunteers/activities/{activity.pk}/")
    assert mine.status_code == 200 and b"data-checkin-url" not in mine.content
    for username in ("vol_user", "leader_b", "staff_c"):
        qr = vw.client(username).get(f"/volunteers/activities/{activity.pk}/qr")
        assert qr.status_code == 404, username


def test_a_draft_shows_no_code(vw: VWorld) -> None:
    start = timezone.now() + dt.timedelta(days=2)
    a = services.activity_create(actor=vw.users["leader_a"], team=vw.squad_a,
                                 region=vw.community_a, title="草稿", kind="care", place="x",
                                 starts_at=start, ends_at=start + dt.timedelta(hours=2),
                                 capacity=5)
    page = vw.client("leader_a").get(f"/volunteers/activities/{a.pk}/").content.decode()
    assert "data-checkin-url" not in page and "活动开放后显示签到码" in page


# The volunteer's own activities in the API --------------------------------------------------

def test_the_api_lists_a_volunteers_own_activities_as_its_page_does(
        vw: VWorld, started: tuple[Activity, SignUp, dt.datetime]) -> None:
    signed_up, _signup, _start = started
    future = timezone.now() + dt.timedelta(days=3)
    upcoming = _activity(vw, future, title="重阳节探访")  # open, not signed up: offered
    above = _activity(vw, future, team="det_a", leader="leader_det_a", title="街道活动")
    draft = services.activity_create(actor=vw.users["leader_a"], team=vw.squad_a,
                                     region=vw.community_a, title="草稿", kind="care",
                                     place="x", starts_at=future,
                                     ends_at=future + dt.timedelta(hours=2), capacity=5)
    elsewhere = _activity(vw, future, team="squad_b", leader="leader_b", title="别队活动")
    page = vw.client("vol_user").get("/volunteers/me/").content.decode()
    response = Client().get("/api/v1/volunteers/activities", **bearer("vol_user"))
    assert response.status_code == 200
    listed = {a["id"] for a in response.json()["items"]}
    assert {signed_up.pk, upcoming.pk, above.pk} <= listed
    for a in (signed_up, upcoming, above):
        assert f"/volunteers/activities/{a.pk}/" in page  # the same ones the page lists
    assert draft.pk not in listed and elsewhere.pk not in listed
    # The other street's volunteer sees its own team's activity, not these.
    other = Client().get("/api/v1/volunteers/activities", **bearer("vol_user_b")).json()
    assert {a["id"] for a in other["items"]} == {elsewhere.pk}
    # A leader's list is unchanged: its team's activities, drafts included.
    leader = Client().get("/api/v1/volunteers/activities", **bearer("leader_a")).json()
    assert {signed_up.pk, upcoming.pk, draft.pk} <= {a["id"] for a in leader["items"]}
    assert elsewhere.pk not in {a["id"] for a in leader["items"]}
