from ninja import Router

router = Router(tags=["charity"])
# No account: mounted at /api/v1/public by config/api.py; every operation sets auth=None.
public_router = Router(tags=["public"])
