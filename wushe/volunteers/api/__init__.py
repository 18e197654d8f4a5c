"""The volunteers API at /api/v1/volunteers (and /api/v1/public for the public operations).

Thin: parse, call a selector or service, serialise. Scope and rules live below.
"""

from wushe.volunteers.api import (  # noqa: F401
    activities,
    certificates,
    national,
    records,
    teams,
    volunteers,
)
from wushe.volunteers.api.base import public_router, router

__all__ = ["public_router", "router"]
