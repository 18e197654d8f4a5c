"""The pages walk a project from design to payment: forms, errors next to fields, no 500s."""

from __future__ import annotations

import datetime as dt

from wushe.projects.models import ContractTranche, Payment, ServiceProject, Status


def test_design_form_refuses_markup_and_reads_full_width(pw):
    client = pw.client("street")
    bad = client.post("/projects/new", {
        "name": "<script>alert(1)</script>", "region": pw.street.code,
        "domain": "elderly_services", "year": "2026", "budget": "１２００００",
        "indicators": "服务人次, 人次, 1200"})
    assert bad.status_code == 400 and "script" in bad.content.decode().lower()
    assert not ServiceProject.objects.unscoped().exists()
    ok = client.post("/projects/new", {
        "name": "杨家坪助老项目", "region": pw.street.code, "domain": "elderly_services",
        "year": "2026", "budget": "１２００００", "target_groups": ["elderly", "hardship"],
        "indicators": "服务人次, 人次, 1200\n小组活动，次，24"})
    assert ok.status_code == 302
    p = ServiceProject.objects.unscoped().get()
    assert str(p.budget) == "120000.00" and p.target_groups == "|elderly|hardship|"
    assert p.indicators.unscoped().count() == 2


def test_design_form_refuses_negative_and_absurd_budget(pw):
    client = pw.client("street")
    for budget in ("-5", "99999999999999", "abc"):
        r = client.post("/projects/new", {"name": "项目", "region": pw.street.code,
                                          "domain": "family", "year": "2026", "budget": budget})
        assert r.status_code == 400, budget
    assert not ServiceProject.objects.unscoped().exists()


def test_manager_walks_through_the_pages(pw, gate):
    project = pw.design()
    admin = pw.client("admin")
    plist = pw.plist(2026)
    r = admin.post(f"/projects/purchase-lists/{plist.pk}/", {"project": [project.pk]})
    assert r.status_code == 302
    r = admin.post(f"/projects/purchase-lists/{plist.pk}/publish")
    assert r.status_code == 302
    r = admin.get(f"/projects/{project.pk}/procurement")
    assert r.status_code == 200 and 'data-testid="eligibility-table"' in r.content.decode()
    r = admin.post(f"/projects/{project.pk}/procurement", {
        "method": "public_tender", "candidates": [pw.orgs["a"].pk, pw.orgs["b"].pk],
        "selected": pw.orgs["a"].pk, "reason": "评分最高", "decided_on": "2026-02-01"})
    assert r.status_code == 302
    r = admin.post(f"/projects/{project.pk}/contract", {
        "amount": "90000", "start": "2026-03-01", "end": "2027-03-15",
        "signed_on": "2026-02-20"})
    assert r.status_code == 400 and "12" in r.content.decode()
    r = admin.post(f"/projects/{project.pk}/contract", {
        "amount": "90000", "start": "2026-03-01", "end": "2027-02-28",
        "signed_on": "2026-02-20"})
    assert r.status_code == 302
    r = admin.post(f"/projects/{project.pk}/start", {"note": "进场服务"})
    assert r.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.IN_SERVICE
    r = admin.post(f"/projects/{project.pk}/tranches/2/pay", {
        "amount": "100", "paid_on": dt.date.today().isoformat()})
    assert r.status_code == 409  # waiting for the mid-term evaluation
    r = admin.post(f"/projects/{project.pk}/tranches/1/pay", {
        "amount": "27000", "paid_on": dt.date.today().isoformat(), "reference": "ZF1"})
    assert r.status_code == 302
    assert Payment.objects.unscoped().get().amount == 27000
    assert ContractTranche.objects.unscoped().get(seq=1).paid == 27000
    page = admin.get(f"/projects/{project.pk}/").content.decode()
    assert "30%" in page  # budget burn bar: 27,000 of 90,000


def _need(pw, region, category="elderly_care", group="elderly"):
    from wushe.needs import services as need_services

    staff = pw.users["staff_a"] if region == pw.community_a else pw.users["staff_b"]
    return need_services.need_intake(actor=staff, channel="window", region=region,
                                     category=category, description="独居老人需要助餐",
                                     contact_phone="13700000001", target_group=group)


def test_needs_are_picked_from_the_menu_and_the_need_shows_its_project(pw):
    need = _need(pw, pw.community_a)
    other = _need(pw, pw.community_b, category="policy", group="general")
    project = pw.design(pw.community_a)
    client = pw.client("street")
    today = dt.date.today()
    page = client.get(f"/projects/{project.pk}/needs", {
        "start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat(),
        "category": "elderly_care"})
    html = page.content.decode()
    assert need.tracking_code in html and other.tracking_code not in html
    r = client.post(f"/projects/{project.pk}/needs", {"need": [need.pk]})
    assert r.status_code == 302
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert need.tracking_code in detail
    need_page = pw.client("staff_a").get(f"/needs/{need.pk}/").content.decode()
    assert 'data-testid="serving-projects"' in need_page and project.name in need_page
    from wushe.projects.selectors import projects_for_need

    assert [p.pk for p in projects_for_need(pw.users["staff_a"], need)] == [project.pk]
    assert projects_for_need(pw.users["street_b"], need) == []


def test_needs_outside_scope_cannot_be_attached(pw):
    from wushe.core.errors import NotFound
    from wushe.projects import services

    foreign = _need(pw, pw.community_b)
    project = pw.design(pw.community_a)
    # The community-a officer cannot design at all; a street officer of another street
    # cannot see the need: both refused, nothing attached.
    import pytest

    with pytest.raises(NotFound):
        services.project_needs_attach(actor=pw.users["street_b"], project=project,
                                      need_ids=[foreign.pk])
    assert project.need_links.unscoped().count() == 0
