"""The platform's authentication: a shared secret (``WUSHE_HOTLINE_SECRET``) and an HMAC-SHA256
signature over the timestamp, the method, the path with its query and the body, both ways (the
platform signs what it sends us, we sign what we push to it). See docs/hotline-12345.md.

    X-Wushe-Timestamp: 1767600000
    X-Wushe-Signature: sha256=<hex of HMAC-SHA256(secret, "1767600000\\nPOST\\n/api/v1/hotline/orders\\n" + body)>
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings

TIMESTAMP_HEADER = "X-Wushe-Timestamp"
SIGNATURE_HEADER = "X-Wushe-Signature"
MAX_SKEW_SECONDS = 300


def signature(secret: str, timestamp: str, method: str, path: str, body: bytes) -> str:
    message = f"{timestamp}\n{method.upper()}\n{path}\n".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign_headers(method: str, path: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The two headers for a request we send (or a test platform sends us)."""
    ts = str(int(now if now is not None else time.time()))
    return {TIMESTAMP_HEADER: ts,
            SIGNATURE_HEADER: signature(settings.WUSHE_HOTLINE_SECRET, ts, method, path, body)}


def verify(timestamp: str | None, given: str | None, method: str, path: str, body: bytes,
           *, now: float | None = None) -> bool:
    """True when the secret is set, the timestamp is within five minutes and the signature is
    right (compared in constant time)."""
    secret = settings.WUSHE_HOTLINE_SECRET
    if not secret or not timestamp or not given:
        return False
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, method, path, body), given)
