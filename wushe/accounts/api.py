import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from ninja.security import SessionAuth as _NinjaSessionAuth

from wushe.accounts import credentials, login, otp, scope, services
from wushe.accounts.selectors import my_grants


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = credentials.token_user(token)
        if found is None:
            return None
        request.user, request.api_token = found  # type: ignore[attr-defined]
        return found[0]


class SessionAuth(_NinjaSessionAuth):
    """Browser session (with CSRF) for the pages' own htmx calls."""


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str
    # The second factor: a six-digit code or a recovery code, for the roles that need one.
    otp: str | None = None


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: dt.datetime


class GrantOut(Schema):
    role: str
    region_code: str
    region_name: str


class MeOut(Schema):
    username: str
    display_name: str
    is_superuser: bool
    grants: list[GrantOut]


@router.post("/token", auth=None, response={200: TokenOut})
def token_create(request: HttpRequest, body: TokenIn) -> dict[str, Any]:
    """Exchange username and password (and, for the roles that need it, a one-time code in
    ``otp``) for a bearer token (lockout applies)."""
    user = login.user_authenticate(username=body.username, password=body.password)
    otp.token_second_factor(user=user, code=body.otp)
    raw, token = services.token_create(actor=user)
    return {"token": raw, "expires_at": token.expires_at}


@router.post("/token/revoke", response={204: None})
def token_revoke(request: HttpRequest) -> Status[None]:
    """Revoke the bearer token used for this call."""
    token = getattr(request, "api_token", None)
    if token is not None:
        services.token_revoke(actor=request.user, token=token)  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "username": user.username,
        "display_name": getattr(user, "display_name", ""),
        "is_superuser": scope.is_superuser(user),
        "grants": [{"role": g.role, "region_code": g.region.code, "region_name": g.region.name}
                   for g in my_grants(actor=user)],
    }
