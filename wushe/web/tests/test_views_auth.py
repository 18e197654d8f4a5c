"""Login, logout, the home page per role, the error pages and the security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from wushe.accounts.services import user_create
from wushe.audit.models import AuditEvent
from wushe.web.tests.factories import PASSWORD, World, login

pytestmark = pytest.mark.django_db


def test_login_then_logout(world: World) -> None:
    client = Client()
    response = login(client, "staff_a")
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "杨坪社区" in home.content.decode()
    out = client.post("/logout/")
    assert out.status_code == 302
    assert client.get("/account/security/").status_code == 302  # back to the login page


def test_logout_needs_post(world: World) -> None:
    client = world.client("staff_a")
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200


def test_wrong_password_shows_the_error_with_400(world: World) -> None:
    client = Client()
    response = login(client, "staff_a", "wrong-password")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_the_same_message(world: World) -> None:
    response = login(Client(), "nobody", "whatever")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()


def test_lockout_message_after_repeated_failures(world: World) -> None:
    client = Client()
    for _ in range(settings.WUSHE_LOCKOUT_FAILURES):
        login(client, "staff_a", "wrong-password")
    # Locked: even the right password is refused, and the page says why.
    response = login(client, "staff_a", PASSWORD)
    assert response.status_code == 400
    assert "已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_redirects_only_to_this_site(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "staff_a", "password": PASSWORD,
                                       "next": "https://evil.example/"})
    assert response["Location"] == "/"
    client = Client()
    response = client.post("/login/", {"username": "staff_a", "password": PASSWORD,
                                       "next": "/people/"})
    assert response["Location"] == "/people/"


def test_pages_need_login(world: World) -> None:
    for url in ["/account/security/", "/people/", "/regions/", "/audit/"]:  # "/": the portal
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_home_of_community_staff_shows_its_card(world: World) -> None:
    html = world.client("staff_a").get("/").content.decode()
    assert html.count('data-testid="role-card"') == 1
    assert "杨坪社区" in html
    assert "社区两委" in html  # the role label
    assert "/people/new" in html  # its tasks
    assert "/audit/" not in html  # no audit entry in its menu or tasks


def test_home_of_district_admin_links_the_audit_log(world: World) -> None:
    html = world.client("admin").get("/").content.decode()
    assert "九龙坡区" in html
    assert 'href="/audit/"' in html


def test_home_of_auditor(world: World) -> None:
    html = world.client("auditor").get("/").content.decode()
    assert 'href="/audit/"' in html
    assert "/people/new" not in html


def test_home_without_grant_says_so(world: World) -> None:
    user = user_create(actor=None, username="nobody", password=PASSWORD, check_password=False)
    client = Client()
    client.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    html = client.get("/").content.decode()
    assert 'data-testid="role-card"' not in html
    assert 'class="alert alert-warning"' in html


def test_logout_is_audited(world: World) -> None:
    client = world.client("staff_a")
    client.post("/logout/")
    assert AuditEvent.objects.unscoped().filter(action="accounts.user.logout",
                                                actor_name="staff_a").exists()


def test_csp_header_on_pages(world: World) -> None:
    for response in [Client().get("/login/"), world.client("staff_a").get("/people/")]:
        csp = response["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in csp
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp


def test_pages_have_no_inline_script_without_nonce(world: World) -> None:
    html = world.client("admin").get("/people/").content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag and "nonce=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"


def test_htmx_is_served_from_this_server(world: World) -> None:
    html = Client().get("/login/").content.decode()
    assert '/static/django_htmx/htmx-2.min.js' in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html


TEMPLATE_ROOTS = [Path(settings.BASE_DIR) / "wushe"]


def test_no_template_loads_anything_from_the_internet() -> None:
    pattern = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
    offenders = []
    for root in TEMPLATE_ROOTS:
        for path in root.glob("**/templates/**/*.html"):
            if pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path))
    assert offenders == []


def test_not_found_page_is_the_styled_error_page(world: World) -> None:
    response = world.client("staff_a").get("/no-such-page/")
    assert response.status_code == 404
    assert 'data-testid="error-panel"' in response.content.decode()


def test_healthz() -> None:
    assert Client().get("/healthz").json() == {"ok": True}


def test_language_switch(world: World) -> None:
    client = world.client("staff_a")
    assert "人员" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Sign out" in html
