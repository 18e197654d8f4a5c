"""Real browser (#21 item 4): a volunteer's phone scans the activity's check-in QR (the test
reads the URL the QR carries from its ``data-checkin-url``), signs in, checks in and, when
leaving, scans again and checks out; the leader sees the sign-up checked out and the pending
record in the confirmation queue."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

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

PHONE = {"width": 390, "height": 844}
# The hours are counted to the hundredth (36 s): the volunteer stays a little longer than that.
STAY_SECONDS = 40


def _phone(browser: Any, requests: list[str], problems: list[str]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def _qr_url(leader: Any) -> str:
    leader.reload()
    qr = leader.locator("[data-checkin-url]")
    assert qr.locator("svg").count() == 1  # the app drew the code itself
    url = str(qr.get_attribute("data-checkin-url"))
    # The text link for those who cannot scan carries the same URL.
    assert leader.locator("[data-testid=checkin-link]").get_attribute("href") == url
    return url


def test_volunteer_checks_in_and_out_by_qr_and_leader_sees_the_record(
        server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    volunteer = server.account("volunteer")

    # The volunteer signs up for an open activity of its team, from its phone.
    phone = _phone(browser, requests, problems)
    phone.goto(f"{server.base}/login/")
    phone.fill("#id_username", volunteer["username"])
    phone.fill("#id_password", volunteer["password"])
    phone.click("form button[type=submit].btn-lg")
    phone.wait_for_load_state()
    if phone.url.startswith(f"{server.base}/login/otp/"):
        enter_code(phone, totp_code(TOTP_SECRETS[volunteer["username"]], volunteer["username"]))
    phone.goto(f"{server.base}/volunteers/me/")
    number = phone.locator(".ws-figure .ws-mono").first.inner_text().strip()
    phone.locator("a[href^='/volunteers/activities/']", has_text="重阳节空巢老人探访").first.click()
    phone.wait_for_load_state()
    activity_url = phone.url
    assert re.search(r"/volunteers/activities/\d+/$", activity_url)
    assert phone.locator("[data-checkin-url]").count() == 0  # a volunteer sees no QR
    phone.locator("input[name=self] + button").click()
    phone.wait_for_load_state()

    # The leader opens the activity: the QR, drawn by the app, with its link.
    leader = new_page(browser, requests, problems)
    account = server.account("team_leader")
    login(leader, server.base, account["username"], account["password"])
    leader.goto(activity_url)
    url = _qr_url(leader)
    assert url.startswith(f"{server.base}/v/checkin/")
    leader.screenshot(path=str(shots / "qr-checkin-leader.png"), full_page=True)

    # The phone "scans" it: one big button checks in.
    phone.goto(url)
    button = phone.locator("button[name=action][value=checkin]")
    box = button.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 60  # thumb-sized
    phone.screenshot(path=str(shots / "qr-checkin-phone.png"), full_page=True)
    button.click()
    phone.wait_for_load_state()
    assert phone.locator("button[name=action][value=checkout]").count() == 1
    leader.reload()
    assert leader.locator(f"tr[data-volunteer='{number}']").get_attribute(
        "data-status") == "checked_in"

    # Later the volunteer scans the code shown then and checks out.
    time.sleep(STAY_SECONDS)
    phone.goto(_qr_url(leader))
    phone.locator("button[name=action][value=checkout]").click()
    phone.wait_for_load_state()
    assert phone.locator("[data-testid=checkin-error]").count() == 0
    assert phone.locator("[role=status]").count() == 1
    phone.screenshot(path=str(shots / "qr-checkout-phone.png"), full_page=True)

    # The leader sees the sign-up checked out and the pending record to confirm.
    leader.reload()
    assert leader.locator(f"tr[data-volunteer='{number}']").get_attribute(
        "data-status") == "checked_out"
    leader.goto(f"{server.base}/volunteers/queue/")
    rows = leader.locator(f"tr[data-volunteer='{number}']", has_text="重阳节空巢老人探访")
    assert rows.count() == 1
    assert rows.first.locator("td.text-end").first.inner_text().strip() != ""
    leader.screenshot(path=str(shots / "qr-checkin-queue.png"), full_page=True)

    outside = [u for u in requests
               if not u.startswith(("data:", "blob:")) and not u.startswith(server.base + "/")]
    assert outside == []
    assert problems == []
