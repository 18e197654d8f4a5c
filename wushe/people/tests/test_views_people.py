"""People pages: list and search, register, detail, reveal with a purpose, consents, edit."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.audit.models import AuditEvent, PiiAccess
from wushe.people.models import Consent, Person
from wushe.web.tests.factories import World, build_world, id_number

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def _person(pk: int) -> Person:
    return Person.objects.unscoped().get(pk=pk)


# --- list -----------------------------------------------------------------------------------

def test_list_of_community_a_never_shows_community_b(world: World) -> None:
    client = world.client("staff_a")
    html = client.get("/people/").content.decode()
    assert "陈*海" in html and "陈*雨" in html
    assert "刘*郊" not in html
    # Not by searching for B's ID number or name, nor by filtering on B's region.
    for query in ["?q=刘", f"?region={world.community_b.code}"]:
        response = client.get("/people/" + query)
        assert "刘*郊" not in response.content.decode()
    response = client.post("/people/", {"q": id_number(seq="789")}, follow=True)
    assert "刘*郊" not in response.content.decode()


def test_list_shows_masked_values_only(world: World) -> None:
    html = world.client("staff_a").get("/people/").content.decode()
    full = id_number(seq="123")
    assert full not in html
    assert full[:4] + "**********" + full[-4:] in html
    assert "13800138000" not in html and "138****8000" in html
    assert "陈大海" not in html


def test_search_by_id_number_phone_and_name(world: World) -> None:
    client = world.client("street")
    html = client.post("/people/", {"q": id_number(seq="789")}, follow=True).content.decode()
    assert "刘*郊" in html and "陈*海" not in html
    html = client.post("/people/", {"q": "13800138000"}, follow=True).content.decode()
    assert "陈*海" in html and "刘*郊" not in html
    html = client.post("/people/", {"q": "陈大海"}, follow=True).content.decode()
    assert "陈*海" in html and "陈*雨" not in html and "刘*郊" not in html


def test_name_search_is_exact_and_within_the_chosen_community(world: World) -> None:
    client = world.client("street")
    # No prefix or surname search: names are encrypted and only the full name is indexed.
    html = client.post("/people/", {"q": "陈"}, follow=True).content.decode()
    assert "陈*海" not in html and "陈*雨" not in html
    # Spaces and full-width forms are normalised away (NFKC, whitespace removed).
    html = client.post("/people/", {"q": "陈 大海"}, follow=True).content.decode()
    assert "陈*海" in html
    html = client.post("/people/", {"q": "刘西郊", "region": world.community_b.code},
                       follow=True).content.decode()
    assert "刘*郊" in html
    html = client.post("/people/", {"q": "刘西郊", "region": world.community_a.code},
                       follow=True).content.decode()
    assert "刘*郊" not in html


def test_name_search_never_reaches_outside_scope(world: World) -> None:
    html = world.client("staff_a").post("/people/", {"q": "刘西郊"}, follow=True).content.decode()
    assert "刘*郊" not in html


def test_a_name_in_the_url_is_refused(world: World) -> None:
    response = world.client("staff_a").get("/people/", {"q": "陈大海"})
    assert response.status_code == 400 and "alert-danger" in response.content.decode()


def test_search_with_a_bad_id_number_is_explained(world: World) -> None:
    bad = id_number(seq="123")[:-1] + ("0" if id_number(seq="123")[-1] != "0" else "1")
    response = world.client("staff_a").post("/people/", {"q": bad})
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()


def test_list_partial_for_htmx(world: World, settings: Any) -> None:
    settings.WUSHE_PAGE_SIZE = 1
    response = world.client("staff_a").get("/people/?page=2", **HX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="people-table"' in html
    assert "?page=1" in html


# --- create ---------------------------------------------------------------------------------

def test_register_a_person(world: World) -> None:
    client = world.client("staff_a")
    form = client.get("/people/new").content.decode()
    assert world.community_a.code in form and world.grid_a.code in form
    assert world.community_b.code not in form
    response = client.post("/people/new", {
        "region": world.grid_a.code, "name": "王小明", "id_number": id_number(seq="555"),
        "phone": "13700137000", "address": "杨坪路3号"})
    assert response.status_code == 302
    person = Person.objects.unscoped().get(id_number_bidx__isnull=False, name="王小明")  # through name_bidx
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.region_path == world.grid_a.path


def test_register_duplicate_is_a_conflict_and_changes_nothing(world: World) -> None:
    before = Person.objects.unscoped().count()
    response = world.client("staff_a").post("/people/new", {
        "region": world.community_a.code, "name": "陈大海", "id_number": id_number(seq="123")})
    assert response.status_code == 409
    assert "该身份证号已登记" in response.content.decode()
    assert Person.objects.unscoped().count() == before


def test_register_invalid_id_number_is_shown_next_to_the_field(world: World) -> None:
    response = world.client("staff_a").post("/people/new", {
        "region": world.community_a.code, "name": "王小明", "id_number": "123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "身份证号应为18位" in html
    assert 'aria-invalid="true"' in html


def test_register_in_another_community_is_refused(world: World) -> None:
    response = world.client("staff_a").post("/people/new", {
        "region": world.community_b.code, "name": "王小明"})
    assert response.status_code == 400  # not a choice the form offers
    assert not Person.objects.unscoped().filter(name="王小明").exists()


def test_register_needs_people_create(world: World) -> None:
    assert world.client("worker_a").get("/people/new").status_code == 403


# --- detail ---------------------------------------------------------------------------------

def test_detail_shows_masked_values(world: World) -> None:
    person = world.people["a1"]
    html = world.client("staff_a").get(f"/people/{person.pk}/").content.decode()
    assert "陈*海" in html
    assert id_number(seq="123") not in html and "13800138000" not in html
    assert "杨家坪正街1号" not in html
    assert f'action="/people/{person.pk}/reveal"' in html


def test_community_staff_gets_404_for_another_communitys_person(world: World) -> None:
    client = world.client("staff_a")
    b1 = world.people["b1"]
    for url in [f"/people/{b1.pk}/", f"/people/{b1.pk}/edit", "/people/99999/"]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"/people/{b1.pk}/reveal", {"field": "phone", "reason": "visit"})
    assert response.status_code == 404
    assert not PiiAccess.objects.unscoped().exists()


def test_no_reveal_form_without_unmask_permission(world: World) -> None:
    person = world.people["a1"]
    html = world.client("worker_a").get(f"/people/{person.pk}/").content.decode()
    assert "陈*海" in html
    assert "/reveal" not in html
    response = world.client("worker_a").post(f"/people/{person.pk}/reveal", {
        "field": "phone", "reason": "visit", "detail": "入户走访需要"})
    assert response.status_code == 403
    assert not PiiAccess.objects.unscoped().exists()


# --- reveal ---------------------------------------------------------------------------------

def test_reveal_requires_a_purpose(world: World) -> None:
    person = world.people["a1"]
    response = world.client("staff_a").post(f"/people/{person.pk}/reveal",
                                            {"field": "id_number", "reason": "", "detail": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写查看事由" in html
    assert id_number(seq="123") not in html
    assert not PiiAccess.objects.unscoped().exists()


def test_reveal_too_short_purpose(world: World) -> None:
    person = world.people["a1"]
    response = world.client("staff_a").post(f"/people/{person.pk}/reveal",
                                            {"field": "phone", "detail": "看"})
    assert response.status_code == 400
    assert not PiiAccess.objects.unscoped().exists()


def test_reveal_with_purpose_shows_the_value_and_records_access(world: World) -> None:
    person = world.people["a1"]
    response = world.client("staff_a").post(f"/people/{person.pk}/reveal", {
        "field": "id_number", "reason": "visit", "detail": "2024-0012 号诉求"})
    assert response.status_code == 200
    html = response.content.decode()
    assert id_number(seq="123") in html
    assert "<html" in html  # full page without JavaScript
    assert response["Cache-Control"].startswith("max-age=0")
    access = PiiAccess.objects.unscoped().get()
    assert (access.actor_name, access.field, access.subject_id) == (
        "staff_a", "id_number", str(person.pk))
    assert "2024-0012" in access.purpose
    assert AuditEvent.objects.unscoped().filter(action="people.person.unmasked").count() == 1


def test_reveal_fragment_for_htmx(world: World) -> None:
    person = world.people["a1"]
    response = world.client("staff_a").post(f"/people/{person.pk}/reveal", {
        "field": "phone", "reason": "contact"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "13800138000" in html
    assert 'id="reveal-phone"' in html


def test_reveal_unknown_field_is_refused(world: World) -> None:
    person = world.people["a1"]
    response = world.client("staff_a").post(f"/people/{person.pk}/reveal", {
        "field": "name", "reason": "visit"})
    assert response.status_code == 400
    assert not PiiAccess.objects.unscoped().exists()


# --- consents -------------------------------------------------------------------------------

def test_record_and_withdraw_consent(world: World) -> None:
    client = world.client("staff_a")
    person = world.people["a1"]
    response = client.post(f"/people/{person.pk}/consents", {
        "purpose": "service", "scope": "社区养老服务对接", "sensitive": "on"})
    assert response.status_code == 302
    consent = Consent.objects.unscoped().get(person=person)
    assert consent.sensitive and consent.active
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "社区养老服务对接" in html
    response = client.post(f"/people/consents/{consent.pk}/withdraw")
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    # Withdrawing twice is refused with a message, not an error page.
    response = client.post(f"/people/consents/{consent.pk}/withdraw", follow=True)
    assert "该同意已撤回" in response.content.decode()


def test_child_consent_needs_a_guardian(world: World) -> None:
    client = world.client("staff_a")
    child = world.people["a_child"]
    response = client.post(f"/people/{child.pk}/consents", {
        "purpose": "service", "scope": "课后托管服务"})
    assert response.status_code == 400
    assert "监护人" in response.content.decode()
    assert not Consent.objects.unscoped().exists()
    response = client.post(f"/people/{child.pk}/consents", {
        "purpose": "service", "scope": "课后托管服务",
        "guardian_id_number": id_number(seq="123"), "guardian_relation": "父亲"})
    assert response.status_code == 302
    consent = Consent.objects.unscoped().get(person=child)
    assert consent.guardian_id == world.people["a1"].pk


def test_guardian_outside_scope_is_not_found(world: World) -> None:
    child = world.people["a_child"]
    response = world.client("staff_a").post(f"/people/{child.pk}/consents", {
        "purpose": "service", "scope": "课后托管服务",
        "guardian_id_number": id_number(seq="789"), "guardian_relation": "母亲"})
    assert response.status_code == 400
    assert "请先登记监护人" in response.content.decode()
    assert not Consent.objects.unscoped().exists()


def test_guardian_lookup_fragment(world: World) -> None:
    child = world.people["a_child"]
    client = world.client("staff_a")
    html = client.post(f"/people/{child.pk}/guardian",
                       {"guardian_id_number": id_number(seq="123")}, **HX).content.decode()
    assert "陈*海" in html and id_number(seq="123") not in html
    html = client.post(f"/people/{child.pk}/guardian",
                       {"guardian_id_number": id_number(seq="789")}, **HX).content.decode()
    assert "刘*郊" not in html
    assert "alert-warning" in html


def test_consent_withdraw_of_another_community_is_not_found(world: World) -> None:
    b1 = world.people["b1"]
    world.client("staff_b").post(f"/people/{b1.pk}/consents",
                                 {"purpose": "contact", "scope": "电话回访"})
    consent = Consent.objects.unscoped().get(person=b1)
    assert world.client("staff_a").post(
        f"/people/consents/{consent.pk}/withdraw").status_code == 404
    consent.refresh_from_db()
    assert consent.active


# --- edit -----------------------------------------------------------------------------------

def test_edit_keeps_blank_fields_and_never_prefills_clear_values(world: World) -> None:
    client = world.client("staff_a")
    person = world.people["a1"]
    form = client.get(f"/people/{person.pk}/edit").content.decode()
    assert "13800138000" not in form and id_number(seq="123") not in form
    response = client.post(f"/people/{person.pk}/edit", {"phone": "13600136000"})
    assert response.status_code == 302
    updated = _person(person.pk)
    assert updated.phone == "13600136000"
    assert updated.name == "陈大海" and updated.id_number == id_number(seq="123")


def test_edit_refusal_changes_nothing(world: World) -> None:
    person = world.people["a1"]
    response = world.client("staff_a").post(f"/people/{person.pk}/edit",
                                            {"phone": "12345", "address": "新地址"})
    assert response.status_code == 400
    assert "电话号码格式不正确" in response.content.decode()
    assert _person(person.pk).address == "重庆市九龙坡区杨家坪正街1号"


def test_edit_needs_people_update(world: World) -> None:
    person = world.people["a1"]
    assert world.client("worker_a").get(f"/people/{person.pk}/edit").status_code == 403
