"""Workforce pages: lists, registration through the person lookup, details, staffing, scope."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from wushe.people.models import Person
from wushe.web.tests.factories import id_number
from wushe.workforce.models import CommunityWorker, SocialWorker
from wushe.workforce.services import community_worker_create, social_worker_create
from wushe.workforce.tests.conftest import community_worker_values


def test_register_a_social_worker_for_an_existing_person(ow, persons):
    client = ow.client("street")
    assert client.get("/workforce/social-workers/new").status_code == 200
    response = client.post("/workforce/social-workers/new", {
        "id_number": persons["a1"].id_number, "name": "陈晓", "site": str(ow.room_a.pk),
        "certificate_level": "intermediate", "certificate_number": "B20195001000001",
        "employer": ow.orgs["a"].credit_code, "status": "active"})
    assert response.status_code == 302, response.content.decode()[:3000]
    worker = SocialWorker.objects.unscoped().get()
    assert worker.person == persons["a1"] and worker.region_path == ow.community_a.path
    assert worker.employer == ow.orgs["a"] and worker.placed
    html = client.get(response.url).content.decode()
    assert "陈*" in html and persons["a1"].id_number not in html


def test_register_refusals_land_on_the_fields(ow, persons):
    client = ow.client("street")
    base = {"id_number": persons["a1"].id_number, "name": "陈晓", "status": "active",
            "region": ow.community_a.code}
    cases = [({"name": "别人"}, "name"), ({"certificate_level": "assistant"}, "certificate_number"),
             ({"certificate_level": "none", "employer": "NOSUCHCODE"}, "employer"),
             ({"certificate_level": "none", "region": ""}, "region")]
    for extra, field in cases:
        response = client.post("/workforce/social-workers/new",
                               {"certificate_level": "none", **base, **extra})
        assert response.status_code in (400, 404), field
        marked = re.search(rf'<[^>]*is-invalid[^>]*id="id_{field}"', response.content.decode())
        assert marked, field
    assert not SocialWorker.objects.unscoped().exists()


def test_a_new_person_is_registered_where_they_live(ow):
    client = ow.client("street")
    number = id_number(birth="19920305", seq="771")
    response = client.post("/workforce/community-workers/new", {
        "id_number": number, "name": "周新", "residence": ow.community_b.code,
        "community": ow.community_a.code, "post": "3", "education": "bachelor",
        "hired_on": "2021-03-01", "status": "active"})
    assert response.status_code == 302
    person = Person.objects.unscoped().get(name="周新")
    assert person.region == ow.community_b
    worker = CommunityWorker.objects.unscoped().get(person=person)
    assert worker.community == ow.community_a and 1 <= worker.grade <= 13
    response = client.post("/workforce/community-workers/new", {
        "id_number": id_number(birth="19920305", seq="772"), "name": "吴越",
        "residence": ow.community_b.code, "community": ow.community_a.code, "post": "3",
        "grade": "15", "education": "bachelor", "hired_on": "2021-03-01", "status": "active"})
    assert response.status_code == 400 and "13" in response.content.decode()
    assert not Person.objects.unscoped().filter(name="吴越").exists()  # rolled back with it


def test_workers_are_scoped_by_region(ow, persons):
    admin = ow.users["admin"]
    worker_c = community_worker_create(actor=admin, person=persons["c1"],
                                       community=ow.community_c, **community_worker_values())
    social = social_worker_create(actor=admin, person=persons["a1"], region=ow.community_a)
    street = ow.client("street")
    assert street.get(f"/workforce/community-workers/{worker_c.pk}/").status_code == 404
    assert street.get(f"/workforce/community-workers/{worker_c.pk}/grade").status_code == 404
    assert street.get(f"/workforce/social-workers/{social.pk}/").status_code == 200
    assert ow.client("street_b").get(f"/workforce/social-workers/{social.pk}/").status_code == 404
    assert ow.client("org_staff").get("/workforce/").status_code == 403
    staff = ow.client("staff_a")
    assert staff.get(f"/workforce/social-workers/{social.pk}/").status_code == 200
    assert staff.get(f"/workforce/social-workers/{social.pk}/edit").status_code == 403
    assert staff.get("/workforce/social-workers/new").status_code == 403


def test_training_and_appraisal_pages(ow, persons):
    admin = ow.users["admin"]
    social = social_worker_create(actor=admin, person=persons["a1"], region=ow.community_a)
    client = ow.client("street")
    assert client.post(f"/workforce/social-workers/{social.pk}/training/new", {
        "kind": "short_course", "title": "个案管理", "hours": "1000", "on": "2025-03-01"}).status_code == 400
    assert client.post(f"/workforce/social-workers/{social.pk}/training/new", {
        "kind": "short_course", "title": "个案管理", "hours": "16", "on": "2025-03-01"}).status_code == 302
    html = client.get(f"/workforce/social-workers/{social.pk}/").content.decode()
    assert 'data-testid="training-years"' in html and "2025" in html
    html = client.get("/workforce/training/", {"year": "2025", "below": "on"}).content.decode()
    assert "陈*" in html
    worker = community_worker_create(actor=admin, person=persons["a2"], community=ow.community_a,
                                     **community_worker_values())
    assert client.post(f"/workforce/community-workers/{worker.pk}/appraisals/new", {
        "year": "2024", "result": "excellent"}).status_code == 302
    assert client.post(f"/workforce/community-workers/{worker.pk}/appraisals/new", {
        "year": "2024", "result": "competent"}).status_code == 409
    assert client.post(f"/workforce/community-workers/{worker.pk}/grade", {
        "post": "3", "grade": "14", "reason": "晋级"}).status_code == 400
    assert client.post(f"/workforce/community-workers/{worker.pk}/grade", {
        "post": "2", "grade": "6", "reason": "竞聘副职"}).status_code == 302


def test_staffing_page_and_export(ow, persons):
    client = ow.client("admin")
    html = client.get("/workforce/staffing/").content.decode()
    assert 'data-testid="shortfall-table"' in html and ow.community_c.name in html
    assert 'id="staffing-data"' in html and "<script>" not in html
    short = client.get("/workforce/staffing/", {"street": ow.street.code, "short": "on"})
    assert ow.community_c.name not in short.content.decode()
    partial = client.get("/workforce/staffing/", {"short": "on"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    response = client.get("/workforce/staffing/export.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["社区配备"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {ow.community_a.code, ow.community_b.code, ow.community_c.code}
    assert [r[5] for r in rows if r[0] == ow.community_c.code] == [3]
    assert client.get("/workforce/staffing/", {"street": "99"}).status_code == 400


def test_lists_and_exports(ow, persons):
    admin = ow.users["admin"]
    social_worker_create(actor=admin, person=persons["a1"], region=ow.community_a,
                         certificate_level="assistant", certificate_number="A20205001000009")
    community_worker_create(actor=admin, person=persons["a2"], community=ow.community_a,
                            **community_worker_values())
    client = ow.client("street")
    assert "陈*" in client.get("/workforce/", {"level": "certified"}).content.decode()
    assert "陈*" not in client.get("/workforce/", {"level": "senior"}).content.decode()
    assert "刘*" in client.get("/workforce/community-workers/", {"post": "3"}).content.decode()
    for url in ("/workforce/social-workers/export.xlsx", "/workforce/community-workers/export.xlsx"):
        wb = load_workbook(io.BytesIO(client.get(url).content))
        assert wb.active.max_row == 2, url
