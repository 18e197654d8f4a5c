"""An account's credentials on the auth path: a bearer token resolved to its user, and every
session and token of an account ended at once. Called inside the services (and OTP steps)
that checked their permission and write the audit event; not entry points themselves."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from wushe.accounts.models import ApiToken, User

TOKEN_PREFIX = "wst_"


def revoke_tokens(user: User, now: dt.datetime) -> int:
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)


def end_access(user: User) -> int:
    """End every session (the generation in the session hash) and API token of the account at
    once; returns the number of tokens revoked. Part of the caller's transaction and audit."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    return revoke_tokens(user, timezone.now())


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """Resolve a bearer token to its user, if active. A read, but on the auth path."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(raw)).first()
    if token is None or not token.is_active() or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch last_used at most once a minute: a token used in a loop must not write every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
