"""A person's data on request (people/subject_access.py): every record of the person in every
app, nothing of another person, the access log, the permission, the purpose, the expiry, and
no ID number in a URL, a job's state, a file name or a log line."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import time
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wushe.accounts.models import User
from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.audit.models import AuditEvent
from wushe.charity.models import CommitteeMember, Disbursement, Donation, Donor, Fund, Receipt
from wushe.conftest import PASSWORD, make_id_number
from wushe.core import progress
from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.needs.models import FollowUp, Idea, IdeaSupport, Need
from wushe.notifications.models import Preference
from wushe.people import services as people_services
from wushe.people import subject_access
from wushe.people.models import Person
from wushe.regions.models import Region
from wushe.residents.models import CareProfile, Ledger, LedgerEntry
from wushe.volunteers.models import (
    Activity,
    Certificate,
    Membership,
    Pairing,
    ServiceRecord,
    SignUp,
    Team,
    VisitLog,
    Volunteer,
    VolunteerApplication,
)
from wushe.workforce.models import (
    Adjustment,
    Appraisal,
    CommunityWorker,
    Engagement,
    SocialWorker,
    Training,
)

ID_P = make_id_number(birth="19600101", seq="321")
ID_Q = make_id_number(birth="19610202", seq="654")
PHONES = {"p": "13800000001", "q": "13900000002"}


def _records(tag: str, person: Person, region: Region, root: User, team: Team, fund: Fund,
             n: int) -> None:
    """One record in every app for ``person``, each carrying the marker ``tag`` where it has
    free text."""
    now, today = timezone.now(), timezone.localdate()
    path = region.path
    account = User.objects.create_user(username=f"acct-{tag}", password=PASSWORD)
    Preference.objects.create(user=account, sms=True)
    people_services.consent_give(actor=root, person=person, purpose="service",
                                 scope_text=f"{tag}-consent")
    child = people_services.person_create(
        actor=root, region=region, name=f"小{tag[0]}",
        id_number=make_id_number(birth="20200101", seq=f"{n}{n}{n}"))
    people_services.consent_give(actor=root, person=child, purpose="service",
                                 scope_text=f"{tag}-as-guardian", guardian=person,
                                 guardian_relation="父母")
    profile = CareProfile.objects.create(person=person, region=region, region_path=path,
                                         target_group="elderly")
    ledger = Ledger.objects.create(name=f"{tag}-ledger", region=region, region_path=path)
    LedgerEntry.objects.create(ledger=ledger, profile=profile, region_path=path,
                               note=f"{tag}-ledger-entry")
    need = Need.objects.create(
        tracking_code=f"N{n}", channel="offline", category="elderly_care",
        description=f"{tag}-need", region=region, community=region, region_path=path,
        due_on=today, requester=person, care_profile=profile)
    FollowUp.objects.create(need=need, region_path=path, method="call",
                            comment=f"{tag}-follow-up")
    idea = Idea.objects.create(code=f"I{n}", title=f"{tag}-idea", body="body", region=region,
                               region_path=path, channel="staff")
    IdeaSupport.objects.create(idea=idea, phone_bidx=person.phone_bidx or "", token=f"tok{tag}",
                               confirmed_at=now)
    volunteer = Volunteer.objects.create(person=person, number=f"V{n}", region=region,
                                         region_path=path, join_date=today,
                                         skills=f"{tag}-skills", user=account)
    VolunteerApplication.objects.create(
        reference=f"A{n}", name=person.name, id_number=person.id_number,
        id_number_bidx=person.id_number_bidx, phone=person.phone, region=region,
        region_path=path, consented_at=now, client_hash=f"h{n}", skills=f"{tag}-application")
    Membership.objects.create(volunteer=volunteer, team=team, team_path=team.path,
                              region_path=path, joined_on=today)
    activity = Activity.objects.create(team=team, team_path=team.path, region=region,
                                       region_path=path, title=f"{tag}-activity", kind="visit",
                                       place="p", starts_at=now, ends_at=now + dt.timedelta(hours=2),
                                       capacity=5)
    SignUp.objects.create(activity=activity, volunteer=volunteer, team_path=team.path,
                          region_path=path)
    start = now.replace(microsecond=0) - dt.timedelta(days=1)
    ServiceRecord.objects.create(volunteer=volunteer, team=team, team_path=team.path,
                                 region=region, region_path=path, started_at=start,
                                 ended_at=start + dt.timedelta(hours=3), service_date=start.date(),
                                 hours=Decimal("2.5"), content=f"{tag}-service")
    Certificate.objects.create(number=f"C{n}", volunteer=volunteer, team=team, team_path=team.path,
                               region_path=path, period_start=today, period_end=today,
                               hours=Decimal("2.5"), records=1, snapshot={"tag": f"{tag}-cert"},
                               issued_at=now, issued_by=root)
    pairing = Pairing.objects.create(team=team, team_path=team.path, person=person, region=region,
                                     region_path=path, target_group="elderly", started_on=today)
    VisitLog.objects.create(pairing=pairing, team_path=team.path, region_path=path,
                            visited_on=today, minutes=30, content=f"{tag}-visit")
    social = SocialWorker.objects.create(person=person, region=region, region_path=path,
                                         certificate_number=f"{tag}-cert-no")
    Training.objects.create(worker=social, region_path=path, kind="continuing",
                            title=f"{tag}-training", hours=Decimal(8), on=today)
    community = CommunityWorker.objects.create(person=person, community=region, region_path=path,
                                               post=1, grade=1, hired_on=today)
    appraisal = Appraisal.objects.create(worker=community, region_path=path, year=2025,
                                         result="incompetent", note=f"{tag}-appraisal")
    Adjustment.objects.create(worker=community, appraisal=appraisal, region_path=path, year=2025,
                              engagement=Engagement.values[0], reason=f"{tag}-adjustment")
    donor = Donor.objects.create(kind="person", name=person.name, region=region,
                                 region_path=path, person=person)
    donation = Donation.objects.create(fund=fund, donor=donor, kind="cash", channel="bank",
                                       amount=Decimal(100), received_on=today,
                                       idempotency_key=f"k{n}", region_path=path,
                                       note=f"{tag}-donation")
    Receipt.objects.create(donation=donation, year=2025, seq=n, number=f"R{n}", issued_at=now,
                           donor_name=person.name, item=f"{tag}-receipt", kind="cash",
                           amount=Decimal(100), amount_in_words="壹佰元整", recipient="r",
                           issuer="i", region_path=path)
    Disbursement.objects.create(fund=fund, amount=Decimal(50), purpose=f"{tag}-disbursement",
                                beneficiary_kind="person", person=person, requested_by=root,
                                region_path=path)
    CommitteeMember.objects.create(fund=fund, name=person.name, role="member", joined_on=today,
                                   region_path=path, person=person)
    # Somebody viewed the person's unmasked ID number, and the need's contact.
    audit.pii_access(actor=root, subject=person, field="id_number", purpose=f"{tag}-viewed")
    audit.record(actor=root, action=Action.PERSON_UNMASKED, target=person,
                 data={"field": "id_number", "purpose": f"{tag}-viewed"})
    audit.pii_access(actor=root, subject=need, field="phone", purpose=f"{tag}-need-viewed")


@pytest.fixture
def world(root: User, district: Region, community_a: Region, community_b: Region,
          make_user: Any) -> dict[str, Any]:
    with scopes_disabled():
        p = people_services.person_create(actor=root, region=community_a, name="张三丰",
                                          id_number=ID_P, phone=PHONES["p"], address="杨坪路1号")
        q = people_services.person_create(actor=root, region=community_b, name="李四光",
                                          id_number=ID_Q, phone=PHONES["q"], address="西郊路2号")
        team = Team.objects.create(name="队", level="corps", path="0001",
                                   region=community_a, region_path=community_a.path)
        fund = Fund.objects.create(name="社区基金", kind="community", region=community_a,
                                   region_path=community_a.path, parent_org_name="慈善会",
                                   second_approval_above=Decimal(1000))
        _records("PPP", p, community_a, root, team, fund, 1)
        _records("QQQ", q, community_b, root, team, fund, 2)
    admin = make_user("district_admin", district, "dadmin")
    return {"p": p, "q": q, "admin": admin, "root": root, "community_a": community_a,
            "district": district,
            "make_user": make_user}


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def _start(client: Client, id_number: str = ID_P, purpose: str = "subject",
           detail: str = "本人到窗口申请,已核验身份证") -> Any:
    return client.post(reverse("people:subject_access"),
                       {"id_number": id_number, "purpose": purpose, "detail": detail})


def _job_id(response: Any) -> str:
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"].rstrip("/").rsplit("/", 1)[-1])


@pytest.mark.django_db
def test_export_holds_every_record_of_the_person_and_nothing_of_another(
        world: dict[str, Any], inline_jobs: Any, caplog: pytest.LogCaptureFixture) -> None:
    client = _client(world["admin"])
    caplog.set_level(logging.DEBUG)
    response = _start(client)
    job_id = _job_id(response)
    # No ID number in the URL, the job's state or its files' names.
    assert ID_P not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    state_text = (progress.job_dir(job_id) / "state.json").read_text("utf-8")
    assert ID_P not in state_text and PHONES["p"] not in state_text
    state = json.loads(state_text)
    assert state["status"] == "done", state
    for info in state["files"].values():
        assert ID_P not in info["name"] and "321" not in info["name"]

    doc_response = client.get(reverse("people:subject_access_file", args=[job_id, "json"]))
    assert doc_response.status_code == 200
    assert ID_P not in doc_response["Content-Disposition"]
    doc = json.loads(doc_response.getvalue())
    sheets = {s["key"]: s["rows"] for s in doc["sheets"]}
    subject_access.discover()
    # Every registered sheet (every app's records) has the person's row, and the access log
    # has both views (of the person and of their need).
    for key in [*subject_access.COLLECTORS, "audit.pii_access", "audit.unmask_events"]:
        assert sheets.get(key), f"no rows in {key}"
    assert {r["purpose"] for r in sheets["audit.pii_access"]} == {"PPP-viewed", "PPP-need-viewed"}
    assert sheets["people.person"][0]["id_number"] == ID_P  # the person's own copy: unmasked
    text = json.dumps(doc, ensure_ascii=False)
    for marker in ("PPP-consent", "PPP-need", "PPP-follow-up", "PPP-skills", "PPP-application",
                   "PPP-service", "PPP-visit", "PPP-training", "PPP-appraisal", "PPP-donation",
                   "PPP-receipt", "PPP-disbursement", "PPP-ledger-entry", "PPP-cert-no",
                   "PPP-as-guardian", "PPP-adjustment"):
        assert marker in text, marker
    # Nothing of the other person.
    assert "QQQ" not in text and ID_Q not in text and PHONES["q"] not in text
    assert "李四光" not in text

    xlsx = client.get(reverse("people:subject_access_file", args=[job_id, "xlsx"]))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True)
    cells = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                     for c in row if c is not None)
    assert len(book.worksheets) == len(doc["sheets"])
    assert "PPP-service" in cells and ID_P in cells
    assert "QQQ" not in cells and ID_Q not in cells

    # Audited with its purpose; the event holds no ID number.
    event = AuditEvent.objects.unscoped().get(action=Action.PERSON_DATA_EXPORTED)
    assert event.target_id == str(world["p"].pk) and event.data["purpose"] == "subject"
    assert ID_P not in json.dumps(event.data, ensure_ascii=False)
    # No ID number in any log line.
    assert not [r for r in caplog.records if ID_P in r.getMessage()]


@pytest.mark.django_db
def test_without_the_permission_the_page_and_the_service_refuse(
        world: dict[str, Any], inline_jobs: Any) -> None:
    staff = world["make_user"]("community_staff", world["community_a"], "cstaff")
    client = _client(staff)
    assert client.get(reverse("people:subject_access")).status_code in (403, 404)
    assert _start(client).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        subject_access.subject_access_start(actor=staff, id_number=ID_P, purpose="subject",
                                            detail="本人申请查阅")
    assert not AuditEvent.objects.unscoped().filter(action=Action.PERSON_DATA_EXPORTED).exists()


@pytest.mark.django_db
def test_a_job_is_its_starters_only(world: dict[str, Any], inline_jobs: Any) -> None:
    job_id = _job_id(_start(_client(world["admin"])))
    other = world["make_user"]("district_admin", world["district"], "other")
    other_client = _client(other)
    assert other_client.get(reverse("people:subject_access_job", args=[job_id])).status_code == 404
    assert other_client.get(reverse("people:subject_access_file",
                                    args=[job_id, "json"])).status_code == 404


@pytest.mark.django_db
def test_a_person_outside_scope_is_not_found(world: dict[str, Any], inline_jobs: Any,
                                             street_b: Region) -> None:
    outsider = world["make_user"]("district_admin", street_b, "outsider")
    with pytest.raises(NotFound):
        subject_access.subject_access_start(actor=outsider, id_number=ID_P, purpose="subject",
                                            detail="本人申请查阅")
    response = _start(_client(outsider))
    assert response.status_code == 404
    assert ID_P not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("purpose", "detail", "code"), [
    ("", "本人申请查阅", "purpose_required"),
    ("curiosity", "本人申请查阅", "purpose_required"),
    ("subject", "", "required"),
    ("subject", "看看", "purpose_too_short"),
])
def test_purpose_is_required(world: dict[str, Any], inline_jobs: Any, purpose: str, detail: str,
                             code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        subject_access.subject_access_start(actor=world["admin"], id_number=ID_P,
                                            purpose=purpose, detail=detail)
    assert exc.value.code == code or code == "required"
    response = _start(_client(world["admin"]), purpose=purpose, detail=detail)
    assert response.status_code == 400
    assert not AuditEvent.objects.unscoped().filter(action=Action.PERSON_DATA_EXPORTED).exists()
    assert not list(inline_jobs.iterdir())


@pytest.mark.django_db
def test_a_malformed_id_number_is_refused_without_echoing_it(world: dict[str, Any],
                                                            inline_jobs: Any) -> None:
    response = _start(_client(world["admin"]), id_number="51010119991231999")
    assert response.status_code == 400
    assert "51010119991231999" not in response.content.decode()


@pytest.mark.django_db
def test_files_expire(world: dict[str, Any], inline_jobs: Any, settings: Any) -> None:
    client = _client(world["admin"])
    job_id = _job_id(_start(client))
    url = reverse("people:subject_access_file", args=[job_id, "xlsx"])
    assert client.get(url).status_code == 200
    # Before the date the periodic job leaves the files alone.
    assert subject_access.subject_access_expire() == {"removed": 0}
    job = progress.Job(job_id, json.loads((progress.job_dir(job_id) / "state.json").read_text()))
    names = [i["name"] for i in job.state["files"].values()]
    expires = job.state["expires"]
    assert expires - time.time() == pytest.approx(settings.WUSHE_SUBJECT_ACCESS_DAYS * 86400,
                                                  abs=60)
    job.save(expires=time.time() - 1)
    # Past the date the download answers 410 even before the files are deleted …
    assert client.get(url).status_code == 410
    # … and the periodic job deletes both files; the page says they have expired.
    assert subject_access.subject_access_expire() == {"removed": 2}
    assert not any((progress.job_dir(job_id) / n).exists() for n in names)
    assert subject_access.subject_access_expire() == {"removed": 0}
    assert client.get(url).status_code == 410
    page = client.get(reverse("people:subject_access_job", args=[job_id]))
    assert b'data-testid="subject-access-expired"' in page.content
