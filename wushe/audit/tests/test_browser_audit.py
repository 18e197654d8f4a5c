"""An auditor reads the audit log in a real browser: filters by business area (needs) and reads
a dispatch as words (the action's label, the organisation's name), never as codes.

Run alone: ``pytest -m browser wushe/audit/tests/test_browser_audit.py``.
"""

from __future__ import annotations

import json
import os
import subprocess  # noqa: S404 (the dispatch goes through the real service in the demo database)
import sys
from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser

# A real dispatch through wushe.needs' service, to an organisation the need may go to.
DISPATCH = """
import json
from wushe.accounts.models import User
from wushe.core.errors import WusheError
from wushe.needs import services
from wushe.needs.models import Need
from wushe.orgs.models import SocialOrganization
done = None
staff = list(User.objects.filter(is_active=True).order_by("id"))
for need in Need.objects.unscoped().filter(state="accepted").order_by("id")[:20]:
    for org in SocialOrganization.objects.unscoped().order_by("id")[:60]:
        spec = services.AssignmentSpec("organisation", str(org.pk), "lead")
        for actor in staff:
            try:
                services.need_dispatch(actor=actor, need=need, assignments=[spec])
            except WusheError:
                continue
            done = {"org": org.name, "need": need.pk}
            break
        if done: break
    if done: break
print(json.dumps(done, ensure_ascii=False))
"""


def _dispatch(server: Server) -> dict[str, Any]:
    env = {**os.environ, "WUSHE_DATA_DIR": str(server.data_dir),
           "DJANGO_SETTINGS_MODULE": "config.settings.base", "WUSHE_DEBUG": "0"}
    out = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "wushe"), "shell", "-c", DISPATCH], env=env,
        check=True, capture_output=True, text=True, timeout=300)
    done = json.loads(out.stdout.strip().splitlines()[-1])
    assert done, "no accepted need could be dispatched in the demo"
    return dict(done)


def test_auditor_reads_a_dispatch_in_words(server: Server, browser: Any, shots: Path) -> None:
    done = _dispatch(server)
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("auditor")
    login(page, server.base, account["username"], account["password"])
    page.goto(f"{server.base}/audit/")
    page.select_option("#id_family", "needs")  # 需求/诉求: the area filter submits on change
    page.wait_for_url("**family=needs**")
    page.locator("[data-testid=audit-row]").first.wait_for()
    table = page.locator("[data-testid=audit-table]")
    text = table.inner_text()
    assert "needs." not in text  # no code visible: the codes sit in the closed details
    row = page.locator("[data-testid=audit-row]", has_text="派单给承接方").first
    row_text = row.inner_text()
    assert done["org"] in row_text  # the organisation by its name
    assert "承接方" in row_text
    area = page.locator("#id_family option:checked").inner_text()
    assert area and area != "needs"
    page.screenshot(path=str(shots / "audit-needs.png"), full_page=True)
    row.locator("details summary").click()
    assert "needs.need.dispatched" in row.inner_text()  # behind the toggle, the raw record
    assert not problems, problems
