"""Staff sign-on through an OpenID Connect provider (#21 item 2).

The authorization-code flow with PKCE (S256), ``state`` and ``nonce``:

1. ``begin`` reads the provider's discovery document (``<issuer>/.well-known/openid-
   configuration``, cached), keeps a fresh state, nonce and code verifier in the session and
   answers the provider's authorization URL;
2. ``finish`` (the callback) takes the state out of the session (used once: a replayed state
   finds nothing), exchanges the code at the token endpoint with the verifier, and checks the ID
   token: its signature against the provider's JWKS (RS256, PS256 or ES256; never ``none`` or a
   shared-secret HMAC), issuer, audience (and ``azp`` when there are several), expiry, issue
   time and the nonce;
3. ``oidc_login`` maps the identity claim (``WUSHE_OIDC_CLAIM``, default ``sub``) to an account
   through an ``ExternalIdentity`` an administrator linked (``wushe oidc link``). A sign-in never
   creates an account, an identity or a grant: an unknown identity is audited and refused.

Mapping by mobile number (``WUSHE_OIDC_MATCH=phone``) is not offered: accounts hold no
verified mobile number (the notifications' phone is a delivery address the account typed
itself, not proof of identity), so only a linked subject signs in; the system check
``wushe.E047`` refuses another value.

Second factor: by default wushe's TOTP is still asked after the provider (the login continues
exactly as after a right password, ``otp_views.password_accepted``). With
``WUSHE_OIDC_TRUST_MFA=1`` a provider whose ID token's ``amr`` contains ``mfa`` or ``otp`` counts
as the second factor and the account is logged in at once (the back office, which asks a
session verified by wushe's own device, still needs wushe's code).

An OIDC login is a login: ``accounts.user.login`` with ``method: oidc``, ``last_login``, the
session's generation hash and absolute lifetime, the same ``next`` checks. Refusals are audited
as ``accounts.user.login_failed`` with a reason; the subject is never written to a log or an
audit event in clear (a keyed hash only).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.core.checks import Error
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from wushe.accounts.models import ExternalIdentity, RoleGrant, User
from wushe.accounts.scope import home_path
from wushe.accounts.services import SuperuserRetired, _admins_in_place
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.core.context import current_ip
from wushe.core.errors import Conflict, NotFound, ValidationFailed, WusheError
from wushe.core.scoping import scopes_disabled
from wushe.core.services import service

SESSION_KEY = "wushe_oidc"
FLOW_SECONDS = 600  # a sign-in started more than ten minutes ago is refused at the callback
MAX_FLOWS = 5  # open sign-ins per session (several tabs); the oldest goes first
CACHE_SECONDS = 3600
ALGORITHMS = ["RS256", "PS256", "ES256"]
LEEWAY_SECONDS = 60
MFA_AMR = frozenset({"mfa", "otp"})


class OidcUnavailable(WusheError):
    status = 502
    code = "oidc_unavailable"


class OidcRefused(WusheError):
    status = 401
    code = "oidc_refused"


class OidcUnlinked(WusheError):
    status = 403
    code = "oidc_unlinked"


class PasswordLoginDisabled(WusheError):
    status = 403
    code = "password_login_disabled"


def unavailable() -> OidcUnavailable:
    return OidcUnavailable("统一身份认证平台暂时无法访问,请稍后再试或联系管理员",
                           "The identity provider cannot be reached just now; try again later "
                           "or ask an administrator")


def refused() -> OidcRefused:
    return OidcRefused("统一身份认证未通过,请重新登录",
                       "The identity provider's sign-in could not be accepted; sign in again")


def unlinked() -> OidcUnlinked:
    return OidcUnlinked("此身份未关联任何本系统账号,请联系管理员关联账号",
                        "No account is linked to this identity; ask an administrator to link "
                        "your account")


def password_disabled() -> PasswordLoginDisabled:
    name = settings.WUSHE_OIDC_NAME
    return PasswordLoginDisabled(
        f"此账号不能用密码登录,请使用{name or '统一身份认证平台'}登录",
        f"This account cannot sign in with a password; sign in with {name or 'the identity provider'}")


# --- configuration ------------------------------------------------------------------------------

def enabled() -> bool:
    return bool(settings.WUSHE_OIDC_ISSUER and settings.WUSHE_OIDC_CLIENT_ID)


def issuer() -> str:
    return str(settings.WUSHE_OIDC_ISSUER).rstrip("/")


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """wushe.E047: only subject matching is offered (see the module's docstring)."""
    if settings.WUSHE_OIDC_MATCH != "subject":
        return [Error("WUSHE_OIDC_MATCH must be 'subject': accounts hold no verified mobile "
                      "number; link identities with `wushe oidc link`", id="wushe.E047")]
    return []


def password_login_disabled(user: User) -> bool:
    """Every grant of the account is in a role that signs in through the provider only."""
    disabled = set(settings.WUSHE_PASSWORD_LOGIN_DISABLED_ROLES)
    if not disabled:
        return False
    with scopes_disabled():
        held = set(RoleGrant.objects.unscoped(reason="access: the account's own grants").filter(user_id=user.pk)
                   .values_list("role", flat=True))
    return bool(held) and held <= disabled


def subject_key(subject: str) -> str:
    """What the audit keeps of a subject: a keyed hash, enough to tell two attempts apart."""
    return salted_hmac("wushe.accounts.oidc.subject", subject, algorithm="sha256").hexdigest()[:16]


# --- the provider ---------------------------------------------------------------------------------

def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.WUSHE_OIDC_TIMEOUT_SECONDS)
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError):
        raise unavailable() from None
    if not isinstance(body, dict):
        raise unavailable()
    return body


def discovery() -> dict[str, Any]:
    """The provider's configuration, cached for an hour; its issuer must be ours exactly."""
    key = f"wushe:oidc:discovery:{issuer()}"
    doc = cache.get(key)
    if isinstance(doc, dict):
        return doc
    doc = _get_json(f"{issuer()}/.well-known/openid-configuration")
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if (str(doc.get("issuer", "")).rstrip("/") != issuer()
            or not all(isinstance(doc.get(k), str) and doc[k].startswith(("https://", "http://"))
                       for k in needed)):
        raise unavailable()
    cache.set(key, doc, CACHE_SECONDS)
    return doc


def _key_set(*, refresh: bool = False) -> KeySet:
    key = f"wushe:oidc:jwks:{issuer()}"
    data = None if refresh else cache.get(key)
    if not isinstance(data, dict):
        data = _get_json(discovery()["jwks_uri"])
        cache.set(key, data, CACHE_SECONDS)
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        raise unavailable() from None


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def begin(session: Any, *, redirect_uri: str, next_url: str) -> str:
    """Keep a new sign-in's secrets in the session; the provider's authorization URL."""
    doc = discovery()
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    flows = session.get(SESSION_KEY)
    flows = dict(flows) if isinstance(flows, dict) else {}
    now = time.time()
    flows = {k: v for k, v in flows.items()
             if isinstance(v, dict) and now - float(v.get("since", 0)) < FLOW_SECONDS}
    while len(flows) >= MAX_FLOWS:
        flows.pop(min(flows, key=lambda k: float(flows[k].get("since", 0))))
    flows[state] = {"nonce": nonce, "verifier": verifier, "since": now, "next": next_url,
                    "redirect_uri": redirect_uri}
    session[SESSION_KEY] = flows
    query = urlencode({
        "response_type": "code", "client_id": settings.WUSHE_OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri, "scope": "openid", "state": state, "nonce": nonce,
        "code_challenge": _s256(verifier), "code_challenge_method": "S256",
    })
    endpoint = doc["authorization_endpoint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _take_flow(session: Any, state: str) -> dict[str, Any]:
    """The sign-in this state started, removed from the session: a state works once."""
    flows = session.get(SESSION_KEY)
    flows = dict(flows) if isinstance(flows, dict) else {}
    flow = flows.pop(state, None) if state else None
    session[SESSION_KEY] = flows
    if not isinstance(flow, dict) or time.time() - float(flow.get("since", 0)) > FLOW_SECONDS:
        raise refused()
    return flow


def _exchange(code: str, flow: dict[str, Any]) -> str:
    """The code for the ID token at the token endpoint (client_secret_basic when a secret is
    set, the public client's PKCE alone otherwise)."""
    data = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": flow["redirect_uri"], "code_verifier": flow["verifier"]}
    auth = None
    if settings.WUSHE_OIDC_CLIENT_SECRET:
        auth = (settings.WUSHE_OIDC_CLIENT_ID, settings.WUSHE_OIDC_CLIENT_SECRET)
    else:
        data["client_id"] = settings.WUSHE_OIDC_CLIENT_ID
    try:
        response = requests.post(discovery()["token_endpoint"], data=data, auth=auth,
                                 timeout=settings.WUSHE_OIDC_TIMEOUT_SECONDS,
                                 headers={"Accept": "application/json"})
    except requests.RequestException:
        raise unavailable() from None
    if response.status_code >= 500:
        raise unavailable()
    try:
        body = response.json()
    except ValueError:
        raise refused() from None
    token = body.get("id_token") if isinstance(body, dict) else None
    if response.status_code != 200 or not isinstance(token, str):
        raise refused()
    return token


def _kid(token: str) -> str | None:
    head = token.split(".", 1)[0]
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    return header.get("kid") if isinstance(header, dict) else None


def validate_id_token(token: str, *, nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce hold."""
    try:
        keys = _key_set()
        if _kid(token) not in {k.kid for k in keys.keys}:
            # A key the cached set lacks (the provider rotated its keys): read the set again,
            # once per token; a bad signature under a known key does not ask the provider.
            keys = _key_set(refresh=True)
        decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
        claims = dict(decoded.claims)
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": issuer()},
            aud={"essential": True, "value": settings.WUSHE_OIDC_CLIENT_ID},
            exp={"essential": True}, iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(claims)
    except (JoseError, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise refused() from None
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and (
            claims.get("azp") != settings.WUSHE_OIDC_CLIENT_ID):
        raise refused()
    return claims


def identity(claims: dict[str, Any]) -> str:
    value = claims.get(settings.WUSHE_OIDC_CLAIM)
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise refused()
    return str(value).strip()[:255]


def mfa_done(claims: dict[str, Any]) -> bool:
    """The provider says it used more than a password (its ``amr``), and the site trusts it."""
    amr = claims.get("amr")
    return (settings.WUSHE_OIDC_TRUST_MFA and isinstance(amr, list)
            and bool(MFA_AMR & {str(a).lower() for a in amr}))


def _fail(reason: str, **data: Any) -> None:
    """Audit a refused sign-in in its own transaction (committed though the caller raises)."""
    address = (current_ip.get() or "")[:45]
    with transaction.atomic():
        audit.record(actor=None, action=Action.USER_LOGIN_FAILED, target=None, region_path="",
                     data={"reason": reason, "method": "oidc", "address": address, **data})


def finish(session: Any, *, state: str, code: str, error: str = "") -> tuple[User, dict[str, Any]]:
    """The callback: the linked account and the ID token's claims, or a WusheError (audited)."""
    flow = _take_flow(session, state[:200])
    if error or not code:
        _fail("provider_error")
        raise refused()
    try:
        claims = validate_id_token(_exchange(code[:2000], flow), nonce=flow["nonce"])
    except OidcRefused:
        _fail("invalid_token")
        raise
    user = oidc_login(subject=identity(claims), amr_mfa=mfa_done(claims))
    return user, {"next": flow.get("next", ""), "mfa": mfa_done(claims)}


def oidc_login(*, subject: str, amr_mfa: bool = False) -> User:
    """The account linked to ``subject`` at our issuer, logged in (audited as a login)."""
    address = (current_ip.get() or "")[:45]
    outcome: User | WusheError
    with transaction.atomic(), scopes_disabled():
        link = (ExternalIdentity.objects.select_related("user")
                .filter(issuer=issuer(), subject=subject).first())
        user = link.user if link is not None and link.user.is_active else None
        if user is None:
            audit.record(actor=None, action=Action.USER_LOGIN_FAILED, target=None,
                         region_path="", data={"reason": "oidc_unlinked", "method": "oidc",
                                               "subject": subject_key(subject),
                                               "address": address})
            outcome = unlinked()
        elif (user.is_superuser and settings.WUSHE_SUPERUSER_INSTALL_ONLY
              and _admins_in_place()):
            audit.record(actor=user, action=Action.USER_LOGIN_FAILED, target=user,
                         region_path=home_path(user),
                         data={"reason": "superuser_retired", "method": "oidc",
                               "address": address})
            outcome = SuperuserRetired(
                "系统已设立系统、安全、审计三名管理员,超级用户仅用于安装,不能登录",
                "The system, security and audit administrators are in place; the superuser is "
                "for installation only and cannot sign in")
        else:
            user.last_login = timezone.now()
            user.save(update_fields=["last_login"])
            audit.record(actor=user, action=Action.USER_LOGIN, target=user,
                         region_path=home_path(user),
                         data={"method": "oidc", "address": address, "provider_mfa": amr_mfa})
            outcome = user
    if isinstance(outcome, WusheError):
        raise outcome
    return outcome


# --- linking (administrators, `wushe oidc`) -------------------------------------------------------

@service
def oidc_link(*, actor: User | None, username: str, subject: str) -> ExternalIdentity:
    """Link an account to its subject at the configured provider (replacing its earlier one).

    ``actor`` None is the command line (the server's operator)."""
    subject = (subject or "").strip()
    if not issuer():
        raise ValidationFailed("未配置统一身份认证平台(WUSHE_OIDC_ISSUER)",
                               "No identity provider is configured (WUSHE_OIDC_ISSUER)")
    if not subject or len(subject) > 255:
        raise ValidationFailed("身份标识无效", "The subject is empty or too long",
                               field="subject")
    user = User.objects.filter(username=username[:150]).first()
    if user is None:
        raise NotFound("账号不存在", "Account not found")
    taken = ExternalIdentity.objects.filter(issuer=issuer(), subject=subject).first()
    if taken is not None and taken.user_id != user.pk:
        raise Conflict("此身份已关联另一个账号", "This identity is linked to another account",
                       code="oidc_subject_taken")
    ExternalIdentity.objects.filter(user=user, issuer=issuer()).delete()
    link = ExternalIdentity.objects.create(user=user, issuer=issuer(), subject=subject)
    audit.record(actor=actor, action=Action.OIDC_LINKED, target=user,
                 region_path=home_path(user), label=user.username,
                 data={"issuer": issuer(), "subject": subject_key(subject)})
    return link


@service
def oidc_unlink(*, actor: User | None, username: str) -> int:
    user = User.objects.filter(username=username[:150]).first()
    if user is None:
        raise NotFound("账号不存在", "Account not found")
    removed, _ = ExternalIdentity.objects.filter(user=user, issuer=issuer()).delete()
    if removed:
        audit.record(actor=actor, action=Action.OIDC_UNLINKED, target=user,
                     region_path=home_path(user), label=user.username,
                     data={"issuer": issuer()})
    return int(removed)
