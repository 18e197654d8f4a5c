"""The main menu (web/navigation.py, the context processor and base.html): at most eight
top-level menus by society for every role, every registered entry in one of them, a menu with
one entry as a plain link, and the open-work badge (absent for anonymous pages). The home page
keeps one section per role however many regions the role is held over."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.accounts.services import user_create
from wushe.conftest import PASSWORD
from wushe.inbox.selectors import work_counts
from wushe.needs import services as needs
from wushe.regions.models import Region
from wushe.regions.services import region_create
from wushe.web import navigation
from wushe.web.navigation import GROUPS, ITEMS, MAX_GROUPS, group_of, groups_for


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def top_level(html: str) -> list[str]:
    """The keys of the top-level menus rendered in the page's main navigation."""
    nav = html[html.index('class="ws-nav"'):html.index("</nav>", html.index('class="ws-nav"'))]
    return re.findall(r'<li class="nav-item[^"]*" data-nav-group="([a-z_]+)"', nav)


def submit(community: Region, n: int) -> None:
    needs.need_submit_public(category="elderly_care", description="独居老人需要助餐服务",
                             community=community.code, contact_name="王小明",
                             contact_phone=f"139{n:08d}", consent=True)


def test_there_are_at_most_eight_menus_and_every_entry_is_in_one() -> None:
    assert len(GROUPS) <= MAX_GROUPS
    assert len(ITEMS) > 8  # the apps registered theirs (22 entries were 22 menus before)
    for item in ITEMS:
        assert group_of(item) in GROUPS, item.url_name
        assert item.url.startswith("/")


def test_a_superuser_reaches_every_registered_entry_through_at_most_eight_menus(
        root: User) -> None:
    groups = groups_for(root)
    assert len(groups) <= MAX_GROUPS
    reachable = [i.url_name for g in groups for i in g.items]
    assert sorted(reachable) == sorted(i.url_name for i in ITEMS)
    assert len(reachable) == len(set(reachable))
    html = client_for(root).get("/work/").content.decode()
    keys = top_level(html)
    assert keys == [g.key for g in groups] and len(keys) <= MAX_GROUPS
    for item in ITEMS:
        assert f'href="{item.url}"' in html, item.url_name


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_sees_at_most_eight_menus_and_only_its_entries(
        role: str, make_user: Callable[..., User], district: Region, street: Region,
        community_a: Region) -> None:
    region = {"community_staff": community_a, "social_worker": community_a,
              "street_staff": street}.get(role, district)
    user = make_user(role, region)
    groups = groups_for(user)
    assert 1 <= len(groups) <= MAX_GROUPS
    assert all(g.items for g in groups)  # an empty menu is hidden
    html = client_for(user).get("/work/").content.decode()
    assert len(top_level(html)) == len(groups)
    assert 'href="/work/"' in html  # everyone has "My work"
    nav = html[html.index('class="ws-nav"'):html.index("</nav>", html.index('class="ws-nav"'))]
    mine = {i.url_name for i in navigation.menu_for(user)}
    for item in ITEMS:  # its entries, and no entry it holds no permission for
        assert (f'href="{item.url}"' in nav) == (item.url_name in mine), item.url_name


def test_a_menu_with_one_entry_is_a_plain_link_and_a_menu_header_links_its_first_entry(
        staff_a: User) -> None:
    html = client_for(staff_a).get("/work/").content.decode()
    groups = {g.key: g for g in groups_for(staff_a)}
    assert len(groups["community"].items) > 1
    community = re.search(r'data-nav-group="community">\s*<a ([^>]*)>', html)
    assert community is not None
    header = community.group(1)
    assert 'data-bs-toggle="dropdown"' in header  # Bootstrap opens it ...
    assert f'href="{groups["community"].first.url}"' in header  # ... without JS it is a link
    assert "/static/vendor/bootstrap/js/bootstrap.bundle.min.js" in html
    single = [g for g in groups.values() if len(g.items) == 1]
    assert single, "community staff have a one-entry menu (charity)"
    for g in single:
        link = re.search(rf'data-nav-group="{g.key}">\s*<a ([^>]*)>', html)
        assert link is not None and "dropdown" not in link.group(1)
        assert f'href="{g.first.url}"' in link.group(1)


def test_the_current_page_marks_its_entry_and_its_menu(staff_a: User) -> None:
    html = client_for(staff_a).get("/people/").content.decode()
    community = re.search(r'data-nav-group="community">\s*<a class="([^"]*)"', html)
    assert community is not None and "active" in community.group(1)
    assert re.search(r'class="dropdown-item active" href="/people/"\s*aria-current="page"', html)


def test_the_badge_counts_the_open_work(staff_a: User, staff_b: User,
                                        community_a: Region) -> None:
    html = client_for(staff_a).get("/work/").content.decode()
    assert 'data-testid="nav-badge"' not in html  # nothing to do: no badge
    for n in range(3):
        submit(community_a, n)
    cache.clear()  # the badge may lag by 30 s; the test does not wait
    total = sum(work_counts(actor=staff_a).values())
    assert total == 3
    html = client_for(staff_a).get("/work/").content.decode()
    assert 'data-testid="nav-badge" data-count="3"' in html
    # Screen readers read "3 open items" (3 项未销号), not a bare number.
    assert re.search(r'<span aria-hidden="true">3</span><span class="visually-hidden">3 ', html)
    assert 'data-testid="nav-badge-item" data-count="3"' in html  # on "My work" itself
    assert 'data-testid="nav-badge"' not in client_for(staff_b).get("/work/").content.decode()


def test_anonymous_pages_have_no_menu_and_no_badge(db: Any) -> None:
    response = Client().get("/login/")
    assert "nav_badge" not in response.context
    assert response.context["nav_groups"] == []
    assert 'class="ws-nav"' not in response.content.decode()
    assert 'data-testid="nav-badge"' not in Client().get("/").content.decode()


def test_an_entry_of_an_unknown_app_goes_to_administration_and_a_group_overrides() -> None:
    item = navigation.NavItem("x", "elsewhere:page", None)
    assert group_of(item) == navigation.FALLBACK_GROUP
    assert group_of(navigation.NavItem("x", "orgs:list", None, group="charity")) == "charity"


def test_a_role_held_over_thirty_communities_is_one_section_on_home(
        root: User, street: Region) -> None:
    communities = [region_create(actor=root, code=f"500107001{n:03d}", name=f"第{n}社区",
                                 kind="community", parent=street) for n in range(101, 131)]
    user = user_create(actor=None, username="many", password=PASSWORD, check_password=False,
                       grants=[("community_staff", c) for c in communities])
    html = client_for(user).get("/").content.decode()
    assert html.count('data-testid="role-card"') == 1
    assert "及其他 24 个" in html  # six regions listed, then a count
    assert html.index('data-testid="my-work"') < html.index('data-testid="role-card"')
