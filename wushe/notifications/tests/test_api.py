# ruff: noqa: F811  (fixtures imported from the needs tests)
"""/api/v1/me/notifications, /me/notification-preferences and /notifications/deliveries:
own only (another's is 404), bounds refused clearly, hostile phones refused with nothing
changed, the preference audited without its phone, the outbox for district admins only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wushe.audit.models import AuditEvent
from wushe.needs.tests.conftest import bearer, district_user  # noqa: F401  (fixture)
from wushe.notifications.models import Delivery, DeliveryState, Notification, Preference

API = "/api/v1/me/notifications"
PREFS = "/api/v1/me/notification-preferences"
OUTBOX = "/api/v1/notifications/deliveries"


def note(user: Any, key: str, **kw: Any) -> Notification:
    return Notification.objects.create(recipient=user, kind="needs.need.accept", key=key,
                                       title=f"N {key}", link="http://x/needs/1/", **kw)


def test_list_is_own_newest_first_with_unread(staff_a: Any, staff_b: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    old = note(staff_a, "a", created_at=timezone.now() - dt.timedelta(hours=1))
    new = note(staff_a, "b")
    note(staff_b, "c")
    body = Client().get(API, **bearer(staff_a.username)).json()
    assert [i["id"] for i in body["items"]] == [new.pk, old.pk]
    assert body["unread"] == 2 and body["count"] == 2
    paged = Client().get(f"{API}?limit=1&offset=1", **bearer(staff_a.username)).json()
    assert [i["id"] for i in paged["items"]] == [old.pk]


def test_read_own_and_another_is_not_found(staff_a: Any, staff_b: Any) -> None:
    mine, theirs = note(staff_a, "a"), note(staff_b, "b")
    auth = bearer(staff_a.username)
    ok = Client().post(f"{API}/{mine.pk}/read", **auth)
    assert ok.status_code == 200 and ok.json()["read_at"]
    missing = Client().post(f"{API}/{theirs.pk}/read", **auth)
    assert missing.status_code == 404 and missing.json()["message"]["zh"]
    absent = Client().post(f"{API}/99999999/read", **auth)
    assert absent.status_code == 404 and absent.json()["code"] == missing.json()["code"]
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Client().get(API, **auth).json()["unread"] == 0


def test_read_all_marks_only_own(staff_a: Any, staff_b: Any) -> None:
    note(staff_a, "a"), note(staff_a, "b"), note(staff_b, "c")
    done = Client().post(f"{API}/read-all", **bearer(staff_a.username)).json()
    assert done["marked"] == 2
    assert Notification.objects.filter(recipient=staff_b, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=99999999999999999999",
                                   "offset=-1", "offset=5001", "limit=x"])
def test_bounds_are_refused_clearly(staff_a: Any, query: str) -> None:
    r = Client().get(f"{API}?{query}", **bearer(staff_a.username))
    assert r.status_code == 422, query
    assert r.json()["message"]["zh"] and r.json()["message"]["en"]


@pytest.mark.parametrize("nid", ["0", "-1", "99999999999999999999999", "abc"])
def test_bad_ids_are_refused_not_500(staff_a: Any, nid: str) -> None:
    r = Client().post(f"{API}/{nid}/read", **bearer(staff_a.username))
    assert r.status_code in (404, 422), nid


def test_anonymous_is_refused() -> None:
    assert Client().get(API).status_code == 401


def test_preferences_put_and_get_masked(staff_a: Any) -> None:
    auth = bearer(staff_a.username)
    r = Client().put(PREFS, {"sms": True, "phone": "１３９１２３４５６７８", "quiet_hours": False},
                     content_type="application/json", **auth)
    assert r.status_code == 200, r.content
    assert r.json() == {"email": False, "sms": True, "chat": False, "phone": "139****5678",
                        "quiet_hours": False, "digest": False}
    pref = Preference.objects.get(user=staff_a)
    assert pref.phone == "13912345678"
    ev = AuditEvent.objects.unscoped().filter(action="notifications.preference.changed").get()
    assert ev.actor_id == staff_a.pk and "13912345678" not in str(ev.data) \
        and "5678" not in str(ev.data)
    assert ev.data["phone_set"] is True and ev.data["changed"]["sms"] == [False, True]
    assert Client().get(PREFS, **auth).json()["phone"] == "139****5678"


@pytest.mark.parametrize("phone", ["١٣٩١٢٣٤٥٦٧٨", "139\u200b12345678", "02368781234", "1391234567",
                                   "12912345678", "x" * 41])
def test_hostile_phone_is_refused_and_changes_nothing(staff_a: Any, phone: str) -> None:
    auth = bearer(staff_a.username)
    r = Client().put(PREFS, {"sms": True, "phone": phone}, content_type="application/json",
                     **auth)
    assert r.status_code in (400, 422), phone
    assert r.json()["message"]["zh"] and r.json()["message"]["en"]
    assert not Preference.objects.filter(user=staff_a).exists()
    assert not AuditEvent.objects.unscoped().filter(action="notifications.preference.changed").exists()


def test_sms_without_phone_and_unknown_fields_are_refused(staff_a: Any) -> None:
    auth = bearer(staff_a.username)
    assert Client().put(PREFS, {"sms": True}, content_type="application/json",
                        **auth).status_code == 400
    assert Client().put(PREFS, {"pager": True}, content_type="application/json",
                        **auth).status_code == 422
    assert not Preference.objects.filter(user=staff_a).exists()


def delivery(state: str = DeliveryState.FAILED) -> Delivery:
    return Delivery.objects.create(key=f"k-{state}", channel="sms", resolver="account.phone",
                                   ref=1, kind="needs.need.accept", text="N2026 · due", state=state)


def test_outbox_is_for_district_admins_only(staff_a: Any, district_user: Any,
                                            django_capture_on_commit_callbacks: Any) -> None:
    failed, sent = delivery(), delivery(DeliveryState.SENT)
    other = Client().get(OUTBOX, **bearer(staff_a.username))
    assert other.status_code == 404
    assert Client().post(f"{OUTBOX}/{failed.pk}/retry",
                         **bearer(staff_a.username)).status_code == 404
    auth = bearer(district_user.username)
    body = Client().get(OUTBOX, **auth).json()
    assert body["counts"]["failed"] == 1 and body["counts"]["sent"] == 1 and body["count"] == 2
    assert "resolver" not in body["items"][0] and "ref" not in body["items"][0]
    only = Client().get(f"{OUTBOX}?state=failed&channel=sms", **auth).json()
    assert [i["id"] for i in only["items"]] == [failed.pk]
    assert Client().get(f"{OUTBOX}?state=nope", **auth).status_code == 400
    assert Client().get(f"{OUTBOX}?channel=fax", **auth).status_code == 400
    with django_capture_on_commit_callbacks(execute=False) as pending:
        r = Client().post(f"{OUTBOX}/{failed.pk}/retry", **auth)
    assert r.status_code == 200 and r.json()["state"] == "pending" and len(pending) == 1
    assert AuditEvent.objects.unscoped().filter(action="notifications.delivery.retried").count() == 1
    again = Client().post(f"{OUTBOX}/{sent.pk}/retry", **auth)
    assert again.status_code == 400 and again.json()["code"] == "not_failed"
