"""A resident on a phone asks for SMS about the request (issue #17): the code comes through the
file SMS backend (DATA_DIR/outbox/sms.jsonl, written by the server's real worker), goes into the
tracking page; then every state change reaches the file with the tracking code only, and the
resident rates from the link of the last message. Run with ``pytest -m browser``."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from wushe.web.tests.browser import BIN, ROOT, Server

pytestmark = pytest.mark.browser

ENV = {"WUSHE_NEEDS_SMS_QUIET_HOURS": "0",  # progress SMS would otherwise wait for 08:00
       "WUSHE_SMS_PER_PHONE_PER_DAY": "10", "WUSHE_SMS_BACKEND": "file"}
NAME, DESCRIPTION, HOME = "欧阳娜娜", "独居老人行动不便,希望有人上门照护", "杨坪"


@pytest.fixture(scope="module")
def sms_env() -> Iterator[None]:
    """Set before the module's server starts (it copies os.environ), restored after."""
    saved = {k: os.environ.get(k) for k in ENV}
    os.environ.update(ENV)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def outbox(server: Server, count: int, timeout: float = 60) -> list[dict[str, Any]]:
    path = server.data_dir / "outbox" / "sms.jsonl"
    deadline = time.monotonic() + timeout
    lines: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        if path.exists():
            lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
            if len(lines) >= count:
                return lines
        time.sleep(0.3)
    raise AssertionError(f"{len(lines)} SMS in the outbox, waited for {count}: {lines}")


STAFF_STEPS = """
from wushe.accounts.models import User
from wushe.needs import services
from wushe.needs.models import Assignment, Need
u = User.objects.get(username={user!r})
n = Need.objects.unscoped().get(tracking_code={code!r})
n = services.need_accept(actor=u, need=n)
services.need_dispatch(actor=u, need=n, assignments=[services.AssignmentSpec("committee", str(u.pk), "lead")])
services.assignment_take(actor=u, assignment=Assignment.objects.unscoped().get(need=n))
n.refresh_from_db()
services.need_resolve(actor=u, need=n, result="已上门照护")
"""


def test_resident_confirms_the_phone_hears_each_step_and_rates_from_the_link(
        sms_env: None, server: Server, browser: Any, shots: Path) -> None:
    problems: list[str] = []
    staff = server.account("community_staff")
    phone = f"139{random.randrange(10**8):08d}"  # noqa: S311
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{server.base}/needs/submit")
    page.locator("label", has_text="养老服务").click()
    page.click("[data-testid=next]")
    page.select_option("select[name=community]", staff["region_code"])
    page.click("[data-testid=next]")
    page.fill("textarea[name=description]", DESCRIPTION)
    page.click("[data-testid=next]")
    page.fill("input[name=contact_name]", NAME)
    page.fill("input[name=contact_phone]", phone)
    page.check("input[name=notify]")  # send me SMS about the progress, next to the phone
    page.click("[data-testid=next]")
    page.check("input[name=consent]")
    page.click("[data-testid=next]")
    code = page.locator("[data-testid=new-code]").inner_text().strip()
    assert len(code) == 14
    assert page.locator("[data-testid=sms-form]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "sms-1-code-asked.png"), full_page=True)

    # The code, from the file the worker wrote: one message, the number masked.
    first = outbox(server, 1)
    assert len(first) == 1 and code in first[0]["text"] and phone not in json.dumps(first)
    found = re.search(r"验证码 (\d{6})", first[0]["text"])
    assert found is not None
    page.fill("#id_sms_code", found.group(1))
    page.click("[data-testid=sms-form] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=sms-confirmed]").is_visible()
    page.screenshot(path=str(shots / "sms-2-confirmed.png"), full_page=True)

    # Staff move the need: accepted, dispatched, taken, resolved.
    env = {**os.environ, "WUSHE_DATA_DIR": str(server.data_dir),
           "DJANGO_SETTINGS_MODULE": "config.settings.base", "WUSHE_DEBUG": "0"}
    subprocess.run([str(BIN / "wushe"), "shell", "-c",  # noqa: S603
                    STAFF_STEPS.format(user=staff["username"], code=code)],
                   cwd=ROOT, env=env, check=True, timeout=120, capture_output=True)
    lines = outbox(server, 5)
    updates = [line["text"] for line in lines[1:]]
    assert len(updates) == 4
    for label in ("已受理", "已派单", "已接单", "已办结"):
        assert sum(label in t for t in updates) == 1, (label, updates)
    for text in updates:
        assert code in text and f"/needs/track/{code}" in text
        assert not any(w in text for w in (NAME, "欧阳", DESCRIPTION[:4], phone, phone[-4:],
                                          HOME)), text
    resolved = next(t for t in updates if "已办结" in t)
    link = urlsplit(re.search(r"https?://\S+", resolved).group(0))  # type: ignore[union-attr]
    assert link.fragment == "rate"

    # The resident rates from the link of the last message (opened from the SMS: a new tab).
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{server.base}{link.path}#{link.fragment}")
    rating = page.locator("[data-testid=rating-form]")
    assert rating.is_visible()
    rating.locator("input[name=score][value='5']").check()
    rating.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=public-state]").inner_text().strip() == "已评价"
    assert "5 / 5" in page.content()
    page.screenshot(path=str(shots / "sms-3-rated.png"), full_page=True)
    assert len(outbox(server, 5)) == 5  # the resident's own rating sends nothing
    assert problems == []
    context.close()
