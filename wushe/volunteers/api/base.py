from ninja import Router

router = Router(tags=["volunteers"])
# No account: certificate verification and self-registration (each operation says auth=None).
public_router = Router(tags=["public"])
