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
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver


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


# The ring and the keyed hash, built once from the settings and rebuilt when a test overrides
# them: every encrypted value and blind index goes through here (a 250,000-row roster a
# million times), and reading ``settings`` costs a lazy-object lookup each time.
_KEYS: dict[str, Any] = {}


@receiver(setting_changed)
def _forget_keys(*, setting: str, **_kwargs: object) -> None:
    if setting in ("WUSHE_PII_KEYS", "WUSHE_BLIND_INDEX_KEY"):
        _KEYS.clear()


def keyring() -> KeyRing:
    ring = _KEYS.get("ring")
    if ring is None:
        ring = _KEYS["ring"] = KeyRing(settings.WUSHE_PII_KEYS)
    return ring  # type: ignore[no-any-return]


def blind_index(value: str) -> str:
    """Keyed hash of a normalised value: equal inputs match, the value cannot be read back."""
    keyed = _KEYS.get("hmac")
    if keyed is None:
        keyed = _KEYS["hmac"] = hmac.new(settings.WUSHE_BLIND_INDEX_KEY.encode(),
                                         digestmod=hashlib.sha256)
    mac = keyed.copy()  # the keyed state, not re-derived
    mac.update(value.encode())
    return str(mac.hexdigest())


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
