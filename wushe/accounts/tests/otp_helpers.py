"""Second-factor helpers for tests: enrol an authenticator, compute its codes like a phone would.

A code is computed with django-otp's own TOTP (RFC 6238) from the device's key, for the first
time step the device has not used yet (a code is never accepted twice), so two logins in the
same thirty seconds use the current and the next step (the device accepts one step of drift).
"""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.accounts import otp
from wushe.accounts.models import User


def enrol(user: User) -> TOTPDevice:
    """The account's confirmed authenticator, created if it has none."""
    device = otp.totp_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=otp.TOTP_NAME, confirmed=True)
    return device


def code_at(key: bytes, t: int) -> str:
    totp = TOTP(key)
    totp.time = t * 30
    return f"{totp.token():06d}"


def now_step() -> int:
    return int(time.time()) // 30


def code(device: TOTPDevice) -> str:
    """A code the device accepts now (the current step, or the next if the current was used)."""
    device.refresh_from_db()
    t = max(now_step() + device.drift, device.last_t + 1)
    while t > now_step() + device.drift + device.tolerance:
        time.sleep(1)
    return code_at(device.bin_key, t)


def code_from_secret(secret: str, used: int = -1) -> tuple[str, int]:
    """A code from a base32 secret (as an app reads it from the QR code), for a step after
    ``used``; returns the code and its step."""
    key = b32decode(secret.replace(" ", "").upper())
    t = max(now_step(), used + 1)
    while t > now_step() + 1:
        time.sleep(1)
    return code_at(key, t), t


def token_body(username: str, password: str) -> dict[str, Any]:
    """The JSON of POST /api/v1/auth/token, with a code for an account that needs one."""
    body: dict[str, Any] = {"username": username, "password": password}
    user = User.objects.filter(username=username).first()
    if user is not None and otp.otp_needed_at_login(user):
        body["otp"] = code(enrol(user))
    return body


def verify_session(client: Client, user: User) -> TOTPDevice:
    """Mark a ``force_login`` session as verified by the account's authenticator (what the
    code step of the login does), e.g. for the back office."""
    device = enrol(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
