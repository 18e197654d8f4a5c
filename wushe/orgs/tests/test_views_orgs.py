"""Organisation pages: list, filters, detail, forms with errors next to fields, scope (404)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from wushe.orgs.models import SocialOrganization
from wushe.orgs.services import assessment_record, incubation_start
from wushe.orgs.tests.factories import credit_code

SCORES = {"governance": "70", "team": "65", "finance": "48.5", "projects": "72", "brand": "55",
          "outreach": "60", "expertise": "80"}


def test_list_filters_and_partial(ow):
    client = ow.client("admin")
    html = client.get("/orgs/").content.decode()
    assert "九龙社会工作服务中心" in html and "黄桷坪书画社" in html
    html = client.get("/orgs/", {"status": "filed"}).content.decode()
    assert "黄桷坪书画社" in html and "心理咨询师协会" not in html
    partial = client.get("/orgs/", {"q": "心理"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "心理咨询师协会" in partial.content.decode()
    assert client.get("/orgs/", {"status": "bogus"}).status_code == 400


def test_street_staff_see_their_street_only(ow):
    client = ow.client("street")
    html = client.get("/orgs/").content.decode()
    assert "杨坪社区舞蹈队" in html and "黄桷坪书画社" not in html
    assert client.get(f"/orgs/{ow.orgs['c'].pk}/").status_code == 404
    assert client.get(f"/orgs/{ow.orgs['a'].pk}/").status_code == 200


def test_org_staff_see_and_edit_their_own_organisation_only(ow):
    client = ow.client("org_staff")
    own, other = ow.orgs["a"], ow.orgs["b"]
    html = client.get("/orgs/").content.decode()
    assert own.name in html and other.name not in html
    assert client.get(f"/orgs/{own.pk}/").status_code == 200
    for url in (f"/orgs/{other.pk}/", f"/orgs/{other.pk}/edit", f"/orgs/{other.pk}/members/new",
                f"/orgs/{ow.orgs['c'].pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/orgs/{other.pk}/edit", {"venue": "x"}).status_code == 404
    form = client.get(f"/orgs/{own.pk}/edit").content.decode()
    assert 'name="venue"' in form and 'name="credit_code"' not in form
    response = client.post(f"/orgs/{own.pk}/edit", {"venue": "杨家坪正街99号",
                                                     "activity_area": "杨家坪街道"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.venue == "杨家坪正街99号"
    assert client.get(f"/orgs/{own.pk}/status").status_code == 403
    assert client.get("/orgs/mine").url == f"/orgs/{own.pk}/"


def test_create_form_shows_service_errors_next_to_fields(ow):
    client = ow.client("street")
    assert client.get("/orgs/new").status_code == 200
    response = client.post("/orgs/new", {"status": "registered", "region": ow.street.code,
                                         "name": "错码组织", "category": "hub",
                                         "credit_code": credit_code(77)[:-1] + "0",
                                         "registered_on": "2020-01-01"})
    html = response.content.decode()
    assert response.status_code == 400 and "校验位" in html and "is-invalid" in html
    assert not SocialOrganization.objects.unscoped().filter(name="错码组织").exists()
    response = client.post("/orgs/new", {"status": "filed", "region": ow.community_a.code,
                                         "name": "杨坪腰鼓队", "person_in_charge": "张兰",
                                         "venue": "杨坪广场", "activity_area": "杨坪社区"})
    assert response.status_code == 302
    org = SocialOrganization.objects.unscoped().get(name="杨坪腰鼓队")
    assert org.filing_number and response.url == f"/orgs/{org.pk}/"
    assert client.post("/orgs/new", {"status": "filed", "region": ow.community_c.code,
                                     "name": "越界"}).status_code in (400, 404)
    assert ow.client("staff_a").get("/orgs/new").status_code == 403


def test_detail_shows_capacity_chart_data_and_actions(ow):
    admin = ow.users["admin"]
    org = ow.orgs["a"]
    assessment_record(actor=admin, org=org, assessed_on="2025-01-10", assessor="周思远",
                      scores=SCORES, evidence="台账")
    html = ow.client("admin").get(f"/orgs/{org.pk}/").content.decode()
    assert 'id="capacity-data"' in html and "orgs/charts.js" in html
    assert "<script>" not in html  # data go in json_script, never inline code
    assert "财务管理" in html or "Financial" in html
    assert f"/orgs/{org.pk}/rate" in html


def test_status_and_rating_pages(ow):
    client = ow.client("admin")
    org = ow.orgs["filed_a"]
    response = client.post(f"/orgs/{org.pk}/status", {"to": "suspended"})
    assert response.status_code == 400 and "原因" in response.content.decode()
    response = client.post(f"/orgs/{org.pk}/status", {"to": "suspended", "reason": "长期不活动"})
    assert response.status_code == 302
    page = client.get(f"/orgs/{org.pk}/rate").content.decode()
    assert 'data-testid="not-eligible"' in page
    response = client.post(f"/orgs/{ow.orgs['a'].pk}/rate", {"score": "905"})
    assert response.status_code == 302
    assert "4A" in client.get(f"/orgs/{ow.orgs['a'].pk}/").content.decode()


def test_contact_reveal_is_logged(ow):
    from wushe.audit.models import PiiAccess
    from wushe.orgs.services import org_update

    org = ow.orgs["a"]
    org_update(actor=ow.users["admin"], org=org, contact_phone="13912345678")
    client = ow.client("org_staff")
    assert "13912345678" not in client.get(f"/orgs/{org.pk}/").content.decode()
    response = client.post(f"/orgs/{org.pk}/contact", {"purpose": "联系负责人核对备案"})
    assert "13912345678" in response.content.decode()
    assert PiiAccess.objects.unscoped().filter(field="contact_phone").count() == 1


def test_roster_projects_and_honours(ow):
    staff = ow.client("org_staff")
    org = ow.orgs["a"]
    assert staff.post(f"/orgs/{org.pk}/members/new", {"name": "王小明", "post": "理事"}).status_code == 302
    assert staff.post(f"/orgs/{org.pk}/projects/new", {"name": "山城少年", "beneficiaries": "-3"}).status_code == 400
    assert staff.post(f"/orgs/{org.pk}/projects/new", {"name": "山城少年", "beneficiaries": "300"}).status_code == 302
    html = staff.get(f"/orgs/{org.pk}/").content.decode()
    assert "王*明" in html and "王小明" not in html and "山城少年" in html
    assert staff.get(f"/orgs/{org.pk}/honours/new").status_code == 403
    assert ow.client("admin").post(f"/orgs/{org.pk}/honours/new", {
        "title": "优质社会组织", "year": "2025"}).status_code == 302
    member = org.members.model.objects.unscoped().get(org=org)
    assert ow.client("street_b").post(f"/orgs/members/{member.pk}/remove").status_code == 404
    assert staff.post(f"/orgs/members/{member.pk}/remove").status_code == 302


def test_incubation_pages(ow):
    admin = ow.users["admin"]
    org = ow.orgs["b"]
    client = ow.client("street")
    response = client.post(f"/orgs/{org.pk}/incubation/new", {"base": str(ow.incubator.pk),
                                                               "mentor": "周老师"})
    assert response.status_code == 302
    inc = org.incubation
    assert client.get("/orgs/incubation/").status_code == 200
    assert client.post(f"/orgs/incubation/{inc.pk}/issues/new", {
        "area": "finance", "description": "票据不规范"}).status_code == 302
    assert client.post(f"/orgs/incubation/{inc.pk}/follow-ups/new", {
        "kind": "field_visit", "notes": "实地查看"}).status_code == 302
    html = client.get(f"/orgs/incubation/{inc.pk}/").content.decode()
    assert "票据不规范" in html and "实地查看" in html and 'data-testid="blockers"' in html
    assert ow.client("street_b").get(f"/orgs/incubation/{inc.pk}/").status_code == 404
    assert client.get("/orgs/incubation/", {"overdue": "on"}).status_code == 200
    del admin


def test_capacity_overview_and_ratings_due(ow):
    admin = ow.users["admin"]
    assessment_record(actor=admin, org=ow.orgs["a"], assessed_on="2025-02-01", assessor="甲",
                      scores=SCORES)
    html = ow.client("street").get("/orgs/capacity/", {"region": ow.street.code}).content.decode()
    assert 'data-testid="weakest-table"' in html and "48.5" in html
    assert ow.client("admin").get("/orgs/ratings/").status_code == 200


def test_export_is_an_xlsx_of_the_visible_list(ow):
    response = ow.client("street").get("/orgs/export.xlsx", {"status": "filed"})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    names = [row[0] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["杨坪社区舞蹈队"]


def test_incubation_start_needs_a_base(ow):
    from wushe.core.errors import ValidationFailed

    try:
        incubation_start(actor=ow.users["admin"], org=ow.orgs["a"], base=ow.room_a)
    except ValidationFailed as exc:
        assert exc.field == "base"
    else:
        raise AssertionError("a social-work room is not an incubation base")
