"""Public pages (no account): self-registration with consent, CSRF and a rate limit, approval
by a leader; certificate verification by number, on a page and through the public API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from wushe.core.errors import NotFound
from wushe.people.models import Consent, Person
from wushe.volunteers import services
from wushe.volunteers.models import ApplicationStatus, Membership, VolunteerApplication
from wushe.volunteers.tests.factories import VWorld, child_idn, idn


def _form(vw: VWorld, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "罗晓彤", "id_number": idn("19980412", "801"), "phone": "13912340000",
        "region": "500107001001", "team": vw.squad_a.pk, "skills": "摄影",
        "interests": ["elderly"], "availability": ["weekend"], "consent": "on"}
    data.update(kw)
    return data


def test_join_page_submits_an_application(vw: VWorld) -> None:
    client = Client()
    page = client.get("/volunteers/join/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = client.post("/volunteers/join/", _form(vw))
    assert response.status_code == 302 and response["Location"] == "/volunteers/join/done"
    done = client.get("/volunteers/join/done").content.decode()
    app = VolunteerApplication.objects.unscoped().get()
    assert app.reference in done
    assert app.id_number == idn("19980412", "801") and app.team_id == vw.squad_a.pk
    assert not Person.objects.unscoped().filter(name="罗晓彤").exists()  # nothing until approved


def test_join_needs_csrf(vw: VWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/volunteers/join/", _form(vw)).status_code == 403


def test_join_needs_consent_and_a_guardian_for_children(vw: VWorld) -> None:
    client = Client()
    response = client.post("/volunteers/join/", _form(vw, consent=""))
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    response = client.post("/volunteers/join/", _form(vw, id_number=child_idn("802")))
    assert response.status_code == 400
    response = client.post("/volunteers/join/", _form(
        vw, id_number=child_idn("802"), guardian_name="陈大海",
        guardian_id_number=idn("19800303", "803"), guardian_relation="父亲"))
    assert response.status_code == 302
    assert VolunteerApplication.objects.unscoped().count() == 1


@override_settings(WUSHE_VOLUNTEER_SIGNUPS_PER_HOUR=2)
def test_join_is_rate_limited_per_client(vw: VWorld) -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    for seq in ("811", "812"):
        assert client.post("/volunteers/join/", _form(vw, id_number=idn("19980412", seq))) \
            .status_code == 302
    third = client.post("/volunteers/join/", _form(vw, id_number=idn("19980412", "813")))
    assert third.status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.10")
    assert other.post("/volunteers/join/", _form(vw, id_number=idn("19980412", "814"))) \
        .status_code == 302


@override_settings(WUSHE_VOLUNTEER_SIGNUPS_PER_HOUR=2, WUSHE_TRUSTED_PROXIES="1")
def test_behind_a_proxy_the_limit_is_per_client_not_per_proxy_or_forged_hop(vw: VWorld) -> None:
    # One nginx (10.0.0.1) appends the real client after whatever the client wrote.
    def through_proxy(forwarded: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    for seq, forged in (("821", "6.6.6.1"), ("822", "6.6.6.2")):
        assert _api_apply(idn("19980412", seq), through_proxy(f"{forged}, 198.51.100.7")) \
            .status_code == 201
    assert _api_apply(idn("19980412", "823"), through_proxy("6.6.6.3, 198.51.100.7")) \
        .status_code == 429
    page = through_proxy("6.6.6.4, 198.51.100.7").post(
        "/volunteers/join/", _form(vw, id_number=idn("19980412", "824")))
    assert page.status_code == 429  # the page and the API count the same client
    assert _api_apply(idn("19980412", "825"), through_proxy("198.51.100.8")).status_code == 201


def test_team_choices_follow_the_community(vw: VWorld) -> None:
    html = Client().get("/volunteers/join/teams", {"region": "500107001002"}).content.decode()
    assert vw.squad_a2.name in html and vw.squad_a.name not in html


def test_leader_approves_and_the_volunteer_exists(vw: VWorld) -> None:
    Client().post("/volunteers/join/", _form(vw))
    app = VolunteerApplication.objects.unscoped().get()
    with pytest.raises(NotFound):  # another team's leader does not even see it
        services.application_approve(actor=vw.users["leader_b"], application=app)
    response = vw.client("leader_a").post(f"/volunteers/applications/{app.pk}/decide",
                                          {"decision": "approve"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.APPROVED and app.volunteer is not None
    assert Membership.objects.unscoped().filter(volunteer=app.volunteer, team=vw.squad_a).exists()
    consent = Consent.objects.unscoped().get(pk=app.volunteer.consent_id)
    assert consent.given_at == app.consented_at  # the consent given on the public form


def test_rejection_needs_a_reason(vw: VWorld) -> None:
    Client().post("/volunteers/join/", _form(vw))
    app = VolunteerApplication.objects.unscoped().get()
    client = vw.client("leader_a")
    client.post(f"/volunteers/applications/{app.pk}/decide", {"decision": "reject"})
    assert VolunteerApplication.objects.unscoped().get().status == ApplicationStatus.PENDING
    client.post(f"/volunteers/applications/{app.pk}/decide",
                {"decision": "reject", "reason": "不在本社区居住"})
    assert VolunteerApplication.objects.unscoped().get().status == ApplicationStatus.REJECTED


def test_public_api_self_registration(vw: VWorld) -> None:
    response = Client().post("/api/v1/public/volunteer-applications", {
        "region_code": "500107001001", "name": "蒋一帆", "id_number": idn("20010923", "821"),
        "phone": "13912340001", "consent": True}, content_type="application/json")
    assert response.status_code == 201 and response.json()["reference"].startswith("ZS")
    refused = Client().post("/api/v1/public/volunteer-applications", {
        "region_code": "500107001001", "name": "蒋一帆", "id_number": idn("20010923", "822"),
        "phone": "13912340001", "consent": False}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "consent_required"


def test_verification_page_and_public_api(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "3", start_hours_ago=30)
    services.records_confirm(actor=vw.root, records=[r])
    today = timezone.localdate()
    cert = services.certificate_issue(actor=vw.users["leader_a"], volunteer=vw.volunteers["a1"],
                                      team=vw.squad_a, period_start=today - dt.timedelta(days=9),
                                      period_end=today)
    client = Client()
    page = client.get(f"/volunteers/verify/{cert.number}")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="verify-valid"' in html and "王*花" in html
    assert "王小花" not in html
    api = client.get(f"/api/v1/public/certificates/{cert.number}").json()
    assert api["valid"] is True and api["hours"] == "3.00" and api["name"] == "王*花"
    assert client.get("/volunteers/verify/", {"number": cert.number.lower()}).status_code == 302
    assert client.get(f"/volunteers/verify/{cert.number.lower()}").status_code == 200
    assert client.get("/volunteers/verify/ZYZM2026NOTHING").status_code == 404
    assert client.get("/api/v1/public/certificates/ZYZM2026NOTHING").status_code == 404
    services.certificate_revoke(actor=vw.users["leader_a"], certificate=cert, reason="错发")
    assert client.get(f"/api/v1/public/certificates/{cert.number}").json()["valid"] is False
    assert 'data-testid="verify-revoked"' in client.get(
        f"/volunteers/verify/{cert.number}").content.decode()


def _api_apply(id_number: str, client: Client | None = None) -> object:
    return (client or Client()).post("/api/v1/public/volunteer-applications", {
        "region_code": "500107001001", "name": "蒋一帆", "id_number": id_number,
        "phone": "13912340001", "consent": True}, content_type="application/json")


def _shape(response: object) -> tuple[int, dict[str, object]]:
    body = response.json()  # type: ignore[attr-defined]
    return response.status_code, {  # type: ignore[attr-defined]
        k: (len(v), v[:2]) if k == "reference" else v for k, v in body.items()}


def test_a_pending_id_number_answers_exactly_like_a_new_one(vw: VWorld) -> None:
    """The answer must not confirm that an ID number already has a pending application: the
    same status and body shape (a fresh reference, status pending) for a repeat as for a first
    submission, and still one application for the staff to decide."""
    pending_idn, fresh_idn = idn("20010923", "831"), idn("20010923", "832")
    first = _api_apply(pending_idn)
    repeat = _api_apply(pending_idn)
    fresh = _api_apply(fresh_idn)
    assert _shape(repeat) == _shape(fresh) == _shape(first)
    assert repeat.status_code == 201 and repeat.json()["status"] == "pending"
    assert repeat.json()["reference"] != first.json()["reference"]
    apps = VolunteerApplication.objects.unscoped()
    assert apps.count() == 2 and apps.filter(reference=repeat.json()["reference"]).count() == 0
    pending = apps.get(reference=first.json()["reference"])
    from wushe.audit.models import AuditEvent

    touch = AuditEvent.objects.unscoped().get(action="volunteers.application.repeated")
    assert touch.target_id == str(pending.pk)
    assert touch.data["reference"] == repeat.json()["reference"]


def test_the_join_page_answers_a_pending_id_number_like_a_new_one(vw: VWorld) -> None:
    first = Client().post("/volunteers/join/", _form(vw))
    repeat_client = Client()
    repeat = repeat_client.post("/volunteers/join/", _form(vw))
    assert first.status_code == repeat.status_code == 302
    assert first["Location"] == repeat["Location"] == "/volunteers/join/done"
    assert repeat_client.get("/volunteers/join/done").status_code == 200
    assert VolunteerApplication.objects.unscoped().count() == 1


@override_settings(WUSHE_VOLUNTEER_SIGNUPS_PER_HOUR=2)
def test_repeats_count_against_the_rate_limit_like_new_applications(vw: VWorld) -> None:
    """Otherwise the number of submissions before a 429 would tell a repeat from a new one."""
    client = Client(REMOTE_ADDR="10.0.0.21")
    other = Client(REMOTE_ADDR="10.0.0.22")
    assert _api_apply(idn("20010923", "841"), other).status_code == 201
    assert _api_apply(idn("20010923", "841"), client).status_code == 201  # a repeat
    assert _api_apply(idn("20010923", "842"), client).status_code == 201
    assert _api_apply(idn("20010923", "843"), client).status_code == 429
