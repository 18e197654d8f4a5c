"""自治金: the budget, residents' support (one per confirmed phone), paper support, and the
allocation of an adopted idea through the charity disbursement flow."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wushe.audit.models import AuditEvent
from wushe.charity import services as charity
from wushe.charity.models import Fund
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.ids import uscc_check_char
from wushe.needs import confirm, ideas_selectors, services
from wushe.needs.models import Idea, IdeaBudget, IdeaSupport
from wushe.needs.services import budget as b
from wushe.needs.tests.conftest import client_for
from wushe.notifications.channels import outbox_lines

PHONE = "13912345678"


def _uscc() -> str:
    body = "91500107000000042"
    return body + uscc_check_char(body)


OTHER = "13787654321"


@pytest.fixture(autouse=True)
def _outbox(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.WUSHE_SMS_BACKEND = "file"
    settings.WUSHE_SMS_PER_PHONE_PER_DAY = 20


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return call


@pytest.fixture
def idea(staff_a: Any, community_a: Any) -> Idea:
    return services.idea_submit(actor=staff_a, region=community_a, title="建共享菜园",
                                body="利用小区闲置空地")


@pytest.fixture
def district_admin(make_user: Any, district: Any) -> Any:
    return make_user("district_admin", district, "dadmin")


@pytest.fixture
def street_user(make_user: Any, street: Any) -> Any:
    return make_user("street_staff", street, "street_user")


@pytest.fixture
def fund(street_user: Any, district_admin: Any, community_a: Any) -> Fund:
    f = charity.fund_create(actor=street_user, region=community_a, name="杨坪社区阳光基金",
                            kind="community", parent_org_name="杨家坪街道慈善公益服务中心")
    names = ["李明", "王芳", "张伟", "刘洋", "陈静"]
    for i, name in enumerate(names):
        charity.committee_member_add(actor=street_user, fund=f, name=name,
                                     role="supervisor" if i == 0 else
                                     ("chair" if i == 1 else "member"), affiliation="社区居委会")
    f = charity.fund_set_status(actor=district_admin, fund=f, status="active")
    donor = charity.donor_create(actor=district_admin, region=community_a, kind="enterprise",
                                 name="重庆爱心实业有限公司", credit_code=_uscc())
    charity.donation_receive(actor=district_admin, fund=f, donor=donor, kind="cash",
                             amount="50000.00", idempotency_key_value=secrets.token_hex(8))
    return f


@pytest.fixture
def budget(street_user: Any, community_a: Any, fund: Fund) -> IdeaBudget:
    return b.budget_set(actor=street_user, region=community_a, year=timezone.localdate().year,
                        fund=fund, amount="10000")


def last_code() -> str:
    found = re.search(r"验证码 (\d{6})", outbox_lines("sms")[-1]["text"])
    assert found is not None
    return found.group(1)


def support(run: Any, idea: Idea, phone: str = PHONE) -> IdeaSupport:
    return run(b.idea_support_start, idea_code=idea.code, phone=phone)


# --- support by phone --------------------------------------------------------------------------

def test_one_support_per_phone(run: Any, idea: Idea) -> None:
    sup = support(run, idea)
    assert len(outbox_lines("sms")) == 1
    assert idea.code in outbox_lines("sms")[0]["text"]
    run(confirm.idea_support_confirm, token=sup.token, code=last_code())
    idea.refresh_from_db()
    assert idea.support_count == 1
    stored = IdeaSupport.objects.get(pk=sup.pk)
    assert stored.phone == "" and stored.confirmed  # the phone is not kept once proven
    # Confirming again is a no-op; the same phone again is refused and sends nothing.
    run(confirm.idea_support_confirm, token=sup.token, code="000000")
    with pytest.raises(Conflict) as exc:
        support(run, idea)
    assert exc.value.code == "already_supported"
    idea.refresh_from_db()
    assert idea.support_count == 1 and len(outbox_lines("sms")) == 1
    # Another phone counts.
    other = support(run, idea, OTHER)
    run(confirm.idea_support_confirm, token=other.token, code=last_code())
    idea.refresh_from_db()
    assert idea.support_count == 2


def test_no_phone_in_clear_in_the_database_row_or_audit(run: Any, idea: Idea) -> None:
    sup = support(run, idea)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT phone, phone_bidx FROM needs_ideasupport WHERE id = %s", [sup.pk])
        phone, bidx = cur.fetchone()
    assert PHONE not in phone and PHONE not in bidx
    assert not any(PHONE in str(e.data) for e in AuditEvent.objects.unscoped().all())


def test_wrong_code_counts_and_locks(run: Any, idea: Idea) -> None:
    sup = support(run, idea)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(ValidationFailed) as exc:
            confirm.idea_support_confirm(token=sup.token, code=wrong)
        assert exc.value.code == "sms_code_wrong"
    with pytest.raises(Conflict):
        confirm.idea_support_confirm(token=sup.token, code=wrong)
    with pytest.raises(Conflict):  # locked: even the right code
        confirm.idea_support_confirm(token=sup.token, code=right)
    idea.refresh_from_db()
    assert idea.support_count == 0 and IdeaSupport.objects.get(pk=sup.pk).tries == 5


def test_expired_code_is_refused_without_counting_a_try(run: Any, idea: Idea) -> None:
    sup = support(run, idea)
    code = last_code()
    IdeaSupport.objects.filter(pk=sup.pk).update(
        code_sent_at=timezone.now() - dt.timedelta(minutes=11))
    with pytest.raises(ValidationFailed) as exc:
        confirm.idea_support_confirm(token=sup.token, code=code)
    assert exc.value.code == "sms_code_expired"
    idea.refresh_from_db()
    assert idea.support_count == 0 and IdeaSupport.objects.get(pk=sup.pk).tries == 0


def test_malformed_code_or_unknown_token_changes_nothing(run: Any, idea: Idea) -> None:
    sup = support(run, idea)
    with pytest.raises(ValidationFailed):
        confirm.idea_support_confirm(token=sup.token, code="12a456")
    with pytest.raises(NotFound):
        confirm.idea_support_confirm(token="nope", code="123456")
    assert IdeaSupport.objects.get(pk=sup.pk).tries == 0


def test_codes_capped_per_support_and_per_phone_per_day(run: Any, idea: Idea, staff_a: Any,
                                                        community_a: Any, settings: Any) -> None:
    sup = support(run, idea)
    with pytest.raises(Conflict) as exc:
        support(run, idea)
    assert exc.value.code == "sms_code_too_soon"
    for _ in range(2):
        IdeaSupport.objects.filter(pk=sup.pk).update(
            code_sent_at=timezone.now() - dt.timedelta(seconds=61))
        support(run, idea)
    IdeaSupport.objects.filter(pk=sup.pk).update(
        code_sent_at=timezone.now() - dt.timedelta(seconds=61))
    with pytest.raises(Conflict) as exc:
        support(run, idea)
    assert exc.value.code == "sms_code_limit"
    # The daily cap per phone, across ideas.
    settings.WUSHE_SMS_PER_PHONE_PER_DAY = 4
    second = services.idea_submit(actor=staff_a, region=community_a, title="楼道感应灯",
                                  body="晚上楼道太黑")
    support(run, second)
    third = services.idea_submit(actor=staff_a, region=community_a, title="四点半课堂",
                                 body="放学后托管")
    with pytest.raises(Conflict) as exc:
        support(run, third)
    assert exc.value.code == "sms_daily_cap"
    assert not IdeaSupport.objects.filter(idea=third).exists()
    assert len(outbox_lines("sms")) == 4


def test_a_decided_idea_takes_no_support(run: Any, idea: Idea, staff_a: Any) -> None:
    services.idea_decide(actor=staff_a, idea=idea, adopt=False, reason="场地条件不具备")
    with pytest.raises(Conflict):
        support(run, idea)
    assert not IdeaSupport.objects.exists()


# --- paper support ----------------------------------------------------------------------------

def test_paper_support_is_counted_apart_and_audited(idea: Idea, staff_a: Any, staff_b: Any) -> None:
    b.idea_paper_support_record(actor=staff_a, idea=idea, count="37", note="居民议事会签名")
    idea.refresh_from_db()
    assert idea.paper_support_count == 37 and idea.support_count == 0
    event = AuditEvent.objects.unscoped().filter(action="needs.support.paper_recorded").get()
    assert event.data["count"] == 37
    with pytest.raises(ValidationFailed):
        b.idea_paper_support_record(actor=staff_a, idea=idea, count="-3")
    with pytest.raises(NotFound):  # out of scope answers like missing
        b.idea_paper_support_record(actor=staff_b, idea=idea, count="5")
    idea.refresh_from_db()
    assert idea.paper_support_count == 37


# --- budget and allocation ------------------------------------------------------------------

def test_budget_is_set_by_street_staff_audited(budget: IdeaBudget, staff_a: Any,
                                               community_a: Any, fund: Fund) -> None:
    assert budget.amount == Decimal("10000")
    assert AuditEvent.objects.unscoped().filter(action="needs.budget.set").count() == 1
    with pytest.raises(NotFound):  # community staff do not set their own budget
        b.budget_set(actor=staff_a, region=community_a, year=budget.year, fund=fund,
                     amount="99999")
    budget.refresh_from_db()
    assert budget.amount == Decimal("10000")


def test_allocation_over_budget_refused(budget: IdeaBudget, idea: Idea,
                                        street_user: Any) -> None:
    with pytest.raises(Conflict) as exc:
        services.idea_decide(actor=street_user, idea=idea, adopt=True, reason="",
                             amount="10000.01")
    assert exc.value.code == "over_budget"
    idea.refresh_from_db()
    assert idea.state == "submitted"  # the adoption rolled back with it
    services.idea_decide(actor=street_user, idea=idea, adopt=True, reason="", amount="6000")
    assert ideas_selectors.budget_remaining(budget) == Decimal("4000")


def test_disbursement_linkage_and_public_money(budget: IdeaBudget, idea: Idea, street_user: Any,
                                              district_admin: Any) -> None:
    services.idea_decide(actor=street_user, idea=idea, adopt=True, reason="", amount="3000")
    idea.refresh_from_db()
    money = ideas_selectors.idea_money(idea)
    assert money is not None and money["status"] == "requested"
    assert money["allocated"] == Decimal("3000") and money["paid"] == 0
    d = idea.allocation.disbursement
    assert d.fund_id == budget.fund_id and idea.code in d.purpose
    page = reverse("needs:public_idea_detail", args=[idea.code])
    html = Client().get(page).content.decode()
    assert re.search(r"idea-money-allocated\">¥3,?000\.00", html), html[html.find("<dl"):html.find("</dl>")]
    d = charity.disbursement_approve(actor=district_admin, disbursement=d)
    assert ideas_selectors.idea_money(idea)["status"] == "approved"  # type: ignore[index]
    charity.disbursement_pay(actor=street_user, disbursement=d, payment_ref="P-1")
    money = ideas_selectors.idea_money(idea)
    assert money is not None and money["status"] == "paid"
    assert money["paid"] == Decimal("3000")
    html = Client().get(page).content.decode()
    assert 'data-testid="idea-money-paid"' in html
    # A rejected or cancelled request gives its budget back; a paid one keeps it.
    assert ideas_selectors.budget_remaining(budget) == Decimal("7000")


def test_pages_scope(budget: IdeaBudget, idea: Idea, staff_a: Any, staff_b: Any) -> None:
    assert client_for(staff_a).get(reverse("needs:budget", args=[budget.pk])).status_code == 200
    assert client_for(staff_b).get(reverse("needs:budget", args=[budget.pk])).status_code == 404
    listing = client_for(staff_b).get(reverse("needs:budgets")).content.decode()
    assert "杨坪社区阳光基金" not in listing
    assert "杨坪社区阳光基金" in client_for(staff_a).get(reverse("needs:budgets")).content.decode()


def test_public_support_pages(run: Any, idea: Idea) -> None:
    page = reverse("needs:public_idea_detail", args=[idea.code])
    assert Client().get(page).status_code == 200
    assert Client().get(reverse("needs:public_idea_detail",
                                args=["IAAAA-BBBB-CCCC"])).status_code == 404
    client = Client()
    response = run(client.post, page, {"phone": PHONE})
    assert response.status_code == 200 and 'name="code"' in response.content.decode()
    assert PHONE not in response.content.decode()
    token = IdeaSupport.objects.get().token
    response = run(client.post, page, {"token": token, "code": last_code()})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.support_count == 1
    bad = client.post(page, {"phone": "123"})
    assert bad.status_code == 400


def test_staff_pages_record_paper_support_and_allocate(budget: IdeaBudget, idea: Idea,
                                                       staff_a: Any, street_user: Any) -> None:
    page = reverse("needs:idea", args=[idea.pk])
    client = client_for(staff_a)
    assert client.post(reverse("needs:idea_paper_support", args=[idea.pk]),
                       {"count": "12", "note": "签名表"}).status_code == 302
    idea.refresh_from_db()
    assert idea.paper_support_count == 12
    assert 'data-testid="idea-paper-support">12<' in client.get(page).content.decode()
    street = client_for(street_user)
    assert street.post(reverse("needs:idea_decide", args=[idea.pk]),
                       {"adopt": "yes", "reason": ""}).status_code == 302
    assert street.post(reverse("needs:idea_allocate", args=[idea.pk]),
                       {"amount": "20000"}).status_code == 302  # over budget: refused
    assert ideas_selectors.idea_money(idea) is None
    assert street.post(reverse("needs:idea_allocate", args=[idea.pk]),
                       {"amount": "2500"}).status_code == 302
    money = ideas_selectors.idea_money(idea)
    assert money is not None and money["allocated"] == Decimal("2500")
    detail = street.get(reverse("needs:budget", args=[budget.pk])).content.decode()
    assert idea.title in detail
