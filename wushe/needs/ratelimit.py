"""The needs app's per-IP limits of its public endpoints (the mechanism: core/ratelimit.py)."""

from __future__ import annotations

from wushe.core.ratelimit import hit, register

# A service hall's residents may share one address: generous, but it stops a script.
register("intake", "WUSHE_NEEDS_INTAKE_RATE", "30/h")
register("tracking", "WUSHE_NEEDS_TRACKING_RATE", "300/h")

__all__ = ["hit"]
