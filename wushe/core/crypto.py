"""Personal data at rest: an authenticated cipher under a key ring, plus a keyed blind index.

Each key of the ring names its algorithms (its *suite*)::

    aes256gcm+hmac-sha256   AES-256-GCM, blind index HMAC-SHA256 (the default, and what a key
                            written as ``kid:base64key`` without a suite has always been)
    sm4gcm+hmac-sm3         SM4-GCM (GB/T 32907, 128-bit key), blind index HMAC-SM3
                            (GB/T 32905): the national algorithms a 密评 (GB/T 39786) expects

``WUSHE_PII_KEYS`` is ``kid[:suite]:base64key[,…]``; the first key is current. A stored value
is ``<kid>$<base64(nonce || ciphertext || tag)>`` with the key id as associated data: a ring
holding keys of both suites reads values of both, new writes use the current key, and
``wushe reencrypt`` moves every value to it (rotation, or a change of algorithms).

The blind index uses the current key's suite: HMAC-SHA256 or HMAC-SM3 of the normalised value
under ``WUSHE_BLIND_INDEX_KEY``. Changing the current key's suite therefore changes every blind
index: ``wushe reencrypt`` recomputes them (see ``reencrypt.py``) in the same run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as c_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

AES_SUITE = "aes256gcm+hmac-sha256"
SM_SUITE = "sm4gcm+hmac-sm3"
# Short names for the command line (``wushe rotatekey --algorithm sm4``).
ALGORITHMS = {"aes": AES_SUITE, "aes256": AES_SUITE, "sm4": SM_SUITE,
              AES_SUITE: AES_SUITE, SM_SUITE: SM_SUITE}
KEY_BYTES = {AES_SUITE: 32, SM_SUITE: 16}
NONCE = 12
TAG = 16
_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class _Aead(Protocol):
    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...


class SM4GCM:
    """SM4 in GCM mode with the AESGCM calling convention (tag appended to the ciphertext).

    The installed OpenSSL provides SM4-GCM; the ``cryptography`` package has no AEAD class for
    it, so this drives ``Cipher`` directly."""

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES[SM_SUITE]:
            raise ValueError("SM4 keys are 16 bytes")
        self._key = key

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        enc = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        if associated_data:
            enc.authenticate_additional_data(associated_data)
        body = enc.update(data) + enc.finalize()
        return body + enc.tag

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        if len(data) < TAG:
            raise InvalidTag
        dec = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, data[-TAG:])).decryptor()
        if associated_data:
            dec.authenticate_additional_data(associated_data)
        return dec.update(data[:-TAG]) + dec.finalize()


def new_key(suite: str) -> bytes:
    return os.urandom(KEY_BYTES[suite])


@dataclass(frozen=True)
class KeySpec:
    kid: str
    suite: str
    key: bytes


def parse_spec(spec: str) -> list[KeySpec]:
    """``kid[:suite]:base64key,…`` → keys, current first. Raises ValueError naming the key id
    (never the key) when an item is malformed."""
    out: list[KeySpec] = []
    for item in spec.split(","):
        parts = item.strip().split(":")
        if len(parts) == 2:
            kid, suite, b64 = parts[0], AES_SUITE, parts[1]
        elif len(parts) == 3:
            kid, suite, b64 = parts
        else:
            raise ValueError("WUSHE_PII_KEYS must be 'kid[:suite]:base64key[,…]'")
        if not _KID.match(kid) or not b64:
            raise ValueError("WUSHE_PII_KEYS must be 'kid[:suite]:base64key[,…]'")
        if suite not in KEY_BYTES:
            raise ValueError(f"PII key {kid}: unknown algorithms {suite!r} "
                             f"(use {AES_SUITE} or {SM_SUITE})")
        try:
            key = base64.urlsafe_b64decode(b64)
        except ValueError:
            raise ValueError(f"PII key {kid} is not base64") from None
        if len(key) != KEY_BYTES[suite]:
            raise ValueError(f"PII key {kid} must be {KEY_BYTES[suite]} bytes for {suite}")
        if any(k.kid == kid for k in out):
            raise ValueError(f"PII key id {kid} appears twice")
        out.append(KeySpec(kid, suite, key))
    return out


def format_spec(keys: list[KeySpec]) -> str:
    return ",".join(f"{k.kid}:{k.suite}:{base64.urlsafe_b64encode(k.key).decode()}"
                    for k in keys)


class KeyRing:
    def __init__(self, spec: str) -> None:
        self.keys: dict[str, _Aead] = {}
        self.suites: dict[str, str] = {}
        self.current = ""
        for k in parse_spec(spec):
            self.keys[k.kid] = AESGCM(k.key) if k.suite == AES_SUITE else SM4GCM(k.key)
            self.suites[k.kid] = k.suite
            self.current = self.current or k.kid

    @property
    def current_suite(self) -> str:
        return self.suites[self.current]

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE)
        ct = self.keys[self.current].encrypt(nonce, plaintext.encode(), self.current.encode())
        return f"{self.current}${base64.b64encode(nonce + ct).decode()}"

    def decrypt(self, token: str) -> str:
        kid, _, b64 = token.partition("$")
        raw = base64.b64decode(b64)
        return self.keys[kid].decrypt(raw[:NONCE], raw[NONCE:], kid.encode()).decode()

    def key_id(self, token: str) -> str:
        return token.partition("$")[0]


# The ring and the keyed hash, built once from the settings and rebuilt when a test overrides
# them: every encrypted value and blind index goes through here (a 250,000-row roster a
# million times), and reading ``settings`` costs a lazy-object lookup each time.
_KEYS: dict[Any, Any] = {}


@receiver(setting_changed)
def _forget_keys(*, setting: str, **_kwargs: object) -> None:
    if setting in ("WUSHE_PII_KEYS", "WUSHE_BLIND_INDEX_KEY"):
        _KEYS.clear()


def keyring() -> KeyRing:
    ring = _KEYS.get("ring")
    if ring is None:
        ring = _KEYS["ring"] = KeyRing(settings.WUSHE_PII_KEYS)
    return ring


class _Sm3Mac:
    """HMAC-SM3 through ``cryptography`` when Python's hashlib lacks SM3 (an OpenSSL build
    without it); same interface as the ``hmac`` object used below."""

    def __init__(self, key: bytes, ctx: c_hmac.HMAC | None = None) -> None:
        self._key = key
        self._ctx = ctx or c_hmac.HMAC(key, hashes.SM3())

    def copy(self) -> _Sm3Mac:
        return _Sm3Mac(self._key, self._ctx.copy())

    def update(self, data: bytes) -> None:
        self._ctx.update(data)

    def hexdigest(self) -> str:
        return self._ctx.finalize().hex()


def keyed_hash(key: bytes, suite: str) -> Any:
    """The blind index's keyed hash for a suite, ready to ``copy()``."""
    if suite == AES_SUITE:
        return hmac.new(key, digestmod=hashlib.sha256)
    if "sm3" in hashlib.algorithms_available:
        return hmac.new(key, digestmod="sm3")
    return _Sm3Mac(key)


def blind_index_suite() -> str:
    """The suite the blind indexes are computed with: the current key's."""
    return keyring().current_suite


def blind_index(value: str) -> str:
    """Keyed hash of a normalised value: equal inputs match, the value cannot be read back."""
    keyed = _KEYS.get("hmac")
    if keyed is None:
        keyed = _KEYS["hmac"] = keyed_hash(settings.WUSHE_BLIND_INDEX_KEY.encode(),
                                           blind_index_suite())
    mac = keyed.copy()  # the keyed state, not re-derived
    mac.update(value.encode())
    return str(mac.hexdigest())


def blind_index_under(value: str, suite: str) -> str:
    """The blind index of ``value`` under a given suite (reencrypt: which hash wrote a column)."""
    key = ("hmac", suite)
    keyed = _KEYS.get(key)
    if keyed is None:
        keyed = _KEYS[key] = keyed_hash(settings.WUSHE_BLIND_INDEX_KEY.encode(), suite)
    mac = keyed.copy()
    mac.update(value.encode())
    return str(mac.hexdigest())


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # no runtime generics
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
