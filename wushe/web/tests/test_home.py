"""The home page per role (web/home.py): work first, then one section per role with its
figures and a few shortcuts that the menu does not already offer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.needs import services as needs
from wushe.needs.models import Need
from wushe.regions.models import Region
from wushe.web.home import TASKS_SHOWN
from wushe.web.navigation import menu_for


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def test_a_district_admin_sees_the_overdue_needs_before_the_figures(
        make_user: Callable[..., User], district: Region, community_a: Region,
        staff_a: User) -> None:
    admin = make_user("district_admin", district)
    done = needs.need_submit_public(category="policy", description="独居老人需要助餐服务",
                                    community=community_a.code, contact_name="王小明",
                                    contact_phone="13900000001", consent=True)
    need = needs.need_accept(actor=staff_a, need=done.need)
    Need.objects.unscoped().filter(pk=need.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3))
    html = client_for(admin).get("/").content.decode()
    assert 'data-kind="needs.need.overdue"' in html and need.tracking_code in html
    assert "王小明" not in html
    work = html.index('data-testid="my-work"')
    assert work < html.index('data-testid="role-card"') < html.index("ws-figure-value")
    assert html.count('data-testid="role-card"') == 1


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_a_roles_shortcuts_are_few_and_not_the_menu_again(
        role: str, make_user: Callable[..., User], district: Region, community_a: Region) -> None:
    user = make_user(role, community_a if role == "community_staff" else district)
    html = client_for(user).get("/").content.decode()
    tasks = re.findall(r'class="btn btn-outline-primary ws-task-link" href="([^"]+)"', html)
    assert len(tasks) <= TASKS_SHOWN
    menu = {i.url for i in menu_for(user)}
    assert not set(tasks) & menu, role
    assert len(tasks) == len(set(tasks))
    if not tasks:  # no empty "Tasks" heading
        assert 'data-testid="role-tasks"' not in html


def test_the_district_admins_eighteen_buttons_are_now_a_few(
        make_user: Callable[..., User], district: Region, community_a: Region) -> None:
    html = client_for(make_user("district_admin", district)).get("/").content.decode()
    assert 1 <= html.count("ws-task-link") <= TASKS_SHOWN
    assert 'class="btn btn-outline-primary ws-task-link" href="/audit/"' not in html  # the menu


def test_community_staff_keep_their_register_shortcut_and_grouped_figures(
        staff_a: User) -> None:
    html = client_for(staff_a).get("/").content.decode()
    assert 'ws-task-link" href="/people/new"' in html
    assert 'ws-figure-value">8,000<' in html  # population, thousands grouped
