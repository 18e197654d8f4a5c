"""Staff sign-on through an OpenID Connect provider (accounts/oidc.py, web/oidc_views.py), against
a real provider on 127.0.0.1 (oidc_provider.py): PKCE, state, nonce, the ID token's checks, the
mapping to linked accounts only, the second factor, and password login switched off per role."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.contrib.auth import HASH_SESSION_KEY
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from joserfc.jwk import RSAKey

from wushe.accounts import oidc
from wushe.accounts.models import ExternalIdentity, User
from wushe.accounts.tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider
from wushe.audit.models import AuditEvent
from wushe.conftest import PASSWORD
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

UNLINKED_EN = "No account is linked to this identity"
UNLINKED_ZH = "此身份未关联任何本系统账号"


@pytest.fixture
def provider(settings: Any) -> Iterator[Provider]:
    with Provider() as p:
        settings.WUSHE_OIDC_ISSUER = p.issuer
        settings.WUSHE_OIDC_CLIENT_ID = CLIENT_ID
        settings.WUSHE_OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.WUSHE_OIDC_NAME = "渝快政"
        settings.WUSHE_OIDC_TIMEOUT_SECONDS = 1.0
        yield p


@pytest.fixture
def linked(provider: Provider, make_user: Callable[..., User], community_a: Region) -> User:
    user = make_user("community_staff", community_a, "oidc_staff")
    call_command("oidc", "link", "oidc_staff", provider.subject)
    return user


def _authorize(client: Client, next_url: str = "") -> str:
    """Start at wushe, let the provider answer: the callback URL (path and query) it sends to."""
    start = client.get("/login/oidc/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["Location"])
    assert back.path == "/login/oidc/callback/"
    return f"{back.path}?{back.query}"


def _signed_in(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def _failures(reason: str) -> int:
    return sum(1 for e in AuditEvent.objects.unscoped().filter(action="accounts.user.login_failed")
               if e.data.get("reason") == reason)


# --- the flow -----------------------------------------------------------------------------------

def test_the_start_sends_pkce_state_and_nonce(linked: User, provider: Provider) -> None:
    start = Client().get("/login/oidc/")
    query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 40 and len(query["nonce"]) >= 40
    assert query["client_id"] == CLIENT_ID and query["scope"] == "openid"
    assert query["redirect_uri"] == "http://testserver/login/oidc/callback/"


def test_a_linked_subject_signs_in(linked: User, provider: Provider) -> None:
    client = Client()
    response = client.get(_authorize(client, "/people/"))
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert _signed_in(client) == linked.pk
    linked.refresh_from_db()
    assert client.session[HASH_SESSION_KEY] == linked.get_session_auth_hash()
    assert linked.last_login is not None
    event = AuditEvent.objects.unscoped().filter(action="accounts.user.login").latest("pk")
    assert event.actor_id == linked.pk and event.data["method"] == "oidc"
    assert client.get("/").status_code == 200
    # A login like any other: "sign out everywhere" (the session generation) ends it too.
    client.post("/account/sign-out-everywhere/")
    assert _signed_in(client) is None


def test_an_outside_next_is_dropped(linked: User, provider: Provider) -> None:
    client = Client()
    response = client.get(_authorize(client, "https://evil.example/x"))
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_subject_is_refused_without_a_session(linked: User,
                                                         provider: Provider) -> None:
    provider.subject = "gov-9999"
    users = User.objects.count()
    client = Client()
    response = client.get(_authorize(client))
    body = response.content.decode()
    assert response.status_code == 403
    assert UNLINKED_EN in body and UNLINKED_ZH in body
    assert _signed_in(client) is None and client.get("/people/").status_code == 302
    assert User.objects.count() == users and ExternalIdentity.objects.count() == 1
    assert _failures("oidc_unlinked") == 1
    event = AuditEvent.objects.unscoped().filter(action="accounts.user.login_failed").latest("pk")
    assert "gov-9999" not in str(event.data)  # a keyed hash of the subject only


def test_a_disabled_account_is_not_signed_in(linked: User, provider: Provider) -> None:
    User.objects.filter(pk=linked.pk).update(is_active=False)
    client = Client()
    assert client.get(_authorize(client)).status_code == 403
    assert _signed_in(client) is None


@pytest.mark.parametrize("case", ["forged", "audience", "expired", "nonce", "issuer", "no_iat"])
def test_a_bad_id_token_is_refused_without_a_session(linked: User, provider: Provider,
                                                     case: str) -> None:
    now = int(time.time())
    if case == "forged":  # the provider's kid, another key
        provider.sign_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    elif case == "no_iat":
        provider.drop = {"iat"}
    else:
        bent: dict[str, dict[str, Any]] = {
            "audience": {"aud": "another-client"},
            "expired": {"exp": now - 600, "iat": now - 1200},
            "nonce": {"nonce": "not-the-one-we-sent"},
            "issuer": {"iss": "https://elsewhere.example"}}
        provider.claims = bent[case]
    client = Client()
    response = client.get(_authorize(client))
    assert response.status_code == 401, case
    assert "could not be accepted" in response.content.decode()
    assert _signed_in(client) is None
    assert _failures("invalid_token") == 1
    assert not AuditEvent.objects.unscoped().filter(action="accounts.user.login").exists()


def test_a_forged_token_does_not_make_wushe_read_the_keys_again(linked: User,
                                                               provider: Provider) -> None:
    client = Client()
    assert client.get(_authorize(client)).status_code == 302  # the keys read once, cached
    assert provider.jwks_requests == 1
    provider.sign_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    other = Client()
    assert other.get(_authorize(other)).status_code == 401
    assert provider.jwks_requests == 1


def test_a_rotated_key_is_fetched_once(linked: User, provider: Provider) -> None:
    client = Client()
    assert client.get(_authorize(client)).status_code == 302
    provider.key = provider.sign_key = RSAKey.generate_key(2048, parameters={"kid": "k2"})
    other = Client()
    assert other.get(_authorize(other)).status_code == 302
    assert _signed_in(other) == linked.pk and provider.jwks_requests == 2


@pytest.mark.parametrize("raw", ["not-a-token", "e30.e30.", "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_for_an_id_token_is_refused(linked: User, provider: Provider, raw: str) -> None:
    provider.raw_id_token = raw
    client = Client(raise_request_exception=False)
    assert client.get(_authorize(client)).status_code == 401
    assert _signed_in(client) is None


def test_the_same_key_and_claims_pass(linked: User, provider: Provider) -> None:
    """The control for the case above: a list audience naming us as azp is accepted."""
    provider.claims = {"aud": [CLIENT_ID, "other"], "azp": CLIENT_ID}
    client = Client()
    assert client.get(_authorize(client)).status_code == 302
    assert _signed_in(client) == linked.pk


def test_several_audiences_without_us_as_azp_are_refused(linked: User,
                                                          provider: Provider) -> None:
    provider.claims = {"aud": [CLIENT_ID, "other"], "azp": "other"}
    client = Client()
    assert client.get(_authorize(client)).status_code == 401
    assert _signed_in(client) is None


def test_a_state_works_once(linked: User, provider: Provider) -> None:
    client = Client()
    callback = _authorize(client)
    query = parse_qs(urlparse(callback).query)
    state, code = query["state"][0], query["code"][0]
    # A first try with the state and a wrong code uses the state up ...
    assert client.get(f"/login/oidc/callback/?state={state}&code=wrong").status_code == 401
    # ... so the state with the provider's right (unused) code is refused.
    assert client.get(f"/login/oidc/callback/?state={state}&code={code}").status_code == 401
    assert _signed_in(client) is None
    assert code in provider.codes  # never sent: the state stopped it


def test_a_replayed_callback_is_refused(linked: User, provider: Provider) -> None:
    client = Client()
    callback = _authorize(client)
    assert client.get(callback).status_code == 302
    other = Client()  # the same URL from another browser: no state of its own
    assert other.get(callback).status_code == 401
    assert _signed_in(other) is None
    assert client.get(callback).status_code == 401  # nor twice in the same session


def test_a_state_from_another_session_is_refused(linked: User, provider: Provider) -> None:
    victim, attacker = Client(), Client()
    callback = _authorize(attacker)
    victim.get("/login/oidc/")  # the victim has a sign-in of its own open
    assert victim.get(callback).status_code == 401
    assert _signed_in(victim) is None


def test_the_provider_saying_no_is_refused(linked: User, provider: Provider) -> None:
    client = Client()
    state = parse_qs(urlparse(client.get("/login/oidc/")["Location"]).query)["state"][0]
    response = client.get(f"/login/oidc/callback/?state={state}&error=access_denied")
    assert response.status_code == 401 and _signed_in(client) is None
    assert provider.token_requests == 0


# --- the provider down --------------------------------------------------------------------------

def test_a_provider_that_refuses_connections_gives_a_bilingual_page(settings: Any) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    settings.WUSHE_OIDC_ISSUER = f"http://127.0.0.1:{port}"
    settings.WUSHE_OIDC_CLIENT_ID = CLIENT_ID
    client = Client(raise_request_exception=False)
    response = client.get("/login/oidc/")
    body = response.content.decode()
    assert response.status_code == 502
    assert "统一身份认证平台暂时无法访问" in body and "cannot be reached" in body
    assert _signed_in(client) is None


def test_a_provider_that_times_out_gives_a_bilingual_page(linked: User, provider: Provider,
                                                          settings: Any) -> None:
    settings.WUSHE_OIDC_TIMEOUT_SECONDS = 0.3
    provider.token_delay = 1.0
    client = Client(raise_request_exception=False)
    started = time.monotonic()
    response = client.get(_authorize(client))
    assert time.monotonic() - started < 1.0
    body = response.content.decode()
    assert response.status_code == 502
    assert "统一身份认证平台暂时无法访问" in body and "cannot be reached" in body
    assert _signed_in(client) is None


def test_not_configured_there_is_no_button_and_no_page(settings: Any) -> None:
    settings.WUSHE_OIDC_ISSUER = ""
    assert "oidc-login" not in Client().get("/login/").content.decode()
    assert Client().get("/login/oidc/").status_code == 404
    assert Client().get("/login/oidc/callback/?state=x&code=y").status_code == 404


def test_configured_the_sign_in_page_has_the_button(provider: Provider) -> None:
    body = Client().get("/login/?next=/people/").content.decode()
    assert 'data-testid="oidc-login"' in body and "渝快政" in body
    assert 'href="/login/oidc/?next=/people/"' in body


# --- the second factor --------------------------------------------------------------------------

@pytest.fixture
def admin_linked(provider: Provider, make_user: Callable[..., User], district: Region) -> User:
    user = make_user("district_admin", district, "oidc_admin")  # a role that needs TOTP
    call_command("oidc", "link", "oidc_admin", provider.subject)
    return user


def test_wushe_still_asks_its_second_factor(admin_linked: User, provider: Provider,
                                            settings: Any) -> None:
    provider.claims = {"amr": ["pwd", "mfa"]}  # the provider says so, but it is not trusted
    client = Client()
    response = client.get(_authorize(client))
    assert response.status_code == 302 and response["Location"] == "/login/enrol/"
    assert _signed_in(client) is None


def test_a_trusted_provider_mfa_stands_for_the_second_factor(admin_linked: User,
                                                             provider: Provider,
                                                             settings: Any) -> None:
    settings.WUSHE_OIDC_TRUST_MFA = True
    provider.claims = {"amr": ["pwd", "otp"]}
    client = Client()
    response = client.get(_authorize(client))
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client) == admin_linked.pk


def test_trusted_but_without_mfa_in_amr_the_code_is_asked(admin_linked: User,
                                                          provider: Provider,
                                                          settings: Any) -> None:
    settings.WUSHE_OIDC_TRUST_MFA = True
    provider.claims = {"amr": ["pwd"]}
    client = Client()
    assert client.get(_authorize(client))["Location"] == "/login/enrol/"
    assert _signed_in(client) is None


# --- passwords off per role ---------------------------------------------------------------------

def _password(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": username, "password": password})


def test_password_login_is_refused_for_a_disabled_role(linked: User, settings: Any) -> None:
    settings.WUSHE_PASSWORD_LOGIN_DISABLED_ROLES = ["community_staff"]
    client = Client()
    response = _password(client, "oidc_staff")
    body = response.content.decode()
    assert response.status_code == 400
    assert ("不能用密码登录,请使用渝快政登录" in body
            or "cannot sign in with a password; sign in with 渝快政" in body)
    assert _signed_in(client) is None
    assert _failures("password_disabled") == 1
    # A wrong password says only that: the rule tells nothing without the password.
    wrong = _password(Client(), "oidc_staff", "wrong-password").content.decode()
    assert "不能用密码登录" not in wrong and "cannot sign in with a password" not in wrong
    assert _failures("bad_password") == 1
    # The API's token login is unchanged.
    token = Client().post("/api/v1/auth/token", {"username": "oidc_staff", "password": PASSWORD},
                          content_type="application/json")
    assert token.status_code == 200 and token.json()["token"]


def test_password_login_stays_for_other_roles(linked: User, settings: Any,
                                              make_user: Callable[..., User],
                                              community_a: Region) -> None:
    settings.WUSHE_PASSWORD_LOGIN_DISABLED_ROLES = ["street_staff"]
    client = Client()
    assert _password(client, "oidc_staff").status_code == 302
    assert _signed_in(client) == linked.pk


def test_an_account_with_one_role_not_listed_keeps_its_password(
        settings: Any, make_user: Callable[..., User], community_a: Region) -> None:
    from wushe.accounts.services import grant_add

    user = make_user("community_staff", community_a, "two_roles")
    grant_add(actor=None, user=user, role="social_worker", region=community_a)
    settings.WUSHE_PASSWORD_LOGIN_DISABLED_ROLES = ["community_staff"]
    client = Client()
    assert _password(client, "two_roles").status_code == 302


def test_a_provider_only_account_is_not_sent_to_change_its_password(
        linked: User, provider: Provider, settings: Any) -> None:
    User.objects.filter(pk=linked.pk).update(password_changed_at=None,
                                             date_joined="2000-01-01T00:00:00Z")
    client = Client()
    assert client.get(_authorize(client)).status_code == 302
    assert client.get("/").status_code == 302  # expired: to the password change
    settings.WUSHE_PASSWORD_LOGIN_DISABLED_ROLES = ["community_staff"]
    assert client.get("/").status_code == 200


# --- linking ------------------------------------------------------------------------------------

def test_link_is_audited_and_a_subject_links_one_account(
        linked: User, provider: Provider, make_user: Callable[..., User],
        community_a: Region) -> None:
    event = AuditEvent.objects.unscoped().get(action="accounts.oidc.linked")
    assert event.target_id == str(linked.pk) or str(event.target_id) == str(linked.pk)
    assert provider.subject not in str(event.data)
    make_user("community_staff", community_a, "someone_else")
    with pytest.raises(CommandError):
        call_command("oidc", "link", "someone_else", provider.subject)
    assert ExternalIdentity.objects.get().user_id == linked.pk
    call_command("oidc", "unlink", "oidc_staff")
    assert not ExternalIdentity.objects.exists()
    assert AuditEvent.objects.unscoped().filter(action="accounts.oidc.unlinked").count() == 1
    client = Client()
    assert client.get(_authorize(client)).status_code == 403  # unlinked: refused


def test_only_subject_matching_is_accepted(settings: Any) -> None:
    assert oidc.check_settings() == []
    settings.WUSHE_OIDC_MATCH = "phone"
    assert [e.id for e in oidc.check_settings()] == ["wushe.E047"]


def test_a_retired_superuser_is_refused_through_the_provider_too(
        root: User, provider: Provider, make_user: Callable[..., User], district: Region,
        settings: Any) -> None:
    settings.WUSHE_SUPERUSER_INSTALL_ONLY = True
    settings.WUSHE_OIDC_TRUST_MFA = True  # so the control below logs in at once
    provider.claims = {"amr": ["mfa"]}
    call_command("oidc", "link", "root", provider.subject)
    client = Client()
    assert client.get(_authorize(client)).status_code == 302  # before: the installer signs in
    assert _signed_in(client) == root.pk
    for role in ("system_admin", "security_admin", "audit_admin"):
        make_user(role, district, role)
    client = Client()
    response = client.get(_authorize(client))
    assert response.status_code == 403 and "installation" in response.content.decode()
    assert _signed_in(client) is None and _failures("superuser_retired") == 1
