"""POST /api/v1/auth/token: bearer tokens that expire and can be revoked."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from wushe.accounts.models import ApiToken
from wushe.conftest import PASSWORD


def get_token(client: Client, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json")


def test_token_round_trip(staff_a):
    client = Client()
    response = get_token(client, "staff_a")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token.startswith("wst_")
    assert not ApiToken.objects.filter(key_hash=token).exists()  # only the hash is stored
    me = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["grants"][0]["role"] == "community_staff"
    revoke = client.post("/api/v1/auth/token/revoke", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert revoke.status_code == 204
    after = client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert after.status_code == 401
    assert after.json()["code"] == "unauthenticated"
    assert set(after.json()["message"]) == {"zh", "en"}


def test_expired_token_is_refused(staff_a):
    client = Client()
    token = get_token(client, "staff_a").json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_wrong_password_gives_bilingual_error(staff_a):
    response = get_token(Client(), "staff_a", "wrong")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "invalid_credentials"
    assert body["message"]["zh"] and body["message"]["en"]


def test_locked_account_gets_423(staff_a):
    client = Client()
    for _ in range(5):
        get_token(client, "staff_a", "wrong")
    response = get_token(client, "staff_a")
    assert response.status_code == 423
    assert response.json()["code"] == "account_locked"


def test_no_token_no_data(staff_a):
    response = Client().get("/api/v1/people/")
    assert response.status_code == 401
