"""Acceptance (issue #13): the district admin enrols TOTP by reading the QR code's secret, signs
out, signs in with a computed code, and cannot sign in without one; another account's second
factor is reset by the district admin and set up again at its next sign-in.

Real Chromium against a real server (wushe/web/tests/browser.py); run with
``pytest -m browser wushe/web/tests/test_browser_otp.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from wushe.web.tests.browser import (
    TOTP_SECRETS,
    Server,
    enter_code,
    login,
    new_page,
    totp_code,
)

pytestmark = pytest.mark.browser


def _logout(page: Any, base: str) -> None:
    page.click("form[action='/logout/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.url.startswith(f"{base}/login/")


def _secret_from_qr(page: Any) -> str:
    """What an authenticator app reads from the QR code: the otpauth URI's secret."""
    qr = page.locator("[data-testid=otp-qr]")
    assert qr.locator("svg").is_visible()  # drawn by the app itself, inline
    uri = urlparse(qr.get_attribute("data-otpauth"))
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    params = parse_qs(uri.query)
    assert params["issuer"] == ["wushe"] and params["digits"] == ["6"]
    secret = params["secret"][0]
    typed = page.locator("[data-testid=otp-secret]").inner_text().replace(" ", "")
    assert typed == secret  # the same secret, grouped for typing
    return secret


def _recovery_codes(page: Any) -> list[str]:
    codes = page.locator("[data-testid=recovery-code]").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    return codes


def test_district_admin_enrols_by_the_qr_code_and_needs_the_code_to_sign_in(
        server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    base = server.base
    account = server.account("district_admin")
    username, password = account["username"], account["password"]

    # The demo enrolled the account: password, then the code from the demo's secret.
    login(page, base, username, password)
    assert page.url == f"{base}/"

    # Set up a new authenticator: read the secret from the QR code, confirm with its code.
    page.click("[data-testid=account-security]")
    page.wait_for_load_state()
    page.click("[data-testid=otp-reenrol]")
    page.wait_for_load_state()
    secret = _secret_from_qr(page)
    assert secret != account["totp_secret"]
    page.screenshot(path=str(shots / "otp-enrol.png"), full_page=True)
    # From here the account's codes come from the new secret (also for the next test).
    TOTP_SECRETS[username] = secret
    enter_code(page, totp_code(secret, username))
    codes = _recovery_codes(page)
    page.screenshot(path=str(shots / "otp-recovery-codes.png"), full_page=True)
    page.click("[data-testid=recovery-continue]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=recovery-left]").inner_text() == "10"
    _logout(page, base)

    # Sign in again: the password is not enough, the code of the new secret is.
    login(page, base, username, password, otp=False)
    assert page.url == f"{base}/login/otp/"
    page.goto(f"{base}/people/")
    assert page.url.startswith(f"{base}/login/")  # not signed in between the two steps
    login(page, base, username, password, otp=False)
    enter_code(page, totp_code(secret, username))
    assert page.url == f"{base}/"
    assert page.locator("[data-testid=user-name]").is_visible()
    _logout(page, base)

    # Without a code, with an empty one, or with the old (replaced) secret's: refused.
    login(page, base, username, password, otp=False)
    enter_code(page, "")
    assert page.locator("[data-testid=otp-error]").is_visible()
    enter_code(page, totp_code(account["totp_secret"]))
    assert page.locator("[data-testid=otp-error]").is_visible()
    assert page.url == f"{base}/login/otp/"
    page.screenshot(path=str(shots / "otp-refused.png"), full_page=True)
    page.goto(f"{base}/account/security/")  # "/" is the residents' portal when signed out
    assert page.url.startswith(f"{base}/login/")
    page.wait_for_timeout(1500)  # django-otp's throttle after a wrong code (1 s), for later

    # A recovery code signs in once.
    login(page, base, username, password, otp=False)
    enter_code(page, codes[0])
    assert page.url == f"{base}/"

    outside = [u for u in requests
               if not u.startswith(("data:", "blob:")) and not u.startswith(base + "/")]
    assert outside == []  # the QR code came from no outside service
    # The refused codes answer 400 (a refused form), which Chromium logs; nothing else.
    assert [p for p in problems if "status of 400" not in p] == []


def test_reset_by_the_district_admin_and_enrolment_at_the_next_sign_in(
        server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    admin_page = new_page(browser, requests, problems)
    base = server.base
    admin = server.account("district_admin")
    auditor = server.account("auditor")

    login(admin_page, base, admin["username"], admin["password"])
    admin_page.goto(f"{base}/account/security/")
    # Its own second factor it may not reset.
    admin_page.fill("#id_reset_username", admin["username"])
    admin_page.click("[data-testid=otp-reset-form] button[type=submit]")
    admin_page.wait_for_load_state()
    assert admin_page.locator("[data-testid=security-error]").is_visible()
    admin_page.fill("#id_reset_username", auditor["username"])
    admin_page.click("[data-testid=otp-reset-form] button[type=submit]")
    admin_page.wait_for_load_state()
    assert admin_page.url == f"{base}/account/security/"
    assert admin_page.locator(".alert-success").is_visible()

    # The auditor's next sign-in enrols first (not signed in until the code is confirmed).
    page = new_page(browser, requests, problems)
    login(page, base, auditor["username"], auditor["password"], otp=False)
    assert page.url == f"{base}/login/enrol/"
    secret = _secret_from_qr(page)
    enter_code(page, totp_code(secret, "auditor-new"))
    _recovery_codes(page)
    page.click("[data-testid=recovery-continue]")
    page.wait_for_load_state()
    assert page.url == f"{base}/"
    page.screenshot(path=str(shots / "otp-auditor-enrolled.png"), full_page=True)
    # The refused self-reset answers 403, which Chromium logs; nothing else.
    assert [p for p in problems if "status of 403" not in p] == []
