"""The client IP from a trusted proxy only (#16 item 4): X-Forwarded-For is believed only as far
as trusted proxies appended it, read from the right, and the one function behind it feeds the
rate limits, the login locks and the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from wushe.audit.codes import Action
from wushe.audit.models import AuditEvent
from wushe.conftest import PASSWORD
from wushe.core.context import client_ip

PROXY = "10.0.0.5"
CLIENT = "198.51.100.7"
FORGED = "6.6.6.6"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the rate-limit and login counters of one test must not reach the next


def ip(remote: str | None, forwarded: str | None = None) -> str | None:
    meta: dict[str, Any] = {}
    if remote is not None:
        meta["REMOTE_ADDR"] = remote
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(meta)


# --- the rules ------------------------------------------------------------------------------

@override_settings(WUSHE_TRUSTED_PROXIES="", WUSHE_TRUST_PROXY=False)
def test_without_the_setting_x_forwarded_for_is_ignored() -> None:
    assert ip(CLIENT, FORGED) == CLIENT
    assert ip(PROXY, f"{FORGED}, {CLIENT}") == PROXY
    assert ip(CLIENT) == CLIENT


@override_settings(WUSHE_TRUSTED_PROXIES="1")
def test_one_hop_takes_the_entry_the_proxy_appended_not_the_leftmost() -> None:
    assert ip(PROXY, CLIENT) == CLIENT
    assert ip(PROXY, f"{FORGED}, {CLIENT}") == CLIENT
    assert ip(PROXY, f"{FORGED}, 7.7.7.7, 8.8.8.8, {CLIENT}") == CLIENT


@override_settings(WUSHE_TRUSTED_PROXIES="2")
def test_two_hops_skip_the_inner_proxy() -> None:
    assert ip(PROXY, f"{FORGED}, {CLIENT}, 10.0.0.9") == CLIENT
    # Fewer entries than hops: no client wrote any; the leftmost is what the outer proxy saw.
    assert ip(PROXY, CLIENT) == CLIENT


@override_settings(WUSHE_TRUSTED_PROXIES=1)
def test_a_count_with_no_header_is_the_connection() -> None:
    assert ip(CLIENT) == CLIENT  # e.g. a health check from the proxy's own host


@override_settings(WUSHE_TRUSTED_PROXIES="10.0.0.5,10.1.0.0/16")
def test_a_list_walks_right_to_left_past_trusted_addresses_and_networks() -> None:
    assert ip(PROXY, f"{FORGED}, {CLIENT}") == CLIENT
    # An inner proxy inside the trusted network is skipped too.
    assert ip(PROXY, f"{FORGED}, {CLIENT}, 10.1.4.2") == CLIENT
    # A spoofed leftmost entry that is itself "trusted" changes nothing: the walk stops first.
    assert ip(PROXY, f"10.1.0.9, {CLIENT}") == CLIENT
    # Every entry trusted: the leftmost is the client (a proxy talking to itself).
    assert ip(PROXY, "10.1.0.9") == "10.1.0.9"


@override_settings(WUSHE_TRUSTED_PROXIES="10.0.0.5,10.1.0.0/16")
def test_a_list_ignores_the_header_from_an_untrusted_connection() -> None:
    assert ip(CLIENT, FORGED) == CLIENT
    assert ip("10.2.0.1", f"{FORGED}, 10.0.0.5") == "10.2.0.1"


@override_settings(WUSHE_TRUSTED_PROXIES="1")
def test_a_malformed_entry_ends_the_walk_at_the_last_good_address() -> None:
    assert ip(PROXY, "not-an-ip") == PROXY
    assert ip(PROXY, f"{CLIENT}, <script>") == PROXY


@override_settings(WUSHE_TRUSTED_PROXIES="10.0.0.0/8")
def test_a_malformed_entry_ends_a_list_walk_too() -> None:
    assert ip(PROXY, f"{FORGED}, 999.1.1.1, 10.0.0.7") == "10.0.0.7"
    assert ip(PROXY, f"{FORGED}, {CLIENT}, ") == CLIENT  # an empty tail entry is no entry


@override_settings(WUSHE_TRUSTED_PROXIES="1")
def test_addresses_are_normalised() -> None:
    assert ip(PROXY, " 2001:DB8::0001 ") == "2001:db8::1"
    assert ip(PROXY, "[2001:db8::1]") == "2001:db8::1"
    assert ip("::ffff:10.0.0.5", "::ffff:198.51.100.7") == CLIENT


@override_settings(WUSHE_TRUSTED_PROXIES="10.0.0.5")
def test_a_mapped_v4_connection_matches_a_v4_proxy() -> None:
    assert ip("::ffff:10.0.0.5", f"{FORGED}, {CLIENT}") == CLIENT


def test_a_remote_addr_that_is_no_address_is_none() -> None:
    assert ip(None) is None
    assert ip("") is None
    assert ip("/run/wushe.sock") is None


@override_settings(WUSHE_TRUSTED_PROXIES="", WUSHE_TRUST_PROXY=True)
def test_the_old_boolean_is_one_hop_not_the_leftmost() -> None:
    assert ip(PROXY, f"{FORGED}, {CLIENT}") == CLIENT


@override_settings(WUSHE_TRUSTED_PROXIES="10.0.0.5,nginx")
def test_a_bad_setting_is_a_configuration_error_not_trust() -> None:
    with pytest.raises(ImproperlyConfigured):
        ip(PROXY, CLIENT)
    errors = [e for e in run_checks(tags=["security"]) if e.id == "wushe.E016"]
    assert len(errors) == 1 and "nginx" in errors[0].msg


@override_settings(WUSHE_TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16")
def test_a_good_setting_passes_the_system_check() -> None:
    assert not [e for e in run_checks(tags=["security"]) if e.id == "wushe.E016"]


# --- through the public intake API: a forged header does not buy a fresh quota --------------

BODY = {"category": "temporary_relief", "description": "家中突发火灾,生活用品全部烧毁,急需临时救助",
        "community": "500107001001", "contact_name": "欧阳娜娜", "consent": True}


def intake(n: int, *, remote: str, forwarded: str) -> int:
    response = Client().post(
        "/api/v1/public/needs", {**BODY, "contact_phone": f"139{n:08d}"},
        content_type="application/json", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return response.status_code


@override_settings(WUSHE_NEEDS_INTAKE_RATE="3/h", WUSHE_TRUSTED_PROXIES="", WUSHE_TRUST_PROXY=False)
def test_a_hundred_forged_headers_from_one_address_are_one_client(community_a: Any) -> None:
    codes = [intake(i, remote=CLIENT, forwarded=f"203.0.113.{i}") for i in range(100)]
    assert codes == [201] * 3 + [429] * 97
    assert intake(100, remote="198.51.100.8", forwarded=FORGED) == 201  # another address


@override_settings(WUSHE_NEEDS_INTAKE_RATE="3/h", WUSHE_TRUSTED_PROXIES="1")
def test_behind_a_proxy_a_hundred_forged_hops_are_still_one_client(community_a: Any) -> None:
    # nginx appends the real client to whatever the client sent: "<forged>, <real>".
    codes = [intake(i, remote=PROXY, forwarded=f"203.0.113.{i}, {CLIENT}") for i in range(100)]
    assert codes == [201] * 3 + [429] * 97
    # Another resident through the same proxy has a quota of their own: the limit is per client.
    assert intake(100, remote=PROXY, forwarded=f"{FORGED}, 198.51.100.8") == 201


# --- the login: its lock and its audit event see the trusted client ------------------------

def token(username: str, password: str, *, remote: str, forwarded: str) -> Any:
    return Client().post("/api/v1/auth/token", {"username": username, "password": password},
                         content_type="application/json", REMOTE_ADDR=remote,
                         HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(WUSHE_TRUSTED_PROXIES="10.0.0.0/8")
def test_the_login_audit_event_records_the_trusted_client(staff_a: Any) -> None:
    response = token("staff_a", PASSWORD, remote=PROXY, forwarded=f"{FORGED}, {CLIENT}")
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.unscoped().filter(action=Action.USER_LOGIN.value).latest("pk")
    assert event.ip == CLIENT


@override_settings(WUSHE_TRUSTED_PROXIES="")
def test_without_a_proxy_the_login_audit_records_the_connection(staff_a: Any) -> None:
    assert token("staff_a", PASSWORD, remote=CLIENT, forwarded=FORGED).status_code == 200
    event = AuditEvent.objects.unscoped().filter(action=Action.USER_LOGIN.value).latest("pk")
    assert event.ip == CLIENT


@override_settings(WUSHE_TRUSTED_PROXIES="1", WUSHE_LOCKOUT_FAILURES=3)
def test_rotating_forged_hops_does_not_escape_the_login_lock(staff_a: Any) -> None:
    for i in range(3):
        token("staff_a", "guess", remote=PROXY, forwarded=f"203.0.113.{i}, {CLIENT}")
    locked = token("staff_a", PASSWORD, remote=PROXY, forwarded=f"203.0.113.99, {CLIENT}")
    assert locked.status_code == 423 and locked.json()["code"] == "account_locked"
    # The lock binds the real client: the user from another address behind the proxy gets in.
    assert token("staff_a", PASSWORD, remote=PROXY,
                 forwarded=f"{FORGED}, 198.51.100.8").status_code == 200
