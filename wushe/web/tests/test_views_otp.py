"""The two-step login, enrolment at login, the account's security page, the reset page, and the
back office behind a verified second factor."""

from __future__ import annotations

import re
from base64 import b32decode
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.accounts import otp
from wushe.accounts.tests.otp_helpers import code, code_at, enrol, now_step, verify_session
from wushe.audit.models import AuditEvent
from wushe.web.tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp doubles a wait after each wrong code; the tests follow wrong codes with right
    # ones at once. accounts/tests/test_otp.py tests the throttle itself.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _password(client: Client, username: str, next_url: str = "") -> str:
    response = client.post("/login/", {"username": username, "password": PASSWORD,
                                       "next": next_url})
    assert response.status_code == 302
    return str(response["Location"])


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session and client.get("/").status_code == 200


def _events(action: str) -> int:
    return AuditEvent.objects.unscoped().filter(action=action).count()


def test_password_alone_does_not_log_in_an_otp_role(world: World) -> None:
    enrol(world.users["admin"])
    client = Client()
    assert _password(client, "admin") == "/login/otp/"
    assert not _logged_in(client)
    assert client.get("/people/").status_code == 302
    page = client.get("/login/otp/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()


def test_the_code_step_logs_in_and_verifies_the_session(world: World) -> None:
    device = enrol(world.users["admin"])
    client = Client()
    _password(client, "admin", next_url="/people/")
    response = client.post("/login/otp/", {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert _logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_roles_without_a_second_factor_log_in_with_the_password(world: World) -> None:
    client = Client()
    assert _password(client, "staff_a") == "/"
    assert _logged_in(client)


def test_an_account_that_enrolled_of_its_own_accord_is_asked_for_its_code(world: World) -> None:
    enrol(world.users["staff_a"])
    client = Client()
    assert _password(client, "staff_a") == "/login/otp/"
    assert not _logged_in(client)


def test_wrong_code_is_refused_and_audited(world: World) -> None:
    device = enrol(world.users["admin"])
    client = Client()
    _password(client, "admin")
    wrong = "000000" if code(device) != "000000" else "111111"
    response = client.post("/login/otp/", {"code": wrong})
    assert response.status_code == 400
    assert "动态验证码或恢复码错误" in response.content.decode()
    assert not _logged_in(client)
    assert _events("accounts.otp.failed") == 1


def test_five_wrong_codes_send_the_login_back_to_the_password(world: World) -> None:
    device = enrol(world.users["admin"])
    client = Client()
    _password(client, "admin")
    for _ in range(settings.WUSHE_OTP_MAX_FAILURES - 1):
        assert client.post("/login/otp/", {"code": "12345x"}).status_code == 400
    response = client.post("/login/otp/", {"code": "12345x"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    # the pending login is gone: even the right code needs the password again
    after = client.post("/login/otp/", {"code": code(device)})
    assert after.status_code == 302 and after["Location"] == "/login/"
    assert not _logged_in(client)
    assert _events("accounts.otp.failed") == settings.WUSHE_OTP_MAX_FAILURES


def test_a_recovery_code_logs_in_once(world: World) -> None:
    admin = world.users["admin"]
    started = otp.otp_enrol_start(actor=admin)
    _device, codes = otp.otp_enrol_confirm(actor=admin, device_id=started.pk,
                                           code=code(started))
    first = Client()
    _password(first, "admin")
    assert first.post("/login/otp/", {"code": codes[0]}).status_code == 302
    assert _logged_in(first)
    second = Client()
    _password(second, "admin")
    assert second.post("/login/otp/", {"code": codes[0]}).status_code == 400
    assert not _logged_in(second)
    assert _events("accounts.otp.recovery_used") == 1


@override_settings(WUSHE_OTP_PENDING_MINUTES=0)
def test_a_pending_login_expires(world: World) -> None:
    device = enrol(world.users["admin"])
    client = Client()
    _password(client, "admin")
    response = client.post("/login/otp/", {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert not _logged_in(client)


def _otpauth(html: str) -> str:
    match = re.search(r'data-otpauth="([^"]+)"', html)
    assert match, "no data-otpauth on the page"
    return unescape(match.group(1))


def test_an_unenrolled_otp_role_enrols_before_it_is_logged_in(world: World) -> None:
    client = Client()
    assert _password(client, "auditor") == "/login/enrol/"
    assert not _logged_in(client)
    page = client.get("/login/enrol/").content.decode()
    assert "<svg" in page and "ws-qr" in page  # drawn by the app, inline
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", "")  # no outside image service
    uri = urlparse(_otpauth(page))
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    secret = parse_qs(uri.query)["secret"][0]
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    assert client.get("/login/enrol/").content.decode().count(secret) >= 1  # same on reload
    wrong = client.post("/login/enrol/", {"code": "000000"})
    assert wrong.status_code == 400 and not _logged_in(client)
    key = b32decode(secret)
    done = client.post("/login/enrol/", {"code": code_at(key, now_step())})
    assert done.status_code == 200
    codes = re.findall(r'data-testid="recovery-code">([a-z2-7]{8})<', done.content.decode())
    assert len(codes) == 10
    assert _logged_in(client)
    assert otp.totp_device(world.users["auditor"]) is not None
    assert _events("accounts.otp.enrolled") == 1


def test_enrolled_accounts_cannot_enrol_again_at_login(world: World) -> None:
    enrol(world.users["admin"])
    client = Client()
    _password(client, "admin")
    response = client.get("/login/enrol/")
    assert response.status_code == 302 and response["Location"] == "/login/otp/"


def test_code_pages_without_a_right_password_send_to_the_login(world: World) -> None:
    for url in ("/login/otp/", "/login/enrol/"):
        response = Client().post(url, {"code": "123456"})
        assert response.status_code == 302 and response["Location"] == "/login/"


# --- the account's security page ---------------------------------------------------------------

def test_security_page_shows_the_status(world: World) -> None:
    client = world.client("staff_a")
    html = client.get("/account/security/").content.decode()
    assert 'data-testid="otp-enrolled"' in html and "otp-reset-form" not in html
    admin = world.client("admin")
    verify_session(admin, world.users["admin"])
    html = admin.get("/account/security/").content.decode()
    assert "otp-reset-form" in html and 'data-testid="recovery-left"' in html


def test_re_enrolment_replaces_the_authenticator_and_keeps_the_session_verified(
        world: World) -> None:
    user = world.users["admin"]
    client = world.client("admin")
    old = verify_session(client, user)
    page = client.get("/account/security/enrol/").content.decode()
    key = b32decode(parse_qs(urlparse(_otpauth(page)).query)["secret"][0])
    response = client.post("/account/security/enrol/", {"code": code_at(key, now_step())})
    assert response.status_code == 200 and "recovery-code" in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    new = otp.totp_device(user)
    assert client.session[DEVICE_ID_SESSION_KEY] == new.persistent_id


def test_re_enrolment_needs_a_session_verified_by_the_current_authenticator(
        world: World) -> None:
    user = world.users["admin"]
    enrol(user)
    client = world.client("admin")  # password only (force_login)
    assert client.get("/account/security/enrol/").status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_reset_page_resets_another_account_and_refuses_self_and_out_of_scope(
        world: World) -> None:
    admin, auditor = world.users["admin"], world.users["auditor"]
    enrol(auditor)
    enrol(admin)
    client = world.client("admin")
    response = client.post("/account/security/reset/", {"username": "auditor"})
    assert response.status_code == 302
    assert otp.totp_device(auditor) is None
    assert _events("accounts.otp.reset") == 1
    assert client.post("/account/security/reset/", {"username": "admin"}).status_code == 403
    assert otp.totp_device(admin) is not None
    missing = client.post("/account/security/reset/", {"username": "nobody"})
    assert missing.status_code == 404
    # a community worker holds neither security.manage nor accounts.manage: the district
    # admin does not exist for it
    staff = world.client("staff_a")
    refused = staff.post("/account/security/reset/", {"username": "admin"})
    assert refused.status_code == 404
    assert otp.totp_device(admin) is not None
    assert _events("accounts.otp.reset") == 1


def test_reset_needs_post(world: World) -> None:
    assert world.client("admin").get("/account/security/reset/").status_code == 405


# --- the back office -----------------------------------------------------------------------------

def test_back_office_refuses_a_session_without_a_second_factor(world: World) -> None:
    client = Client()
    client.force_login(world.root, backend="wushe.accounts.backends.LockoutBackend")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    login_page = client.get(response["Location"])
    assert login_page.status_code == 302 and login_page["Location"].startswith("/login/?next=")
    verify_session(client, world.root)
    assert client.get("/admin/").status_code == 200


def test_superuser_reaches_the_back_office_through_the_two_step_login(world: World) -> None:
    device = enrol(world.root)
    client = Client()
    assert _password(client, "root", next_url="/admin/") == "/login/otp/"
    response = client.post("/login/otp/", {"code": code(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.post("/admin/login/", {"username": "root", "password": PASSWORD}
                       ).status_code == 302  # the admin's own form is not a way in


def test_second_factor_secrets_are_not_in_the_back_office(world: World) -> None:
    client = Client()
    client.force_login(world.root, backend="wushe.accounts.backends.LockoutBackend")
    verify_session(client, world.root)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_a_password_for_another_account_ends_the_current_session(world: World) -> None:
    enrol(world.users["admin"])
    client = world.client("staff_a")
    assert _password(client, "admin") == "/login/otp/"
    assert "_auth_user_id" not in client.session  # staff_a's session did not carry over
    assert client.get("/people/").status_code == 302
