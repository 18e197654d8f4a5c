# ruff: noqa: F811  (fixtures imported from the needs tests)
"""Pages: /notifications/ (own, unread marked, mark read, paged), the header bell's count,
/notifications/settings/ (hostile phones refused next to the field, nothing saved) and
/notifications/outbox/ (district admins only, retry of a failed message)."""

from __future__ import annotations

from typing import Any

from django.test.utils import CaptureQueriesContext

from wushe.audit.models import AuditEvent
from wushe.needs.tests.conftest import client_for, district_user  # noqa: F401  (fixture)
from wushe.notifications.models import Delivery, DeliveryState, Notification, Preference


def note(user: Any, key: str, **kw: Any) -> Notification:
    return Notification.objects.create(recipient=user, kind="needs.need.accept", key=key,
                                       title=f"N-{key}", link="http://testserver/work/", **kw)


def test_list_shows_own_with_unread_and_the_bell(staff_a: Any, staff_b: Any) -> None:
    note(staff_a, "mine")
    note(staff_b, "theirs")
    page = client_for(staff_a).get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "N-mine" in html and "N-theirs" not in html
    assert 'data-unread="1"' in html
    assert 'data-testid="bell" data-count="1"' in html


def test_bell_is_one_query(staff_a: Any) -> None:
    from django.db import connection

    note(staff_a, "a")
    c = client_for(staff_a)
    c.get("/work/")
    with CaptureQueriesContext(connection) as q:
        c.get("/work/")
    bell = [s for s in q.captured_queries if "notifications_notification" in s["sql"]]
    assert len(bell) == 1 and "COUNT" in bell[0]["sql"].upper()


def test_mark_read_own_and_another_is_404(staff_a: Any, staff_b: Any) -> None:
    mine, theirs = note(staff_a, "a"), note(staff_b, "b")
    c = client_for(staff_a)
    assert c.post(f"/notifications/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert c.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert c.post("/notifications/٣/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    opened = c.post(f"/notifications/{mine.pk}/read/", {"open": "1"})
    assert opened.status_code == 302 and opened["Location"].endswith("/work/")


def test_open_never_redirects_off_site(staff_a: Any) -> None:
    n = Notification.objects.create(recipient=staff_a, kind="k", key="x", title="t",
                                    link="https://evil.example/work/?a=1")
    r = client_for(staff_a).post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert r["Location"] == "/work/?a=1"


def test_read_all(staff_a: Any, staff_b: Any) -> None:
    note(staff_a, "a"), note(staff_a, "b"), note(staff_b, "c")
    client_for(staff_a).post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=staff_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=staff_b, read_at__isnull=True).count() == 1


def test_list_is_paged(staff_a: Any, settings: Any) -> None:
    settings.WUSHE_PAGE_SIZE = 2
    for i in range(5):
        note(staff_a, str(i))
    html = client_for(staff_a).get("/notifications/?page=3").content.decode()
    assert html.count('data-testid="notification"') == 1


def test_settings_save_masked_and_audited(staff_a: Any) -> None:
    c = client_for(staff_a)
    r = c.post("/notifications/settings/", {"sms": "on", "phone": "13912345678",
                                            "quiet_hours": "on"})
    assert r.status_code == 302
    pref = Preference.objects.get(user=staff_a)
    assert pref.sms and pref.phone == "13912345678" and not pref.digest
    html = c.get("/notifications/settings/").content.decode()
    assert "139****5678" in html and "13912345678" not in html
    assert AuditEvent.objects.unscoped().filter(
        action="notifications.preference.changed").count() == 1
    # the number kept when the field is left empty
    c.post("/notifications/settings/", {"sms": "on", "email": "on"})
    pref.refresh_from_db()
    assert pref.phone == "13912345678" and pref.email


def test_settings_refuse_other_scripts_digits(staff_a: Any) -> None:
    r = client_for(staff_a).post("/notifications/settings/",
                                 {"sms": "on", "phone": "١٣٩١٢٣٤٥٦٧٨"})
    assert r.status_code == 400
    assert 'data-testid="form-errors"' in r.content.decode()
    assert not Preference.objects.filter(user=staff_a).exists()


def test_outbox_page_is_for_district_admins(staff_a: Any, district_user: Any) -> None:
    d = Delivery.objects.create(key="k", channel="sms", resolver="account.phone", ref=1,
                                kind="needs.need.accept", text="N2026 due",
                                state=DeliveryState.FAILED)
    assert client_for(staff_a).get("/notifications/outbox/").status_code == 404
    assert client_for(staff_a).post(f"/notifications/outbox/{d.pk}/retry/").status_code == 404
    c = client_for(district_user)
    html = c.get("/notifications/outbox/").content.decode()
    assert 'data-testid="retry"' in html and "N2026 due" in html
    assert c.get("/notifications/outbox/?state=bogus").status_code == 400
    assert c.post(f"/notifications/outbox/{d.pk}/retry/").status_code == 302
    d.refresh_from_db()
    assert d.state == DeliveryState.PENDING
    assert "notifications/outbox/" in client_for(district_user).get("/").content.decode()
