"""Per-request facts that services need but should not take as arguments (the client IP)."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("wushe_current_ip", default=None)


def client_ip(meta: dict[str, str]) -> str | None:
    # Behind the reverse proxy the real client is the first X-Forwarded-For hop; the proxy is
    # trusted only when WUSHE_TRUST_PROXY is set (see settings), otherwise REMOTE_ADDR.
    from django.conf import settings

    if getattr(settings, "WUSHE_TRUST_PROXY", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return meta.get("REMOTE_ADDR")
