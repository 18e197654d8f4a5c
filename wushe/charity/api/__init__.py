"""The charity API: /api/v1/charity (staff, scoped) and /api/v1/public/funds (no account)."""

from wushe.charity.api import funds, money, public  # noqa: F401  (operations register)
from wushe.charity.api.routers import public_router, router

__all__ = ["public_router", "router"]
