"""The pages: queue with SLA colours, window intake with the duplicate warning, the need page
(timeline, assignments, suggestions with reasons, actions), scope by page, and the public
pages (one question per screen, tracking without personal data, rating)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from wushe.needs.models import Assignment, Need
from wushe.needs.tests.conftest import client_for
from wushe.needs.workflow import State


def test_queue_shows_my_community_with_sla_colours(submit: Any, staff_a: Any,
                                                   community_a: Any, community_b: Any) -> None:
    mine = submit(community_a)
    other = submit(community_b)
    Need.objects.unscoped().filter(pk=mine.pk).update(due_on="2026-01-05")
    html = client_for(staff_a).get(reverse("needs:queue")).content.decode()
    assert mine.tracking_code in html and other.tracking_code not in html
    assert 'data-sla="overdue"' in html
    partial = client_for(staff_a).get(reverse("needs:queue") + "?sla=overdue",
                                      HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    bad = client_for(staff_a).get(reverse("needs:queue") + "?state=nonsense")
    assert bad.status_code == 400


def test_window_intake_page_warns_of_a_duplicate(staff_a: Any, community_a: Any) -> None:
    client = client_for(staff_a)
    data = {"channel": "window", "region": community_a.code, "category": "dispute",
            "target_group": "general", "urgency": "normal", "description": "楼上噪音扰民",
            "contact_name": "赵六", "contact_phone": "13700001111"}
    first = client.post(reverse("needs:intake"), data)
    assert first.status_code == 302
    again = client.post(reverse("needs:intake"), data)
    html = again.content.decode()
    assert again.status_code == 409 and 'data-testid="duplicate-warning"' in html
    assert Need.objects.unscoped().count() == 1
    confirmed = client.post(reverse("needs:intake"), {**data, "confirm_duplicate": "on"})
    assert confirmed.status_code == 302 and Need.objects.unscoped().count() == 2


def test_intake_page_shows_errors_next_to_fields(staff_a: Any, community_a: Any) -> None:
    response = client_for(staff_a).post(reverse("needs:intake"), {
        "channel": "window", "region": community_a.code, "category": "policy",
        "target_group": "general", "urgency": "normal", "description": "咨询低保",
        "contact_phone": "123"})
    assert response.status_code == 400
    assert "电话号码格式不正确" in response.content.decode()
    assert Need.objects.unscoped().count() == 0


def test_need_page_dispatch_with_reasons_and_the_loop(submit: Any, staff_a: Any,
                                                      worker_a: Any, community_a: Any) -> None:
    need = submit(community_a)
    client = client_for(staff_a)
    assert client.post(reverse("needs:act", args=[need.pk, "accept"]), {"note": ""}) \
        .status_code == 302
    page = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert 'data-testid="suggestions"' in page and "本社区两委/社工室工作人员" in page
    assert "驻本社区社工室的社工" in page and "在办 0 件" in page
    key_c, key_w = f"committee:{staff_a.pk}", f"social_worker:{worker_a.pk}"
    refused = client.post(reverse("needs:act", args=[need.pk, "dispatch"]),
                          {"pick": [key_c, key_w]})
    assert refused.status_code == 400 and "主办" in refused.content.decode()
    ok = client.post(reverse("needs:act", args=[need.pk, "dispatch"]),
                     {"pick": [key_c, key_w], "lead": key_c, "note": "请跟进"})
    assert ok.status_code == 302
    lead = Assignment.objects.unscoped().get(need=need, role="lead")
    assert client.post(reverse("needs:assignment_act", args=[lead.pk, "take"])).status_code == 302
    for action, data in (("handle", {"note": ""}), ("resolve", {"result": "已上门助餐"}),
                         ("follow_up", {"method": "call", "score": "4", "note": "满意"})):
        response = client.post(reverse("needs:act", args=[need.pk, action]), data)
        assert response.status_code == 302, action
    need.refresh_from_db()
    assert need.state == State.CLOSED and need.satisfaction == 4
    page = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert page.count('data-action="') == 8  # the timeline
    assert "社区两委" in page  # societies that took part


def test_illegal_action_on_the_page_changes_nothing(submit: Any, staff_a: Any,
                                                    community_a: Any) -> None:
    need = submit(community_a)
    response = client_for(staff_a).post(reverse("needs:act", args=[need.pk, "resolve"]),
                                        {"result": "直接办结"})
    assert response.status_code == 409
    assert "不能办结" in response.content.decode()
    need.refresh_from_db()
    assert need.state == State.SUBMITTED


def test_another_communitys_need_is_404_on_every_page(submit: Any, staff_a: Any,
                                                      community_b: Any) -> None:
    need = submit(community_b)
    client = client_for(staff_a)
    missing = client.get(reverse("needs:detail", args=[999999]))
    assert missing.status_code == 404
    assert client.get(reverse("needs:detail", args=[need.pk])).status_code == 404
    for action in ("accept", "dispatch", "decline", "escalate"):
        assert client.post(reverse("needs:act", args=[need.pk, action]),
                           {"reason": "x"}).status_code == 404
    assert client.post(reverse("needs:reveal", args=[need.pk]),
                       {"field": "contact_phone", "purpose": "回访居民"}).status_code == 404
    html = client.get(reverse("needs:queue") + f"?bucket=all&q={need.tracking_code}",
                      HTTP_HX_REQUEST="true")
    assert need.tracking_code not in html.content.decode()
    need.refresh_from_db()
    assert need.state == State.SUBMITTED


def test_public_pages_need_no_account(community_a: Any) -> None:
    client = Client()
    for name in ("needs:public_submit", "needs:track_lookup", "needs:public_idea"):
        assert client.get(reverse(name)).status_code == 200, name
    # staff pages do
    assert client.get(reverse("needs:queue")).status_code == 302


def test_public_wizard_one_question_per_screen(community_a: Any) -> None:
    client = Client()
    url = reverse("needs:public_submit")
    first = client.get(url).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]+)"', first)
    assert key and 'name="category"' in first and 'name="community"' not in first
    data = {"key": key.group(1), "step": "category", "category": "elderly_care"}
    second = client.post(url, data).content.decode()
    assert 'name="community"' in second and 'type="hidden" name="category"' in second
    data.update(step="community", community=community_a.code)
    third = client.post(url, data).content.decode()
    assert 'name="description"' in third
    data.update(step="description", description="独居老人需要上门助餐")
    client.post(url, data)
    data.update(step="contact", contact_name="王小明", contact_phone="13912345678")
    confirm = client.post(url, data).content.decode()
    assert 'name="consent"' in confirm and "独居老人需要上门助餐" in confirm
    refused = client.post(url, {**data, "step": "confirm"})
    assert refused.status_code == 400 and Need.objects.unscoped().count() == 0
    done = client.post(url, {**data, "step": "confirm", "consent": "on"})
    assert done.status_code == 302
    need = Need.objects.unscoped().get()
    assert need.category == "elderly_care" and need.contact_phone == "13912345678"
    # a double click (the same form again) makes no second need
    again = client.post(url, {**data, "step": "confirm", "consent": "on"})
    assert again["Location"] == done["Location"] and Need.objects.unscoped().count() == 1
    landing = client.get(done["Location"]).content.decode()
    assert need.tracking_code in landing and 'data-testid="submitted"' in landing


def test_public_wizard_back_keeps_answers(community_a: Any) -> None:
    client = Client()
    data = {"key": "abc", "step": "community", "category": "legal_aid",
            "community": community_a.code, "back": "1"}
    html = client.post(reverse("needs:public_submit"), data).content.decode()
    assert 'value="legal_aid"' in html and "checked" in html and "alert-danger" not in html


def test_tracking_page_shows_no_personal_data(submit: Any, staff_a: Any,
                                              community_a: Any) -> None:
    need = submit(community_a, contact_name="欧阳娜娜", phone="13912345678",
                  description="家中突发火灾急需临时救助")
    from wushe.needs import services

    services.need_accept(actor=staff_a, need=need, note="已电话联系欧阳娜娜")
    html = Client().get(reverse("needs:track", args=[need.tracking_code])).content.decode()
    assert "社区已受理" in html and need.tracking_code in html
    for secret in ("欧阳", "13912345678", "5678", "火灾", "staff_a", "已电话联系"):
        assert secret not in html, secret
    assert Client().get(reverse("needs:track", args=["AAAA-BBBB-CCCC"])).status_code == 404


def test_rating_on_the_tracking_page(submit: Any, staff_a: Any, community_a: Any) -> None:
    from wushe.needs import services
    from wushe.needs.tests.conftest import committee

    need = services.need_accept(actor=staff_a, need=submit(community_a))
    services.need_dispatch(actor=staff_a, need=need, assignments=[committee(staff_a)])
    services.assignment_take(actor=staff_a,
                             assignment=Assignment.objects.unscoped().get(need=need))
    need.refresh_from_db()
    services.need_resolve(actor=staff_a, need=need, result="已办结")
    page = Client().get(reverse("needs:track", args=[need.tracking_code])).content.decode()
    assert 'data-testid="rating-form"' in page
    response = Client().post(reverse("needs:rate", args=[need.tracking_code]),
                             {"score": "5", "comment": "谢谢"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.state == State.CLOSED and need.satisfaction == 5
    page = Client().get(reverse("needs:track", args=[need.tracking_code])).content.decode()
    assert 'data-testid="rating-form"' not in page and "5 / 5" in page


def test_grid_report_page(staff_a: Any, grid_a: Any) -> None:
    client = client_for(staff_a)
    page = client.get(reverse("needs:grid_report")).content.decode()
    assert grid_a.code in page
    response = client.post(reverse("needs:grid_report"), {
        "channel": "grid", "region": grid_a.code, "category": "environment",
        "target_group": "general", "urgency": "normal", "description": "楼道堆放杂物",
        "contact_phone": "13700001111"})
    assert response.status_code == 302
    assert Need.objects.unscoped().get().channel == "grid"


def test_pages_render_in_english(submit: Any, staff_a: Any, community_a: Any) -> None:
    need = submit(community_a)
    client = client_for(staff_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "Timeline" in html and "Awaiting acceptance" in html
