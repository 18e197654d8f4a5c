"""person_erase, the dry-run report (page and command), the retention periods as local rules
and the privacy notice on the public intake page."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wushe.accounts.models import User
from wushe.audit.models import AuditEvent
from wushe.charity.models import Donor, Fund
from wushe.charity.tests.conftest import admin, give, individual, special  # noqa: F401
from wushe.conftest import PASSWORD
from wushe.core.crypto import blind_index
from wushe.needs.models import Need
from wushe.needs.workflow import State
from wushe.people.models import Person
from wushe.regions.models import Region
from wushe.regions.services import rule_set
from wushe.retention.registry import ANON_NAME
from wushe.retention.run import retention_run
from wushe.retention.services import person_erase

ID_NUMBER, PHONE = "500107199001011234", "13912345678"


def _person(region: Region) -> Person:
    return Person.objects.create(
        name="王小明", id_number=ID_NUMBER, id_number_bidx=blind_index(ID_NUMBER),
        phone=PHONE, phone_bidx=blind_index(PHONE), address="幸福路8号", region=region,
        region_path=region.path)


def _need(person: Person, region: Region, *, state: str = State.CLOSED,
          closed_days_ago: int = 10, code: str = "N1") -> Need:
    now = timezone.now()
    return Need.objects.create(
        tracking_code=code, channel="online", category="elderly_care", description="家中老人行动不便",
        contact_name="王小明", contact_phone=PHONE, contact_phone_bidx=blind_index(PHONE),
        requester=person, region=region, community=region, region_path=region.path,
        state=state, due_on=now.date(), closed_at=now - dt.timedelta(days=closed_days_ago)
        if state == State.CLOSED else None)


def _login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_erasure_anonymises_a_person_with_only_ended_records(
        admin: User, community_a: Region) -> None:  # noqa: F811
    person = _person(community_a)
    need = _need(person, community_a)  # closed 10 days ago: within its period, still goes
    outcome = person_erase(actor=admin, person=person)
    assert outcome.person_anonymised and not outcome.refusals
    assert outcome.anonymised == {"needs.closed": 1}
    person.refresh_from_db()
    need.refresh_from_db()
    assert (person.name, person.id_number, person.phone_bidx) == (ANON_NAME, None, None)
    assert (need.description, need.contact_phone, need.requester_id) == ("", "", None)
    event = AuditEvent.objects.unscoped().get(action="retention.person.erased")
    assert ID_NUMBER not in json.dumps(event.data) and "王小明" not in event.target_label


@pytest.mark.django_db
def test_erasure_is_refused_for_a_donor_with_a_receipt_within_30_years(
        admin: User, community_a: Region, special: Fund, individual: Donor,  # noqa: F811
        give: Callable[..., Any]) -> None:  # noqa: F811
    person = _person(community_a)
    Donor.objects.unscoped().filter(pk=individual.pk).update(person=person)
    give(special, individual)
    need = _need(person, community_a)
    outcome = person_erase(actor=admin, person=person)
    assert not outcome.person_anonymised
    assert [r.code for r in outcome.refusals] == ["erasure_limited"]
    assert "30" in outcome.refusals[0].zh and "30 years" in outcome.refusals[0].en
    need.refresh_from_db()
    assert need.description == "" and need.requester_id is None  # what may go, went
    person.refresh_from_db()
    assert person.name == "王小明" and person.id_number == ID_NUMBER


@pytest.mark.django_db
def test_erasure_keeps_a_person_with_an_open_need(
        admin: User, community_a: Region) -> None:  # noqa: F811
    person = _person(community_a)
    _need(person, community_a, state=State.IN_PROGRESS)
    outcome = person_erase(actor=admin, person=person)
    assert not outcome.person_anonymised and outcome.refusals
    person.refresh_from_db()
    assert person.id_number == ID_NUMBER


@pytest.mark.django_db
def test_erasure_outside_scope_is_not_found(make_user: Callable[..., User],
                                            community_a: Region, street_b: Region) -> None:
    person = _person(community_a)
    other = make_user("district_admin", street_b)
    assert _login(other).post(f"/retention/erase/{person.pk}/").status_code == 404
    staff = make_user("community_staff", community_a)  # sees the person, may not erase
    assert _login(staff).post(f"/retention/erase/{person.pk}/").status_code == 404
    person.refresh_from_db()
    assert person.id_number == ID_NUMBER


@pytest.mark.django_db
def test_region_period_override_decides_what_is_due(community_a: Region, community_b: Region,
                                                    root: User) -> None:
    a, b = _person(community_a), _person(community_b)
    _need(a, community_a, closed_days_ago=400, code="A1")
    _need(b, community_b, closed_days_ago=400, code="B1")
    assert retention_run()["needs.closed"] == 0  # 3 years by default
    rule_set(actor=root, key="retention.closed_need_years", region=community_a, raw="1")
    counts = retention_run()
    assert counts["needs.closed"] == 1
    assert Need.objects.unscoped().get(tracking_code="A1").description == ""
    assert Need.objects.unscoped().get(tracking_code="B1").description == "家中老人行动不便"


@pytest.mark.django_db
def test_dry_run_page_and_command_count_and_change_nothing(
        make_user: Callable[..., User], district: Region, community_a: Region) -> None:
    person = _person(community_a)
    _need(person, community_a, closed_days_ago=365 * 4)
    out = io.StringIO()
    call_command("retention", "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["counts"]["needs.closed"] == 1
    page = _login(make_user("district_admin", district)).get("/retention/")
    assert page.status_code == 200
    assert 'data-kind="needs.closed"' in page.content.decode()
    assert "会计档案管理办法" in page.content.decode()
    staff = make_user("community_staff", community_a)
    assert _login(staff).get("/retention/").status_code == 404
    assert Need.objects.unscoped().get(requester=person).description == "家中老人行动不便"


@pytest.mark.django_db
def test_public_intake_confirm_step_shows_the_privacy_notice(community_a: Region,
                                                            settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    data = {"step": "contact", "key": "k1", "category": "elderly_care", "community": community_a.code,
            "description": "家中老人行动不便需要帮助", "contact_name": "王小明",
            "contact_phone": PHONE}
    page = Client().post(reverse("needs:public_submit"), data)
    body = page.content.decode()
    if 'name="step" value="confirm"' not in body:
        pytest.fail(f"did not reach the confirm step: {page.status_code}")
    assert 'data-testid="privacy-notice"' in body
    assert "3 years" in body.split('data-testid="privacy-notice"')[1].split("</details>")[0]
