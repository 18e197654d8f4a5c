"""The region tree, region detail with coverage, region edit and the sites pages."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.audit.models import AuditEvent
from wushe.regions.models import Region, Site
from wushe.web.tests.factories import World, build_world

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def test_tree_starts_at_the_actors_region(world: World) -> None:
    html = world.client("staff_a").get("/regions/").content.decode()
    assert "杨坪社区" in html
    assert "杨坪第一网格" in html  # its children are listed at once
    assert "西郊社区" not in html


def test_tree_of_district_admin_starts_at_the_district(world: World) -> None:
    html = world.client("admin").get("/regions/").content.decode()
    assert "九龙坡区" in html and "杨家坪街道" in html
    assert f'hx-get="/regions/{world.street.code}/children"' in html


def test_children_fragment_for_htmx(world: World) -> None:
    response = world.client("admin").get(f"/regions/{world.street.code}/children", **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "杨坪社区" in html and "西郊社区" in html
    assert response["Vary"].count("HX-Request") == 1


def test_children_without_javascript_goes_to_the_detail_page(world: World) -> None:
    response = world.client("admin").get(f"/regions/{world.street.code}/children")
    assert response.status_code == 302
    assert response["Location"] == f"/regions/{world.street.code}/"


def test_children_outside_scope_are_not_found(world: World) -> None:
    response = world.client("staff_a").get(f"/regions/{world.community_b.code}/children", **HX)
    assert response.status_code == 404


def test_detail_shows_figures_children_sites_and_coverage(world: World) -> None:
    html = world.client("admin").get(f"/regions/{world.street.code}/").content.decode()
    assert "杨家坪街道" in html
    assert "杨坪社区" in html and "西郊社区" in html  # children table
    assert "杨家坪街道社工站" in html and "西郊社区社工室" in html  # sites in the subtree
    assert 'data-testid="coverage"' in html
    # Neither community has a party-and-people service centre: both are listed as missing.
    assert "0 / 2" in html
    assert f'href="/regions/{world.community_a.code}/edit"' not in html
    assert f'href="/regions/{world.street.code}/edit"' in html  # district admin may edit


def test_detail_breadcrumb_links_only_what_the_actor_may_open(world: World) -> None:
    html = world.client("staff_a").get(f"/regions/{world.community_a.code}/").content.decode()
    assert "九龙坡区" in html  # shown in the breadcrumb
    assert f'href="/regions/{world.district.code}/"' not in html  # but not linked


def test_community_staff_gets_404_for_another_communitys_region(world: World) -> None:
    client = world.client("staff_a")
    assert client.get(f"/regions/{world.community_b.code}/").status_code == 404
    assert client.get(f"/regions/{world.district.code}/").status_code == 404
    assert client.get("/regions/999999999999/").status_code == 404


def test_community_staff_gets_404_for_another_communitys_site(world: World) -> None:
    client = world.client("staff_a")
    assert client.get(f"/regions/sites/{world.site_a.pk}/").status_code == 200
    assert client.get(f"/regions/sites/{world.site_b.pk}/").status_code == 404
    assert client.get(f"/regions/sites/{world.station.pk}/").status_code == 404


def test_sites_list_is_scoped_and_filtered(world: World) -> None:
    html = world.client("staff_a").get("/regions/sites/").content.decode()
    assert "杨坪社区社工室" in html
    assert "西郊社区社工室" not in html and "杨家坪街道社工站" not in html
    html = world.client("street").get("/regions/sites/?kind=sw_station").content.decode()
    assert "杨家坪街道社工站" in html
    assert "杨坪社区社工室" not in html


def test_sites_list_partial_and_bad_filter(world: World) -> None:
    client = world.client("street")
    response = client.get("/regions/sites/?kind=sw_room", **HX)
    assert "<html" not in response.content.decode()
    assert client.get("/regions/sites/?kind=nonsense").status_code == 400
    assert client.get(f"/regions/sites/?region={world.community_b.code}").status_code == 200
    assert world.client("staff_a").get(
        f"/regions/sites/?region={world.community_b.code}").status_code == 404


def test_sites_list_paginates(world: World, settings: Any) -> None:
    settings.WUSHE_PAGE_SIZE = 2
    html = world.client("admin").get("/regions/sites/").content.decode()
    assert "?page=2" in html


def test_edit_region_through_the_service(world: World) -> None:
    client = world.client("admin")
    url = f"/regions/{world.community_a.code}/edit"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "杨坪社区", "population": "８１００",
                                 "households": "3100"})
    assert response.status_code == 302
    region = Region.objects.unscoped().get(pk=world.community_a.pk)
    assert (region.population, region.households) == (8100, 3100)
    assert AuditEvent.objects.unscoped().filter(action="regions.region.updated",
                                                target_id=str(region.pk)).exists()


def test_edit_region_refusal_is_shown_and_changes_nothing(world: World) -> None:
    client = world.client("admin")
    response = client.post(f"/regions/{world.community_a.code}/edit",
                           {"name": "新名字", "population": "abc", "households": "1"})
    assert response.status_code == 400
    assert "常住人口须为整数" in response.content.decode()
    region = Region.objects.unscoped().get(pk=world.community_a.pk)
    assert (region.name, region.households) == ("杨坪社区", 3000)


def test_edit_region_without_manage_is_forbidden(world: World) -> None:
    client = world.client("staff_a")
    assert client.get(f"/regions/{world.community_a.code}/edit").status_code == 403
    assert client.post(f"/regions/{world.community_a.code}/edit",
                       {"name": "x", "population": "1", "households": "1"}).status_code == 403
    assert client.get(f"/regions/{world.community_b.code}/edit").status_code == 404


def test_site_create(world: World) -> None:
    client = world.client("street")
    form = client.get(f"/regions/sites/new?region={world.community_a.code}").content.decode()
    assert world.community_a.code in form
    assert world.district.code not in form  # outside the street's scope
    response = client.post("/regions/sites/new", {
        "region": world.community_a.code, "kind": "party_centre", "name": "杨坪党群服务中心",
        "address": "杨家坪正街2号", "opened_on": "2024-05-01", "area_m2": "300"})
    assert response.status_code == 302
    site = Site.objects.unscoped().get(name="杨坪党群服务中心")
    assert response["Location"] == f"/regions/sites/{site.pk}/"
    assert site.region_path == world.community_a.path


def test_site_create_wrong_tier_is_refused_next_to_the_form(world: World) -> None:
    client = world.client("street")
    response = client.post("/regions/sites/new", {
        "region": world.community_a.code, "kind": "sw_station", "name": "错层社工站"})
    assert response.status_code == 400
    assert "社工站点须设在对应层级" in response.content.decode()
    assert not Site.objects.unscoped().filter(name="错层社工站").exists()


def test_site_create_needs_sites_manage(world: World) -> None:
    assert world.client("staff_a").get("/regions/sites/new").status_code == 403
    response = world.client("street").post("/regions/sites/new", {
        "region": world.community_b.code, "kind": "complex", "name": "x"})
    assert response.status_code == 302  # community B is inside the street
    response = world.client("staff_b").post("/regions/sites/new", {
        "region": world.community_a.code, "kind": "complex", "name": "y"})
    assert response.status_code == 403


def test_site_edit_through_the_service(world: World) -> None:
    client = world.client("street")
    site = world.site_b
    assert "编辑阵地" in client.get(f"/regions/sites/{site.pk}/").content.decode()
    response = client.post(f"/regions/sites/{site.pk}/edit",
                           {"name": site.name, "address": "西郊路8号", "area_m2": "120"})
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.address, site.area_m2, site.active) == ("西郊路8号", 120, False)
    assert AuditEvent.objects.unscoped().filter(action="regions.site.updated").count() == 1


def test_site_edit_refused_outside_scope_or_without_permission(world: World) -> None:
    site = world.site_b
    assert world.client("staff_a").get(f"/regions/sites/{site.pk}/edit").status_code == 404
    assert world.client("staff_b").get(f"/regions/sites/{site.pk}/edit").status_code == 403
    response = world.client("street").post(f"/regions/sites/{site.pk}/edit",
                                           {"name": "<script>x</script>", "active": "on"})
    assert response.status_code == 400
    site.refresh_from_db()
    assert "<script>" not in site.name
