"""Honest idempotency: a retried request gets its first answer, a reused key with other content
is refused.

A client's Idempotency-Key is stored with the hash of what the request asked for (canonical
JSON: sorted keys, no spaces, values after the service's own normalisation). The same key with
the same content is a retry and gets the first answer; the same key with other content is not a
retry and gets 409 ``idempotency_conflict``, writing nothing, instead of the first answer and the
new content silently dropped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from wushe.core.errors import Conflict


def body_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``content`` (dates, decimals and ids as text)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"

    def __init__(self, zh: str = "该 Idempotency-Key 已用于内容不同的另一项提交;请为新的提交使用新的键",
                 en: str = "This Idempotency-Key was already used for a request with different "
                           "content; use a new key for a new request", **kw: Any) -> None:
        kw.setdefault("field", "idempotency_key")
        super().__init__(zh, en, **kw)


def check_replay(stored_hash: str | None, content_hash: str) -> None:
    """Raise IdempotencyConflict unless the first request's hash is this one's. A row from before
    the hash was stored (empty hash) is judged by the caller's own comparison."""
    if stored_hash and stored_hash != content_hash:
        raise IdempotencyConflict()
