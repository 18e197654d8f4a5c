"""The key of the public self-registration's rate limit: a blind index of the client address
(never the address itself)."""

from __future__ import annotations

from wushe.core.crypto import blind_index


def client_hash(ip: str | None) -> str:
    return blind_index(f"volunteer-signup:{ip or 'unknown'}")
