"""Access that ends with its purpose (#22 item 4): an assignment opens its need while it is
active; returned or cancelled, the need is missing to that assignee (404, page and API);
once resolved, an assignee whose part is done keeps a read-only view without the resident's
contact (no unmasking) for WUSHE_ASSIGNEE_READ_DAYS, then 404. And PIPL Art. 21: a need with
personal data is dispatched to an organisation only under an entrusted-processing agreement
in force on the dispatch date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wushe.accounts.models import User
from wushe.accounts.services import grant_add
from wushe.audit.models import AuditEvent, PiiAccess
from wushe.core.errors import Conflict
from wushe.needs import services
from wushe.needs.models import Assignment, AssignmentState, Need
from wushe.needs.tests.conftest import client_for, committee
from wushe.needs.workflow import State
from wushe.orgs.models import SocialOrganization
from wushe.orgs.services import agreement_record
from wushe.orgs.tests.factories import registered
from wushe.regions.models import Region

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def agree(actor: User, org: SocialOrganization, *, starts: int = -30, ends: int = 365) -> None:
    today = timezone.localdate()
    agreement_record(actor=actor, org=org, starts_on=today + dt.timedelta(days=starts),
                     ends_on=today + dt.timedelta(days=ends), purposes=["needs_handling"],
                     document=SimpleUploadedFile("协议.pdf", PDF, "application/pdf"))


@dataclass
class World:
    admin: User
    staff: User        # community staff: accepts and dispatches
    org_staff: User    # acts for the organisation (object grant)
    org: SocialOrganization
    need: Need


@pytest.fixture
def w(make_user: Callable[..., User], district: Region, street: Region, staff_a: User,
      submit: Callable[..., Need], community_a: Region) -> World:
    admin = make_user("district_admin", district, "admin_f")
    org = registered(admin, street, "九龙社会工作服务中心")
    agree(admin, org)
    org_staff = make_user("org_staff", street, "org_staff_f")
    grant_add(actor=None, user=org_staff, role="org_staff", region=street, org=org)
    need = services.need_accept(actor=staff_a, need=submit(community_a, contact_name="王小明",
                                                            phone="13912345678"))
    return World(admin, staff_a, org_staff, org, need)


def org_spec(org: SocialOrganization, role: str = "lead") -> services.AssignmentSpec:
    return services.AssignmentSpec("organisation", str(org.pk), role)


def page(user: User, need: Need) -> int:
    return client_for(user).get(reverse("needs:detail", args=[need.pk])).status_code


def api(user: User, need: Need) -> tuple[int, dict]:
    r = client_for(user).get(f"/api/v1/needs/{need.pk}")
    return r.status_code, r.json()


def missing_api(user: User) -> dict:
    return client_for(user).get("/api/v1/needs/987654321").json()


def mine(need: Need, org: SocialOrganization) -> Assignment:
    return Assignment.objects.unscoped().get(need=need, society="organisation",
                                             object_id=str(org.pk))


# --- assignments and their purpose -------------------------------------------------------


def test_an_active_assignee_sees_the_need_with_its_masked_contact(w: World) -> None:
    services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(w.org)])
    r = client_for(w.org_staff).get(reverse("needs:detail", args=[w.need.pk]))
    assert r.status_code == 200
    assert "王**" in r.content.decode() or "王*" in r.content.decode()
    status, body = api(w.org_staff, w.need)
    assert status == 200 and body["contact_phone"].startswith("139")
    services.assignment_take(actor=w.org_staff, assignment=mine(w.need, w.org))
    assert page(w.org_staff, w.need) == 200


def test_a_returned_assignee_gets_404_like_a_missing_need(w: World) -> None:
    services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(w.org)])
    services.assignment_take(actor=w.org_staff, assignment=mine(w.need, w.org))
    services.assignment_return(actor=w.org_staff, assignment=mine(w.need, w.org),
                               reason="不在服务范围内")
    assert mine(w.need, w.org).state == AssignmentState.RETURNED
    assert page(w.org_staff, w.need) == 404
    status, body = api(w.org_staff, w.need)
    assert status == 404 and body == missing_api(w.org_staff)
    r = client_for(w.org_staff).get(f"/api/v1/needs/{w.need.pk}/events")
    assert r.status_code == 404
    # the assignment itself is gone from its reach too (take / return: missing)
    r = client_for(w.org_staff).post(
        f"/api/v1/needs/assignments/{mine(w.need, w.org).pk}/take")
    assert r.status_code == 404
    # and the list no longer offers it
    r = client_for(w.org_staff).get("/api/v1/needs/?bucket=all")
    assert r.status_code == 200 and r.json()["count"] == 0


def test_a_cancelled_assignee_gets_404(w: World) -> None:
    services.need_dispatch(actor=w.staff, need=w.need,
                           assignments=[committee(w.staff), org_spec(w.org, "support")])
    lead = Assignment.objects.unscoped().get(need=w.need, role="lead")
    services.assignment_take(actor=w.staff, assignment=lead)
    assert page(w.org_staff, w.need) == 200  # pending support: active
    services.need_resolve(actor=w.staff, need=w.need, result="已安排助餐")
    assert mine(w.need, w.org).state == AssignmentState.CANCELLED
    assert page(w.org_staff, w.need) == 404
    assert api(w.org_staff, w.need)[0] == 404


def test_after_resolve_a_done_assignee_reads_without_contact_then_404(
        w: World, settings: object) -> None:
    services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(w.org)])
    services.assignment_take(actor=w.org_staff, assignment=mine(w.need, w.org))
    services.need_resolve(actor=w.org_staff, need=w.need, result="已上门助餐")
    assert mine(w.need, w.org).state == AssignmentState.DONE

    r = client_for(w.org_staff).get(reverse("needs:detail", args=[w.need.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="contact-withheld"' in html
    assert "王*" not in html and "139" not in html and "needs/reveal" not in html
    assert reverse("needs:reveal", args=[w.need.pk]) not in html
    status, body = api(w.org_staff, w.need)
    assert status == 200 and body["contact_name"] == "" and body["contact_phone"] == ""
    # no unmasking by the API either, and nothing is logged as shown
    r = client_for(w.org_staff).post(f"/api/v1/needs/{w.need.pk}/unmask",
                                     {"field": "contact_phone", "purpose": "回访核实情况"},
                                     content_type="application/json")
    assert r.status_code == 403 and "139" not in r.content.decode()
    assert not PiiAccess.objects.unscoped().filter(actor=w.org_staff).exists()
    # read-only: no action is offered, none is allowed
    assert 'data-testid="action-' not in html
    # staff who see it by region still see the masked contact
    status, body = api(w.staff, w.need)
    assert body["contact_phone"].startswith("139")

    # the window: on its last day still readable, the day after missing
    days = settings.WUSHE_ASSIGNEE_READ_DAYS  # type: ignore[attr-defined]
    Need.objects.unscoped().filter(pk=w.need.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=days) + dt.timedelta(hours=1))
    assert page(w.org_staff, w.need) == 200
    Need.objects.unscoped().filter(pk=w.need.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=days, hours=1))
    assert page(w.org_staff, w.need) == 404
    assert api(w.org_staff, w.need)[0] == 404
    assert page(w.staff, w.need) == 200  # region scope is not touched by the window


def test_the_window_is_a_setting(w: World, settings: object) -> None:
    services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(w.org)])
    services.assignment_take(actor=w.org_staff, assignment=mine(w.need, w.org))
    services.need_resolve(actor=w.org_staff, need=w.need, result="已上门助餐")
    Need.objects.unscoped().filter(pk=w.need.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=10))
    assert page(w.org_staff, w.need) == 200
    settings.WUSHE_ASSIGNEE_READ_DAYS = 7  # type: ignore[attr-defined]
    assert page(w.org_staff, w.need) == 404


# --- entrusted processing (PIPL Art. 21) --------------------------------------------------


def _nothing_written(need: Need, audit_before: int) -> None:
    fresh = Need.objects.unscoped().get(pk=need.pk)
    assert fresh.state == State.ACCEPTED and fresh.dispatched_at is None
    assert not Assignment.objects.unscoped().filter(need=need).exists()
    assert AuditEvent.objects.unscoped().count() == audit_before


def test_dispatch_without_an_agreement_is_refused_and_writes_nothing(
        w: World, street: Region) -> None:
    bare = registered(w.admin, street, "心理咨询师协会")
    before = AuditEvent.objects.unscoped().count()
    with pytest.raises(Conflict) as exc:
        services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(bare)])
    assert exc.value.code == "no_processing_agreement"
    assert "心理咨询师协会" in exc.value.zh and "心理咨询师协会" in exc.value.en
    _nothing_written(w.need, before)
    # also when the organisation without one is a supporter next to a lead that may
    with pytest.raises(Conflict):
        services.need_dispatch(actor=w.staff, need=w.need,
                               assignments=[org_spec(w.org), org_spec(bare, "support")])
    _nothing_written(w.need, before)
    # the API: a bilingual 409 naming the organisation
    r = client_for(w.staff).post(f"/api/v1/needs/{w.need.pk}/dispatch", {
        "assignments": [{"society": "organisation", "object_id": str(bare.pk), "role": "lead"}]},
        content_type="application/json")
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "no_processing_agreement"
    assert "心理咨询师协会" in body["message"]["zh"] and "心理咨询师协会" in body["message"]["en"]
    _nothing_written(w.need, before)


def test_dispatch_with_an_agreement_in_force_works(w: World) -> None:
    services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(w.org)])
    assert Need.objects.unscoped().get(pk=w.need.pk).state == State.DISPATCHED
    assert mine(w.need, w.org).state == AssignmentState.PENDING


@pytest.mark.parametrize(("starts", "ends"), [(-400, -1), (1, 300)])
def test_an_agreement_not_in_force_today_refuses(w: World, street: Region, starts: int,
                                                 ends: int) -> None:
    other = registered(w.admin, street, "心理咨询师协会")
    agree(w.admin, other, starts=starts, ends=ends)  # expired yesterday / starts tomorrow
    before = AuditEvent.objects.unscoped().count()
    with pytest.raises(Conflict) as exc:
        services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(other)])
    assert exc.value.code == "no_processing_agreement"
    _nothing_written(w.need, before)


def test_an_agreement_for_other_purposes_refuses(w: World, street: Region) -> None:
    other = registered(w.admin, street, "心理咨询师协会")
    today = timezone.localdate()
    agreement_record(actor=w.admin, org=other, starts_on=today, ends_on=today,
                     purposes=["project_evaluation"],
                     document=SimpleUploadedFile("a.pdf", PDF, "application/pdf"))
    with pytest.raises(Conflict):
        services.need_dispatch(actor=w.staff, need=w.need, assignments=[org_spec(other)])


def test_a_need_without_contact_details_needs_no_agreement(w: World, street: Region) -> None:
    bare = registered(w.admin, street, "心理咨询师协会")
    Need.objects.unscoped().filter(pk=w.need.pk).update(contact_name="", contact_phone="")
    need = Need.objects.unscoped().get(pk=w.need.pk)
    services.need_dispatch(actor=w.staff, need=need, assignments=[org_spec(bare)])
    assert Need.objects.unscoped().get(pk=need.pk).state == State.DISPATCHED


def test_the_dispatch_page_says_which_organisation_has_no_agreement(
        w: World, street: Region) -> None:
    bare = registered(w.admin, street, "心理咨询师协会")
    html = client_for(w.staff).get(reverse("needs:detail", args=[w.need.pk])).content.decode()
    rows = html.split('data-testid="candidate"')[1:]
    row_bare = next(r for r in rows if f'value="organisation:{bare.pk}"' in r)
    row_ok = next(r for r in rows if f'value="organisation:{w.org.pk}"' in r)
    assert 'data-testid="no-agreement"' in row_bare.split("</li>")[-2] or \
        'data-testid="no-agreement"' in row_bare
    assert 'data-testid="no-agreement"' not in row_ok.split('data-testid="reasons"')[0]
    assert "no_processing_agreement" not in html  # a label, not a code
    # refused on the page: the message next to the choice, nothing written
    r = client_for(w.staff).post(reverse("needs:act", args=[w.need.pk, "dispatch"]),
                                 {"pick": [f"organisation:{bare.pk}"],
                                  "lead": f"organisation:{bare.pk}"})
    assert r.status_code == 409 and "心理咨询师协会" in r.content.decode()
    assert not Assignment.objects.unscoped().filter(need=w.need).exists()
