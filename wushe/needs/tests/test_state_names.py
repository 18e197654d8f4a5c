"""One name per need state (issue #19): the staff queue, the detail page, the staff API and the
public tracking page say the same word for the same state, in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wushe.needs.tests.conftest import bearer, client_for
from wushe.needs.workflow import STATE_NAMES, State

pytestmark = pytest.mark.django_db


def _badge(html: str, testid: str) -> str:
    m = re.search(rf'data-testid="{testid}"[^>]*>([^<]+)<', html)
    assert m, testid
    return m.group(1).strip()


def test_accepted_need_reads_the_same_on_the_staff_queue_and_the_public_page(
        accepted: Any, staff_a: Any) -> None:
    staff = client_for(staff_a)
    queue = staff.get(reverse("needs:queue") + f"?bucket=all&q={accepted.tracking_code}",
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    row = queue[queue.index(accepted.tracking_code):]
    staff_label = re.search(r'<span class="badge text-bg-info">([^<]+)</span>', row)
    assert staff_label and staff_label.group(1) == "已受理"
    detail = staff.get(reverse("needs:detail", args=[accepted.pk])).content.decode()
    assert '<span class="badge text-bg-info">已受理</span>' in detail
    public = Client().get(reverse("needs:track", args=[accepted.tracking_code]),
                          HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _badge(public, "public-state") == "已受理"
    # the project app's 验收 ("Accepted" in the shared catalogue) never names a need state
    assert "已验收" not in queue + detail + public


def test_staff_api_names_the_state_as_the_public_api(accepted: Any, staff_a: Any) -> None:
    rows = Client().get(f"/api/v1/needs/?bucket=all&q={accepted.tracking_code}",
                        HTTP_ACCEPT_LANGUAGE="zh-hans", **bearer(staff_a.username)).json()
    staff = next(r for r in rows["items"] if r["id"] == accepted.pk)
    public = Client().get(f"/api/v1/public/needs/{accepted.tracking_code}").json()
    assert public["status_name"]["zh"] == "已受理"
    assert staff["state_name"] == public["status_name"]["zh"] == "已受理"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_state_label_is_its_state_name(lang: str) -> None:
    with translation.override(lang):
        for state in State:
            zh, en = STATE_NAMES[state]
            assert str(state.label) == (zh if lang == "zh-hans" else en[:1].upper() + en[1:])
