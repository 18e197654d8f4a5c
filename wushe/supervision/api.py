"""The supervision API at /api/v1/supervision."""

from ninja import Router

router = Router(tags=["supervision"])
