"""Creating, editing and moving organisations: validation, the transition table, scope."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from wushe.orgs import workflow
from wushe.orgs.models import OrgStatus, Rating, SocialOrganization, StatusChange
from wushe.orgs.services import org_create, org_transition, org_update, rating_award
from wushe.orgs.tests.factories import credit_code, filed, registered


def test_registered_org_needs_a_valid_credit_code(ow):
    admin = ow.users["admin"]
    good = credit_code(9001)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        registered(admin, ow.street, "错码组织", credit_code=bad)
    assert exc.value.code == "credit_code_checksum" and exc.value.field == "credit_code"
    with pytest.raises(ValidationFailed) as exc:
        registered(admin, ow.street, "短码组织", credit_code=good[:17])
    assert exc.value.code == "credit_code_format"
    with pytest.raises(ValidationFailed):
        registered(admin, ow.street, "无码组织", credit_code="")
    # Full-width characters and lower case are normalised, not refused.
    full_width = good.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}).lower()
    org = registered(admin, ow.street, "全角组织", credit_code=full_width)
    assert org.credit_code == good
    with pytest.raises(Conflict):
        registered(admin, ow.street_b, "重码组织", credit_code=good)
    assert not SocialOrganization.objects.unscoped().filter(name__in=["错码组织", "重码组织"]).exists()


def test_filing_issues_a_number_and_needs_its_fields(ow):
    admin = ow.users["admin"]
    year = dt.date.today().year
    first = filed(admin, ow.community_a, "杨坪合唱团")
    second = filed(admin, ow.community_b, "西郊太极队")
    assert first.filing_number.startswith(f"BA{ow.street.path}-{year}-")
    assert int(second.filing_number[-4:]) == int(first.filing_number[-4:]) + 1
    assert first.credit_code is None and not first.is_registered
    with pytest.raises(ValidationFailed) as exc:
        filed(admin, ow.community_a, "无场所队", venue="")
    assert exc.value.field == "venue"
    with pytest.raises(ValidationFailed) as exc:
        filed(admin, ow.district, "区级备案队")
    assert exc.value.field == "region"
    with pytest.raises(ValidationFailed):
        filed(admin, ow.community_a, "<script>alert(1)</script>")
    with pytest.raises(ValidationFailed):
        filed(admin, ow.community_a, "负资金队", funds="-5")


def test_categories_are_required_except_for_filings(ow):
    admin = ow.users["admin"]
    with pytest.raises(ValidationFailed) as exc:
        org_create(actor=admin, region=ow.street, status="incubating", name="无类别")
    assert exc.value.field == "category"
    with pytest.raises(ValidationFailed):
        org_create(actor=admin, region=ow.street, status="suspended", name="直接停止",
                   category="hub")
    assert filed(admin, ow.community_a, "无类别舞队").category == ""


def _fresh(ow, status: str) -> SocialOrganization:
    """An organisation in ``status`` reached through legal moves only."""
    admin = ow.users["admin"]
    n = SocialOrganization.objects.unscoped().count()
    if status == OrgStatus.REGISTERED:
        return registered(admin, ow.street, f"登记{n}")
    org = org_create(actor=admin, region=ow.community_a, status="incubating", name=f"组织{n}",
                     category="hub", person_in_charge="李四", venue="活动室", activity_area="本社区")
    if status == OrgStatus.INCUBATING:
        return org
    org = org_transition(actor=admin, org=org, to="filed")
    if status == OrgStatus.FILED:
        return org
    return org_transition(actor=admin, org=org, to=status, reason="测试")


@pytest.mark.parametrize("current,target", list(itertools.product(OrgStatus.values, repeat=2)))
def test_every_move_follows_the_transition_table(ow, current, target):
    org = _fresh(ow, current)
    admin = ow.users["admin"]
    allowed = target in workflow.STATUS_TRANSITIONS[current]
    if target == OrgStatus.REGISTERED and current != OrgStatus.REGISTERED:
        kwargs = {"credit_code": credit_code(), "registered_on": dt.date(2020, 1, 1)}
    else:
        kwargs = {}
    if not allowed:
        with pytest.raises(IllegalTransition):
            org_transition(actor=admin, org=org, to=target, reason="测试", **kwargs)
        org.refresh_from_db()
        assert org.status == current
        return
    org_transition(actor=admin, org=org, to=target, reason="测试", **kwargs)
    org.refresh_from_db()
    assert org.status == target
    last = StatusChange.objects.unscoped().filter(org=org).last()
    assert (last.from_status, last.to_status) == (current, target)


def test_registered_org_cannot_fall_back_to_a_filing(ow):
    admin = ow.users["admin"]
    org = ow.orgs["a"]
    org_transition(actor=admin, org=org, to="suspended", reason="年检不合格")
    with pytest.raises(IllegalTransition):
        org_transition(actor=admin, org=org, to="filed")
    with pytest.raises(ValidationFailed) as exc:
        org_transition(actor=admin, org=org, to="eliminated")
    assert exc.value.field == "reason"
    org_transition(actor=admin, org=org, to="registered")
    assert org.status == "registered"


def test_suspension_ends_the_current_rating(ow):
    admin = ow.users["admin"]
    org = ow.orgs["a"]
    rating_award(actor=admin, org=org, score="910")
    assert Rating.objects.unscoped().get(org=org).is_current()
    org_transition(actor=admin, org=org, to="suspended", reason="违规")
    rating = Rating.objects.unscoped().get(org=org)
    assert not rating.is_current() and rating.ended_reason == "suspended"
    assert AuditEvent.objects.unscoped().filter(action="orgs.org.status_changed").count() == 1


def test_org_staff_edit_their_own_organisation_only(ow):
    staff = ow.users["org_staff"]
    own, other = ow.orgs["a"], ow.orgs["b"]
    org_update(actor=staff, org=own, venue="杨家坪正街8号", contact_phone="13800138000")
    own.refresh_from_db()
    assert own.venue == "杨家坪正街8号" and own.masked_contact_phone == "138****8000"
    event = AuditEvent.objects.unscoped().filter(action="orgs.org.updated").last()
    assert event.data["contact_phone"]["new"] == "changed"  # no plaintext in the log
    with pytest.raises(ValidationFailed) as exc:
        org_update(actor=staff, org=own, name="改名")
    assert exc.value.field == "name"
    with pytest.raises(NotFound):
        org_update(actor=staff, org=other, venue="x")
    with pytest.raises(NotFound):
        org_transition(actor=staff, org=other, to="suspended", reason="x")
    # Visible but not theirs to change: own organisation, but no status moves.
    with pytest.raises(PermissionDenied):
        org_transition(actor=staff, org=own, to="suspended", reason="x")


def test_street_staff_manage_their_street_only(ow):
    street = ow.users["street"]
    org_update(actor=street, org=ow.orgs["filed_a"], funds="1200.50")
    with pytest.raises(NotFound):
        org_update(actor=street, org=ow.orgs["c"], funds="1")
    with pytest.raises(NotFound):
        filed(street, ow.community_c, "越界备案")
    with pytest.raises(PermissionDenied):
        org_update(actor=ow.users["staff_a"], org=ow.orgs["filed_a"], funds="1")
    with pytest.raises(NotFound):
        org_update(actor=ow.users["volunteer"], org=ow.orgs["filed_a"], funds="1")
