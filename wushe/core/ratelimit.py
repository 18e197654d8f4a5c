"""Per-IP rate limits of the public endpoints, on Django's cache framework.

A fixed window counter: ``cache.add`` starts the window, ``cache.incr`` counts. The cache is
shared by every server process (config/settings/base.py: Redis with WUSHE_CACHE_URL, else
wushe.core.cache.SQLiteCache in its own file), and both calls are atomic across processes there
(Django's own DatabaseCache ``incr`` is not: SQLiteCache replaces it), so a limit holds for all
the servers together, however many workers run.

Rates are "N/period" with period s, m, h or d ("30/h"); "0" switches a limit off (load tests).
An app registers each kind with the setting (or environment variable) that overrides its
default: the needs app's public intake and tracking, the evaluation survey's answers and views.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.cache import cache

from wushe.core.errors import WusheError

DEFAULTS: dict[str, tuple[str, str]] = {}
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(WusheError):
    status = 429
    code = "rate_limited"


def register(kind: str, setting: str, default: str) -> None:
    """A limited kind of request; ``setting`` (or the environment variable) overrides
    ``default``."""
    DEFAULTS[kind] = (setting, default)


def parse_rate(text: str) -> tuple[int, int]:
    text = text.strip()
    if text in ("", "0"):
        return 0, 1
    count, _, period = text.partition("/")
    return int(count), PERIODS[period.strip()[-1:]] * int(period.strip()[:-1] or 1)


def rate(kind: str) -> tuple[int, int]:
    name, default = DEFAULTS[kind]
    return parse_rate(str(getattr(settings, name, None) or os.environ.get(name) or default))


def hit(kind: str, ip: str | None) -> None:
    """Count one request from ``ip``; raise RateLimited once the window's quota is used."""
    limit, window = rate(kind)
    if limit <= 0:
        return
    slot = int(time.time() // window)
    key = f"wushe:rl:{kind}:{ip or 'unknown'}:{slot}"
    cache.add(key, 0, timeout=window + 5)
    try:
        n = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, timeout=window + 5)
        n = 1
    if n > limit:
        raise RateLimited("提交过于频繁,请稍后再试", "Too many requests; please try again later")
