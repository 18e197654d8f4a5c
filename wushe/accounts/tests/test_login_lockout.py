"""Lockout (5 failures → 10 minutes), idle timeout, password policy, argon2."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from wushe.accounts.login import (
    LoginLocked,
    _username_key,
    login_counter_keys,
    user_authenticate,
)
from wushe.accounts.models import User
from wushe.accounts.services import user_create
from wushe.audit.models import AuditEvent
from wushe.conftest import PASSWORD
from wushe.core.errors import Unauthenticated, ValidationFailed


def test_five_failures_lock_the_pair_for_ten_minutes(staff_a):
    for _ in range(settings.WUSHE_LOCKOUT_FAILURES - 1):
        with pytest.raises(Unauthenticated):
            user_authenticate(username="staff_a", password="wrong", address="10.0.0.9")
    with pytest.raises(LoginLocked):  # the attempt that locks says so
        user_authenticate(username="staff_a", password="wrong", address="10.0.0.9")
    with pytest.raises(LoginLocked) as exc:  # right password, still locked from that address
        user_authenticate(username="staff_a", password=PASSWORD, address="10.0.0.9")
    assert "锁定" in exc.value.zh and "locked" in exc.value.en
    keys = login_counter_keys(_username_key("staff_a"), "10.0.0.9")
    remaining = dt.timedelta(seconds=cache.get(keys["locked_until"]) - timezone.now().timestamp())
    assert dt.timedelta(minutes=9) < remaining <= dt.timedelta(minutes=10)
    assert AuditEvent.objects.unscoped().filter(action="accounts.user.locked").count() == 1
    # after the lock expires the right password works again
    cache.set(keys["locked_until"], timezone.now().timestamp() - 1)
    user = user_authenticate(username="staff_a", password=PASSWORD, address="10.0.0.9")
    assert user.pk == staff_a.pk


def test_failures_are_recorded_even_though_login_raises(staff_a):
    with pytest.raises(Unauthenticated):
        user_authenticate(username="staff_a", password="wrong", address="10.0.0.9")
    keys = login_counter_keys(_username_key("staff_a"), "10.0.0.9")
    assert cache.get(keys["failures"]) == 1
    assert AuditEvent.objects.unscoped().filter(action="accounts.user.login_failed").exists()


def test_unknown_user_looks_like_wrong_password(db):
    with pytest.raises(Unauthenticated) as exc:
        user_authenticate(username="ghost", password="x")
    assert exc.value.code == "invalid_credentials"


def test_login_page_shows_lockout(staff_a):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "staff_a", "password": "nope"})
    response = client.post("/login/", {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 400
    assert "锁定" in response.content.decode()


@override_settings(WUSHE_IDLE_TIMEOUT_MINUTES=30)
def test_idle_session_is_logged_out(staff_a):
    client = Client()
    assert client.post("/login/", {"username": "staff_a", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    session = client.session
    session["wushe_last_seen"] -= 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/account/security/").status_code == 302  # the session is gone too


def test_active_session_stays(staff_a):
    client = Client()
    client.post("/login/", {"username": "staff_a", "password": PASSWORD})
    session = client.session
    session["wushe_last_seen"] -= 29 * 60
    session.save()
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("password", ["short1A!", "alllowercaseletters", "1234567890123"])
def test_password_policy(db, password):
    with pytest.raises(ValidationFailed) as exc:
        user_create(actor=None, username="weak", password=password)
    assert exc.value.code == "weak_password"
    assert not User.objects.filter(username="weak").exists()


def test_production_hasher_is_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
