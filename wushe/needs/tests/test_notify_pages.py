"""The public pages of the residents' SMS (issue #17, part C): the form's opt-in, and the code
entry and resend on the tracking page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wushe.needs.models import Need, NeedSubscription
from wushe.notifications.channels import outbox_lines


@pytest.fixture(autouse=True)
def _outbox(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.WUSHE_SMS_BACKEND = "file"
    settings.LANGUAGE_CODE = "en"


def wizard(client: Client, community: Any, *, notify: bool, run: Any) -> Any:
    url = reverse("needs:public_submit")
    data = {"key": "0f1e2d3c4b5a", "category": "elderly_care", "community": community.code,
            "description": "独居老人需要上门助餐", "contact_name": "王小明",
            "contact_phone": "13912345678", "step": "contact"}
    if notify:
        data["notify"] = "on"
    check = client.post(url, data).content.decode()
    assert 'name="consent"' in check and ('type="hidden" name="notify"' in check) == notify
    return run(client.post, url, {**data, "step": "confirm", "consent": "on"})


def run_commit(capture: Any) -> Any:
    def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with capture(execute=True):
            return fn(*args, **kwargs)
    return call


def code_of(texts: list[dict[str, Any]]) -> str:
    found = re.search(r"验证码 (\d{6})", texts[-1]["text"])
    assert found is not None
    return found.group(1)


def test_the_form_opts_in_and_the_tracking_page_takes_the_code(
        community_a: Any, django_capture_on_commit_callbacks: Any) -> None:
    run = run_commit(django_capture_on_commit_callbacks)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    done = wizard(client, community_a, notify=True, run=run)
    assert done.status_code == 302
    need = Need.objects.unscoped().get()
    assert NeedSubscription.objects.filter(need=need).exists() and len(outbox_lines("sms")) == 1
    page = client.get(done["Location"]).content.decode()
    assert 'data-testid="sms-form"' in page and 'data-testid="sms-resend"' in page
    confirm_url = reverse("needs:sms_confirm", kwargs={"code": need.tracking_code})
    wrong = "000000" if code_of(outbox_lines("sms")) != "000000" else "111111"
    refused = run(client.post, confirm_url, {"code": wrong})
    assert refused.status_code == 400 and "4 tries left" in refused.content.decode()
    bad = run(client.post, confirm_url, {"code": "١٢٣٤٥٦"})
    assert bad.status_code == 400 and NeedSubscription.objects.get(need=need).tries == 1
    ok = run(client.post, confirm_url, {"code": code_of(outbox_lines("sms"))})
    assert ok.status_code == 302
    page = client.get(ok["Location"]).content.decode()
    assert 'data-testid="sms-confirmed"' in page and 'data-testid="sms-form"' not in page


def test_expired_code_offers_a_resend_on_the_page(
        community_a: Any, django_capture_on_commit_callbacks: Any) -> None:
    run = run_commit(django_capture_on_commit_callbacks)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    wizard(client, community_a, notify=True, run=run)
    need = Need.objects.unscoped().get()
    NeedSubscription.objects.filter(need=need).update(
        code_sent_at=timezone.now() - dt.timedelta(minutes=11))
    page = client.get(reverse("needs:track", kwargs={"code": need.tracking_code})).content
    assert b'data-testid="sms-expired"' in page and b'data-testid="sms-resend"' in page
    resend = reverse("needs:sms_resend", kwargs={"code": need.tracking_code})
    assert run(client.post, resend).status_code == 302
    assert len(outbox_lines("sms")) == 2
    too_soon = run(client.post, resend)
    assert too_soon.status_code == 409 and b"Wait" in too_soon.content
    assert len(outbox_lines("sms")) == 2


def test_without_opt_in_the_page_shows_no_code_entry(
        community_a: Any, django_capture_on_commit_callbacks: Any) -> None:
    run = run_commit(django_capture_on_commit_callbacks)
    client = Client()
    done = wizard(client, community_a, notify=False, run=run)
    page = client.get(done["Location"]).content.decode()
    assert 'data-testid="sms"' not in page and outbox_lines("sms") == []
    need = Need.objects.unscoped().get()
    answer = client.post(reverse("needs:sms_confirm", kwargs={"code": need.tracking_code}),
                         {"code": "123456"})
    assert answer.status_code == 404
