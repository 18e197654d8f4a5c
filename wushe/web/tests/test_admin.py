"""The back office: scoped querysets, masked personal data, writes through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from wushe.accounts.models import RoleGrant, User
from wushe.accounts.tests.otp_helpers import verify_session
from wushe.audit.models import AuditEvent
from wushe.regions.models import Region, Site
from wushe.web.tests.factories import PASSWORD, World, id_number

pytestmark = pytest.mark.django_db


def _root(world: World) -> Client:
    client = Client()
    client.force_login(world.root, backend="wushe.accounts.backends.LockoutBackend")
    verify_session(client, world.root)  # the back office asks for a second factor
    return client


def _events(action: str) -> int:
    return AuditEvent.objects.unscoped().filter(action=action).count()


@pytest.mark.parametrize("model", [
    "regions/region", "regions/site", "people/person", "people/consent", "audit/auditevent",
    "audit/piiaccess", "accounts/user", "accounts/rolegrant", "accounts/apitoken",
])
def test_changelists_open_for_superuser(world: World, model: str) -> None:
    response = _root(world).get(f"/admin/{model}/")
    assert response.status_code == 200


def test_app_users_cannot_enter_the_back_office(world: World) -> None:
    response = world.client("admin").get("/admin/regions/region/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_person_admin_shows_masked_values_only(world: World) -> None:
    client = _root(world)
    person = world.people["a1"]
    for url in ["/admin/people/person/", f"/admin/people/person/{person.pk}/change/"]:
        html = client.get(url).content.decode()
        assert id_number(seq="123") not in html
        assert "13800138000" not in html
        assert "杨家坪正街1号" not in html
        assert "陈大海" not in html
        assert "陈*海" in html
    assert client.get("/admin/people/person/add/").status_code == 403


def test_audit_admin_is_read_only(world: World) -> None:
    client = _root(world)
    event = AuditEvent.objects.unscoped().first()
    assert event is not None
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    html = client.get(f"/admin/audit/auditevent/{event.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/",
                       {"post": "yes"}).status_code == 403


def test_region_change_goes_through_the_service(world: World) -> None:
    client = _root(world)
    region = world.community_a
    before = _events("regions.region.updated")
    response = client.post(f"/admin/regions/region/{region.pk}/change/", {
        "name": "杨坪社区", "population": "9000", "households": "3000"})
    assert response.status_code == 302
    assert Region.objects.unscoped().get(pk=region.pk).population == 9000
    assert _events("regions.region.updated") == before + 1


def test_region_add_goes_through_the_service(world: World) -> None:
    client = _root(world)
    response = client.post("/admin/regions/region/add/", {
        "code": "500107001003", "name": "新社区", "kind": "community",
        "parent": world.street.pk, "population": "100", "households": "40"})
    assert response.status_code == 302
    region = Region.objects.unscoped().get(code="500107001003")
    assert region.path == "500107001003" and region.level == "community"
    assert AuditEvent.objects.unscoped().filter(action="regions.region.created",
                                                target_id=str(region.pk)).exists()


def test_region_add_refusal_is_a_message_and_changes_nothing(world: World) -> None:
    client = _root(world)
    response = client.post("/admin/regions/region/add/", {
        "code": "500107002001", "name": "错误社区", "kind": "community",
        "parent": world.street.pk, "population": "0", "households": "0"}, follow=True)
    assert response.status_code == 200
    assert "地区代码须以上级地区代码开头" in response.content.decode()
    assert not Region.objects.unscoped().filter(code="500107002001").exists()


def test_site_add_goes_through_the_service(world: World) -> None:
    client = _root(world)
    response = client.post("/admin/regions/site/add/", {
        "kind": "complex", "name": "杨坪社区综合体", "region": world.community_a.pk,
        "address": "", "opened_on": "", "area_m2": ""})
    assert response.status_code == 302
    site = Site.objects.unscoped().get(name="杨坪社区综合体")
    assert site.region_path == world.community_a.path
    assert AuditEvent.objects.unscoped().filter(action="regions.site.created",
                                                target_id=str(site.pk)).exists()


def test_user_add_and_grants_go_through_the_services(world: World) -> None:
    client = _root(world)
    response = client.post("/admin/accounts/user/add/", {
        "username": "newstaff", "display_name": "周新", "password1": "Xy7-strong-pass!",
        "password2": "Xy7-strong-pass!"})
    assert response.status_code == 302
    user = User.objects.get(username="newstaff")
    assert AuditEvent.objects.unscoped().filter(action="accounts.user.created",
                                                target_id=str(user.pk)).exists()
    response = client.post("/admin/accounts/rolegrant/add/", {
        "user": user.pk, "role": "community_staff", "region": world.community_b.pk})
    assert response.status_code == 302
    grant = RoleGrant.objects.unscoped().get(user=user)
    assert grant.region_path == world.community_b.path
    assert _events("accounts.grant.created") == 1
    response = client.post(f"/admin/accounts/rolegrant/{grant.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RoleGrant.objects.unscoped().filter(user=user).exists()
    assert _events("accounts.grant.revoked") == 1


def test_user_change_page_is_read_only(world: World) -> None:
    client = _root(world)
    staff = world.users["staff_a"]
    html = client.get(f"/admin/accounts/user/{staff.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    assert "杨坪社区" in html  # its grants, read-only
    assert client.get(f"/admin/accounts/user/{staff.pk}/password/").status_code == 403
    client.post(f"/admin/accounts/user/{staff.pk}/change/", {"username": "renamed"})
    assert User.objects.get(pk=staff.pk).username == "staff_a"
    assert User.objects.get(pk=staff.pk).check_password(PASSWORD)
