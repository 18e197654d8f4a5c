"""The audit API is the one place an account's username appears, and only to audit.view."""

from __future__ import annotations

from django.test import Client

from wushe.regions.services import site_create


def _client(user):
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def test_audit_events_show_usernames_to_audit_view_holders_only(make_user, district,
                                                                 community_a):
    admin = make_user("district_admin", district, "admin_lin_4410")
    site_create(actor=admin, region=community_a, kind="party_centre", name="杨坪党群服务中心")
    auditor = make_user("auditor", district)
    seen = _client(auditor).get("/api/v1/audit/events", {"action": "regions.site.created"})
    assert seen.status_code == 200
    assert [e["actor_name"] for e in seen.json()["items"]] == ["admin_lin_4410"]
    assert [e["action_label"] for e in seen.json()["items"]] == ["创建服务场所"]
    staff = make_user("community_staff", community_a)
    refused = _client(staff).get("/api/v1/audit/events", {"action": "regions.site.created"})
    assert refused.status_code == 200 and refused.json() == {"items": [], "count": 0}
    assert "admin_lin_4410" not in refused.content.decode()
