"""The second factor (accounts/otp.py): who needs it, enrolment, codes, recovery codes, reset by
another administrator, the token endpoint's ``otp`` field, and ``wushe otp`` for demo accounts."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from wushe.accounts import otp
from wushe.accounts.tests.otp_helpers import code, code_at, enrol, now_step
from wushe.audit.models import AuditEvent
from wushe.conftest import PASSWORD
from wushe.core.errors import NotFound, PermissionDenied


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp doubles a wait after each wrong code; these tests try a right code right after
    # a wrong one. test_wrong_code_throttles_the_next_try keeps the throttle.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _events(action: str) -> int:
    return AuditEvent.objects.unscoped().filter(action=action).count()


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = otp.otp_enrol_start(actor=user)
    return otp.otp_enrol_confirm(actor=user, device_id=device.pk, code=code(device))


def test_otp_required_follows_the_roles_setting(make_user, district, community_a, root):
    admin = make_user("district_admin", district)
    staff = make_user("community_staff", community_a)
    for role in ("auditor", "fund_manager", "system_admin", "security_admin", "audit_admin"):
        assert otp.otp_required(make_user(role, district)), role
    assert otp.otp_required(admin)
    assert not otp.otp_required(staff)
    assert otp.otp_required(root)  # the back office can read every record
    with override_settings(WUSHE_OTP_ROLES=["community_staff"]):
        assert otp.otp_required(staff) and not otp.otp_required(admin)


def test_enrolment_confirms_with_a_current_code_and_gives_ten_recovery_codes(make_user,
                                                                           district):
    admin = make_user("district_admin", district)
    started = otp.otp_enrol_start(actor=admin)
    assert otp.otp_enrol_start(actor=admin).pk == started.pk  # a reload shows the same secret
    assert otp.totp_device(admin) is None and not started.confirmed
    with pytest.raises(otp.OtpInvalid):
        otp.otp_enrol_confirm(actor=admin, device_id=started.pk, code="000000")
    assert otp.totp_device(admin) is None
    assert _events("accounts.otp.failed") == 1
    device, codes = otp.otp_enrol_confirm(actor=admin, device_id=started.pk, code=code(started))
    assert device.confirmed and otp.totp_device(admin).pk == device.pk
    assert len(codes) == 10 == len(set(codes)) == otp.recovery_codes_left(admin)
    assert _events("accounts.otp.enrolled") == 1
    assert otp.otpauth_uri(device).startswith("otpauth://totp/")
    assert otp.secret_base32(device) in otp.otpauth_uri(device)


def test_enrolling_again_replaces_the_old_authenticator_and_codes(make_user, district):
    admin = make_user("district_admin", district)
    old, old_codes = _enrolled(admin)
    new, new_codes = _enrolled(admin)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert StaticDevice.objects.filter(user=admin).count() == 1
    assert otp.recovery_codes_left(admin) == 10
    with pytest.raises(otp.OtpInvalid):
        otp.otp_verify(user=admin, code=old_codes[0])
    assert isinstance(otp.otp_verify(user=admin, code=new_codes[0]), StaticDevice)


def test_another_accounts_started_device_cannot_be_confirmed(make_user, district):
    admin = make_user("district_admin", district)
    other = make_user("auditor", district)
    started = otp.otp_enrol_start(actor=other)
    with pytest.raises(NotFound):
        otp.otp_enrol_confirm(actor=admin, device_id=started.pk, code=code(started))


def test_a_code_is_accepted_once(make_user, district):
    admin = make_user("district_admin", district)
    device = enrol(admin)
    right = code(device)
    assert otp.otp_verify(user=admin, code=right).pk == device.pk
    with pytest.raises(otp.OtpInvalid):
        otp.otp_verify(user=admin, code=right)
    assert _events("accounts.otp.verified") == 1 and _events("accounts.otp.failed") == 1


def test_full_width_digits_and_spaces_are_read(make_user, district):
    admin = make_user("district_admin", district)
    device = enrol(admin)
    right = code(device)
    typed = " ".join(chr(ord(c) + 0xFEE0) for c in right)  # full-width, with spaces
    assert otp.otp_verify(user=admin, code=typed).pk == device.pk


def test_recovery_code_works_once(make_user, district):
    admin = make_user("district_admin", district)
    _device, codes = _enrolled(admin)
    used = codes[3]
    assert isinstance(otp.otp_verify(user=admin, code=used.upper()), StaticDevice)
    assert otp.recovery_codes_left(admin) == 9
    assert _events("accounts.otp.recovery_used") == 1
    with pytest.raises(otp.OtpInvalid):
        otp.otp_verify(user=admin, code=used)
    assert not StaticToken.objects.filter(token=used).exists()


def test_wrong_code_throttles_the_next_try(make_user, district, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    admin = make_user("district_admin", district)
    device = enrol(admin)
    with pytest.raises(otp.OtpInvalid):
        otp.otp_verify(user=admin, code="000000" if code(device) != "000000" else "111111")
    with pytest.raises(otp.OtpInvalid):  # the right code, but within a second of a wrong one
        otp.otp_verify(user=admin, code=code(device))


def test_reset_by_another_administrator_is_audited(make_user, district):
    admin = make_user("district_admin", district)
    security = make_user("security_admin", district)
    _enrolled(admin)
    assert otp.otp_reset(actor=security, user=admin) == 2  # authenticator + recovery codes
    assert otp.totp_device(admin) is None and otp.recovery_codes_left(admin) == 0
    event = AuditEvent.objects.unscoped().get(action="accounts.otp.reset")
    assert event.actor_id == security.pk and event.target_id == str(admin.pk)
    # a district admin (accounts.manage) may reset too
    auditor = make_user("auditor", district)
    enrol(auditor)
    otp.otp_reset(actor=admin, user=auditor)
    assert otp.totp_device(auditor) is None


def test_reset_of_ones_own_second_factor_is_refused(make_user, district):
    admin = make_user("district_admin", district)
    device = enrol(admin)
    with pytest.raises(PermissionDenied):
        otp.otp_reset(actor=admin, user=admin)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert _events("accounts.otp.reset") == 0


def test_reset_outside_scope_looks_like_a_missing_account(make_user, district, street,
                                                           community_a):
    admin = make_user("district_admin", district)
    device = enrol(admin)
    street_security = make_user("security_admin", street)
    staff = make_user("community_staff", community_a)
    for actor in (street_security, staff):
        with pytest.raises(NotFound) as exc:
            otp.otp_reset(actor=actor, user=admin)
        assert exc.value.en == "Account not found"
    with pytest.raises(NotFound) as missing:
        otp.otp_reset_target(actor=street_security, username="nobody-here")
    assert missing.value.en == "Account not found"
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    # inside its street the street security administrator may reset
    worker = make_user("street_staff", street)
    enrol(worker)
    otp.otp_reset(actor=street_security, user=worker)
    assert otp.totp_device(worker) is None


# --- POST /api/v1/auth/token ---------------------------------------------------------------

def _token(body: dict) -> tuple[int, dict]:
    response = Client().post("/api/v1/auth/token", body, content_type="application/json")
    return response.status_code, response.json()


def test_token_needs_the_code_for_an_otp_role(make_user, district):
    admin = make_user("district_admin", district, "admin_x")
    device = enrol(admin)
    status, body = _token({"username": "admin_x", "password": PASSWORD})
    assert (status, body["code"]) == (401, "otp_required")
    assert body["message"]["zh"] and body["message"]["en"]
    status, body = _token({"username": "admin_x", "password": PASSWORD, "otp": "12345"})
    assert (status, body["code"]) == (401, "otp_invalid")
    assert body["message"]["zh"] and body["message"]["en"]
    status, body = _token({"username": "admin_x", "password": PASSWORD, "otp": code(device)})
    assert status == 200 and body["token"].startswith("wst_")


def test_token_takes_a_recovery_code(make_user, district):
    admin = make_user("district_admin", district, "admin_x")
    _device, codes = _enrolled(admin)
    status, _body = _token({"username": "admin_x", "password": PASSWORD, "otp": codes[0]})
    assert status == 200
    status, body = _token({"username": "admin_x", "password": PASSWORD, "otp": codes[0]})
    assert (status, body["code"]) == (401, "otp_invalid")


def test_token_for_an_unenrolled_otp_role_asks_for_enrolment(make_user, district):
    make_user("auditor", district, "auditor_x")
    status, body = _token({"username": "auditor_x", "password": PASSWORD, "otp": "123456"})
    assert (status, body["code"]) == (401, "otp_enrolment_required")
    assert body["message"]["zh"] and body["message"]["en"]


def test_token_without_code_for_other_roles_and_wrong_password_first(staff_a, make_user,
                                                                    district):
    assert _token({"username": "staff_a", "password": PASSWORD})[0] == 200
    make_user("district_admin", district, "admin_x")
    status, body = _token({"username": "admin_x", "password": "wrong", "otp": "123456"})
    assert (status, body["code"]) == (401, "invalid_credentials")  # the password comes first


# --- wushe otp USERNAME ----------------------------------------------------------------------

def _demo_sheet(tmp_path: Path, rows: list[dict]) -> None:
    (tmp_path / "demo-accounts.json").write_text(json.dumps(rows), encoding="utf-8")


def test_wushe_otp_prints_the_code_of_a_demo_account(make_user, district, tmp_path, settings):
    from wushe.demo.build import _enrol_demo_device

    settings.DATA_DIR = tmp_path
    admin = make_user("district_admin", district, "district_admin")
    device = _enrol_demo_device(admin)
    _demo_sheet(tmp_path, [{"username": "district_admin",
                            "totp_secret": otp.secret_base32(device)}])
    out = StringIO()
    call_command("otp", "district_admin", stdout=out)
    printed = out.getvalue().strip()
    assert printed in {code_at(device.bin_key, now_step() + d) for d in (0, 1)}
    assert otp.otp_verify(user=admin, code=printed).pk == device.pk


def test_wushe_otp_refuses_an_account_the_demo_did_not_create(make_user, district, tmp_path,
                                                            settings):
    settings.DATA_DIR = tmp_path
    real = make_user("district_admin", district, "real_admin")
    device = enrol(real)
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("otp", "real_admin", stdout=StringIO())
    # listed in a sheet (say, edited by hand) but its authenticator is not the demo's
    _demo_sheet(tmp_path, [{"username": "real_admin", "totp_secret": otp.secret_base32(device)}])
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("otp", "real_admin", stdout=StringIO())
    # a demo account that enrolled again since: the sheet's secret is no longer its own
    from wushe.demo.build import _enrol_demo_device

    demo = make_user("auditor", district, "auditor")
    old = _enrol_demo_device(demo)
    _demo_sheet(tmp_path, [{"username": "auditor", "totp_secret": "JBSWY3DPEHPK3PXP"}])
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("otp", "auditor", stdout=StringIO())
    assert TOTPDevice.objects.filter(pk=old.pk).exists()


def test_wushe_otp_exits_non_zero(make_user, district, tmp_path):
    import subprocess
    import sys

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "wushe.cli", "otp", "nobody"], capture_output=True, text=True,
        env={"WUSHE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
             "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        cwd=Path(__file__).resolve().parents[3], timeout=120)
    assert result.returncode != 0
    assert "not a demo account" in result.stderr
