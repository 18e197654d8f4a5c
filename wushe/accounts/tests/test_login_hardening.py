"""Login that cannot be turned against users (#13 item 3): locks bind the (username, address)
pair, an address is only slowed, unknown users cost the same, and ending access is immediate."""

from __future__ import annotations

import datetime as dt
import time
from types import SimpleNamespace
from typing import ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.test import Client, override_settings
from django.utils import timezone

from wushe.accounts.login import (
    LoginLocked,
    LoginThrottled,
    _username_key,
    login_counter_keys,
    user_authenticate,
)
from wushe.accounts.models import ApiToken, PasswordHistory, RoleGrant, User
from wushe.accounts.services import password_change, token_create, user_disable
from wushe.audit.models import AuditEvent
from wushe.conftest import PASSWORD
from wushe.core.errors import Unauthenticated, ValidationFailed

STRANGER = "203.0.113.7"
OFFICE = "10.20.0.1"


def token_post(client: Client, username: str, password: str, address: str):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json", REMOTE_ADDR=address)


def test_a_stranger_cannot_lock_a_user_out(staff_a):
    client = Client()
    for _ in range(10):  # twice the threshold, through the public token endpoint
        token_post(client, "staff_a", "guess", STRANGER)
    assert token_post(client, "staff_a", PASSWORD, STRANGER).status_code == 423
    # The user, from their own office, is not locked: the lock binds the stranger's pair.
    response = token_post(client, "staff_a", PASSWORD, OFFICE)
    assert response.status_code == 200, response.content
    login = client.post("/login/", {"username": "staff_a", "password": PASSWORD},
                        REMOTE_ADDR=OFFICE)
    assert login.status_code == 302


def test_an_unknown_user_is_locked_and_answered_like_a_known_one(staff_a):
    answers = {}
    for name in ("staff_a", "nobody_here"):
        client = Client()
        codes = [token_post(client, name, "guess", STRANGER).json()["code"] for _ in range(6)]
        answers[name] = codes
    assert answers["staff_a"] == answers["nobody_here"]
    assert answers["staff_a"][:4] == ["invalid_credentials"] * 4
    assert answers["staff_a"][4:] == ["account_locked", "account_locked"]


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how many passwords it hashes (the work an attacker can time)."""

    algorithm = "counting_md5"
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls.append("hash")
        return super().encode(password, salt).replace("md5$", "counting_md5$", 1)

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.calls.append("hash")
        return super().verify(password, encoded.replace("counting_md5$", "md5$", 1))


@override_settings(PASSWORD_HASHERS=["wushe.accounts.tests.test_login_hardening.CountingHasher"])
def test_unknown_user_costs_one_hash_like_a_wrong_password(db, make_user, community_a):
    make_user("community_staff", community_a, "known")
    work = {}
    for name in ("known", "unknown"):
        CountingHasher.calls.clear()
        with pytest.raises(Unauthenticated) as exc:
            user_authenticate(username=name, password="wrong", address=OFFICE)
        work[name] = (len(CountingHasher.calls), exc.value.code, exc.value.zh, exc.value.en)
    assert work["known"] == work["unknown"]
    assert work["known"][0] == 1
    # While locked as well: the pair is locked whether or not the name exists, same work.
    for name in ("known", "unknown"):
        for _ in range(5):
            with pytest.raises((Unauthenticated, LoginLocked)):
                user_authenticate(username=name, password="wrong", address=STRANGER)
        CountingHasher.calls.clear()
        with pytest.raises(LoginLocked):
            user_authenticate(username=name, password="wrong", address=STRANGER)
        assert len(CountingHasher.calls) == 1


@override_settings(WUSHE_LOGIN_ADDRESS_FAILURES=3, WUSHE_LOGIN_SLOW_SECONDS=10)
def test_an_address_is_slowed_never_locked(staff_a, staff_b):
    for name in ("a", "b", "c"):
        with pytest.raises(Unauthenticated):
            user_authenticate(username=name, password="x", address=OFFICE)
    with pytest.raises(LoginThrottled) as exc:
        user_authenticate(username="staff_a", password=PASSWORD, address=OFFICE)
    assert exc.value.status == 429 and "秒" in exc.value.zh
    # Once the slow period has passed, a right password from the same office goes through.
    cache.set(login_counter_keys("", OFFICE)["address_last"], timezone.now().timestamp() - 11)
    assert user_authenticate(username="staff_b", password=PASSWORD, address=OFFICE).pk == staff_b.pk
    # Another address is not slowed at all.
    assert user_authenticate(username="staff_a", password=PASSWORD, address=STRANGER).pk == staff_a.pk


def test_a_lock_revokes_the_accounts_tokens(staff_a):
    raw, _token = token_create(actor=staff_a)
    client = Client()
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    for _ in range(5):
        token_post(client, "staff_a", "guess", STRANGER)
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    locked = AuditEvent.objects.unscoped().get(action="accounts.user.locked")
    assert locked.data["tokens_revoked"] == 1


def test_html_logout_ends_the_accounts_tokens(staff_a):
    raw, _token = token_create(actor=staff_a)
    client = Client()
    client.force_login(staff_a)
    assert client.post("/logout/").status_code == 302
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@override_settings(WUSHE_SESSION_ABSOLUTE_HOURS=12, WUSHE_IDLE_TIMEOUT_MINUTES=30)
def test_a_session_ends_at_its_absolute_lifetime_however_active(staff_a):
    client = Client()
    client.force_login(staff_a)
    assert client.get("/").status_code == 200
    session = client.session
    session["wushe_login_at"] -= 12 * 3600 + 1  # active a second ago, logged in 12 h ago
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/account/security/").status_code == 302


def test_sign_out_everywhere_ends_every_session_and_token(staff_a):
    laptop, phone = Client(), Client()
    laptop.force_login(staff_a)
    phone.force_login(staff_a)
    raw, _token = token_create(actor=staff_a)
    assert phone.get("/").status_code == 200
    assert laptop.post("/account/sign-out-everywhere/").status_code == 302
    assert phone.get("/account/security/").status_code == 302
    assert laptop.get("/account/security/").status_code == 302
    assert phone.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert AuditEvent.objects.unscoped().filter(
        action="accounts.user.signed_out_everywhere").count() == 1
    # Signing in again works: only the old sessions ended.
    fresh = Client()
    assert fresh.post("/login/", {"username": "staff_a", "password": PASSWORD}).status_code == 302
    assert fresh.get("/").status_code == 200


@override_settings(WUSHE_PASSWORD_HISTORY=3)
def test_a_new_password_may_not_repeat_the_last_ones(staff_a):
    passwords = ["Second-Passw0rd", "Third-Passw0rd!", "Fourth-Passw0rd"]
    current = PASSWORD
    for new in passwords:
        password_change(actor=staff_a, old_password=current, new_password=new)
        current = new
    for old in ("Second-Passw0rd", "Third-Passw0rd!", "Fourth-Passw0rd"):
        with pytest.raises(ValidationFailed) as exc:
            password_change(actor=staff_a, old_password=current, new_password=old)
        assert exc.value.code in {"password_reused"}
    assert PasswordHistory.objects.filter(user=staff_a).count() == 3
    # The fourth back is out of the last three and may come again.
    staff_a.refresh_from_db()
    password_change(actor=staff_a, old_password=current, new_password=PASSWORD)


@override_settings(WUSHE_PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed_first(staff_a):
    User.objects.filter(pk=staff_a.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=91))
    client = Client()
    assert client.post("/login/", {"username": "staff_a", "password": PASSWORD}).status_code == 302
    response = client.get("/needs/")
    assert response.status_code == 302 and response["Location"] == "/account/password/"
    assert client.get("/api/v1/auth/me").json()["code"] == "password_expired"
    assert token_post(client, "staff_a", PASSWORD, OFFICE).json()["code"] == "password_expired"
    page = client.get("/account/password/")
    assert page.status_code == 200 and 'data-testid="password-expired"' in page.content.decode()
    changed = client.post("/account/password/", {
        "old_password": PASSWORD, "new_password": "Brand-New-Passw0rd",
        "new_password_again": "Brand-New-Passw0rd"})
    assert changed.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on after the change


def test_a_password_change_form_error_is_shown_not_raised(staff_a):
    client = Client()
    client.force_login(staff_a)
    response = client.post("/account/password/", {
        "old_password": "wrong", "new_password": "Brand-New-Passw0rd",
        "new_password_again": "Brand-New-Passw0rd"})
    assert response.status_code == 400
    assert User.objects.get(pk=staff_a.pk).check_password(PASSWORD)


@override_settings(WUSHE_ACCOUNT_DORMANT_DAYS=90)
def test_dormant_accounts_are_disabled_by_the_daily_job(staff_a, staff_b):
    User.objects.filter(pk=staff_a.pk).update(last_login=timezone.now() - dt.timedelta(days=91))
    User.objects.filter(pk=staff_b.pk).update(last_login=timezone.now() - dt.timedelta(days=5))
    from wushe.core.jobs import run_all

    result = run_all(only=["accounts.dormant"])
    assert result["accounts.dormant"]["accounts_disabled"] == 1
    assert not User.objects.get(pk=staff_a.pk).is_active
    assert User.objects.get(pk=staff_b.pk).is_active
    assert run_all(only=["accounts.dormant"])["accounts.dormant"]["accounts_disabled"] == 0


def test_disabling_an_account_ends_its_session_token_and_grants_at_once(
        staff_a, make_user, district, community_a):
    sysadmin = make_user("system_admin", district, "sysadmin")
    client = Client()
    client.force_login(staff_a)
    raw, _token = token_create(actor=staff_a)
    assert client.get("/").status_code == 200
    user_disable(actor=sysadmin, user=staff_a, reason="调离 / left the post")
    assert client.get("/account/security/").status_code == 302
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert not RoleGrant.objects.unscoped().filter(user=staff_a).exists()
    assert ApiToken.objects.get(user=staff_a).revoked_at is not None
    event = AuditEvent.objects.unscoped().get(action="accounts.user.disabled")
    assert event.data["grants"] == [["community_staff", community_a.path]]
    # and the password no longer opens anything
    with pytest.raises(Unauthenticated):
        user_authenticate(username="staff_a", password=PASSWORD, address=OFFICE)



def test_a_role_that_needs_a_second_factor_ends_the_accounts_sessions(
        staff_a, make_user, district):
    client = Client()
    client.force_login(staff_a)
    raw, _token = token_create(actor=staff_a)
    assert client.get("/").status_code == 200
    from wushe.accounts.services import grant_add

    grant_add(actor=None, user=staff_a, role="auditor", region=district)
    # The next request signs in again, and the sign-in will ask for the code.
    assert client.get("/account/security/").status_code == 302
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_second_factor_reset_ends_the_accounts_sessions(make_user, district):
    from wushe.accounts.otp import otp_reset

    security = make_user("security_admin", district, "sec")
    target = make_user("auditor", district, "aud")
    client = Client()
    client.force_login(target)
    raw, _token = token_create(actor=target)
    assert client.get("/").status_code == 200
    otp_reset(actor=security, user=target)
    assert client.get("/account/security/").status_code == 302
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_login_counters_expire_by_themselves_a_lock_after_its_minutes(db, monkeypatch):
    for name in ("guess1", "guess2"):
        with pytest.raises(Unauthenticated):
            user_authenticate(username=name, password="x", address=STRANGER)
    for _ in range(5):
        with pytest.raises((Unauthenticated, LoginLocked)):
            user_authenticate(username="locked", password="x", address=OFFICE)
    guess = login_counter_keys(_username_key("guess1"), STRANGER)
    locked = login_counter_keys(_username_key("locked"), OFFICE)
    assert cache.get(guess["failures"]) == 1 and cache.get(locked["locked_until"])

    def clock_at(seconds: float) -> None:  # the cache's clock (Django's LocMemCache) moves on
        start = time.time()
        monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: start + seconds))

    clock_at(11 * 60)  # the lock has ended; the guesses are still counted
    assert cache.get(locked["locked_until"]) is None
    assert cache.get(guess["failures"]) == 1
    with pytest.raises(Unauthenticated) as exc:
        user_authenticate(username="locked", password="x", address=OFFICE)
    assert exc.value.code == "invalid_credentials"
    clock_at(24 * 3600 + 60)  # a day after: forgotten (attackers' guesses do not pile up)
    assert cache.get(guess["failures"]) is None
    assert cache.get(guess["address_failures"]) is None
