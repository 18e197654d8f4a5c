"""Personal data at rest: AES-256-GCM under a key ring, plus an HMAC blind index.

A stored value is ``<kid>$<base64(nonce || ciphertext)>``. The key id lets several keys live
side by side: new writes use the first (current) key, reads use whichever key wrote the value,
and ``wushe reencrypt`` moves every value to the current key (rotation).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models


class KeyRing:
    def __init__(self, spec: str) -> None:
        self.keys: dict[str, AESGCM] = {}
        self.current = ""
        for item in spec.split(","):
            kid, _, b64 = item.strip().partition(":")
            if not kid or not b64:
                raise ValueError("WUSHE_PII_KEYS must be 'kid:base64key[,kid:base64key…]'")
            key = base64.urlsafe_b64decode(b64)
            if len(key) != 32:
                raise ValueError(f"PII key {kid} must be 32 bytes")
            self.keys[kid] = AESGCM(key)
            self.current = self.current or kid

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        ct = self.keys[self.current].encrypt(nonce, plaintext.encode(), self.current.encode())
        return f"{self.current}${base64.b64encode(nonce + ct).decode()}"

    def decrypt(self, token: str) -> str:
        kid, _, b64 = token.partition("$")
        raw = base64.b64decode(b64)
        return self.keys[kid].decrypt(raw[:12], raw[12:], kid.encode()).decode()

    def key_id(self, token: str) -> str:
        return token.partition("$")[0]


@lru_cache(maxsize=4)
def _ring(spec: str) -> KeyRing:
    return KeyRing(spec)


def keyring() -> KeyRing:
    return _ring(settings.WUSHE_PII_KEYS)


@lru_cache(maxsize=4)
def _keyed(key: str) -> hmac.HMAC:
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def blind_index(value: str) -> str:
    """Keyed hash of a normalised value: equal inputs match, the value cannot be read back."""
    # A copy of the keyed state skips re-deriving the key pads: a roster hashes 500,000 values.
    mac = _keyed(settings.WUSHE_BLIND_INDEX_KEY).copy()
    mac.update(value.encode())
    return mac.hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding ciphertext; Python code only ever sees plaintext.

    Not searchable by design: pair it with a blind-index column for exact lookup.
    """

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        if value is None or value == "":
            return value
        return keyring().decrypt(value)

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().encrypt(str(value))
