"""The residents' front door (issue #15 item 3): the portal at anonymous "/", the web app
manifest and its icons, the large-text mode remembered per browser, WeChat's browser, languages."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from wushe.web.portal import LARGE_TEXT_COOKIE, TILES
from wushe.web.tests.factories import World

pytestmark = pytest.mark.django_db

WECHAT_UA = ("Mozilla/5.0 (Linux; Android 13; V2171A Build/TP1A.220624.014; wv) "
             "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 "
             "Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
             "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI "
             "Language/zh_CN ABI/arm64")
PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
TILE = re.compile(r'<a class="ws-tile" href="([^"]+)" data-testid="tile-(\w+)"')
STATIC = Path(settings.BASE_DIR) / "wushe" / "web" / "static"


def _tiles(html: str) -> dict[str, str]:
    return {key: href for href, key in TILE.findall(html)}


def _html_class(html: str) -> str:
    match = re.search(r"<html[^>]*>", html)
    assert match
    return match.group(0)


def test_anonymous_root_is_the_portal_and_every_tile_opens_a_public_page(world: World) -> None:
    client = Client()
    response = client.get("/")
    assert response.status_code == 200
    assert "web/portal.html" in [t.name for t in response.templates]
    html = response.content.decode()
    tiles = _tiles(html)
    # 我要求助, 查询进度, 志愿者注册, 证明查验, 慈善公开, 项目购买清单, 金点子: in this order.
    assert list(tiles) == ["help", "track", "volunteer", "verify", "charity", "purchase", "ideas"]
    assert len(set(tiles.values())) == len(TILES)
    for key, href in tiles.items():
        page = client.get(href)
        assert page.status_code == 200, (key, href, page.status_code)
        assert b'data-testid="large-text-toggle"' in page.content  # the toggle on every one
    # The staff sign-in is one link among them, after the tiles.
    staff = re.search(r'<a href="([^"]+)" data-testid="staff-login">', html)
    assert staff and html.index('data-testid="staff-login"') > html.index('data-testid="tile-ideas"')
    assert client.get(staff.group(1)).status_code == 200
    # Anonymous: no staff navigation, no account menu.
    assert 'class="ws-nav"' not in html and 'data-testid="user-name"' not in html


def test_intake_form_is_behind_the_help_tile(world: World) -> None:
    client = Client()
    href = _tiles(client.get("/").content.decode())["help"]
    page = client.get(href).content.decode()
    assert 'name="category"' in page and "<form" in page


def test_signed_in_root_is_still_the_accounts_home(world: World) -> None:
    response = world.client("staff_a").get("/")
    assert response.status_code == 200
    names = [t.name for t in response.templates]
    assert "web/home.html" in names and "web/portal.html" not in names
    assert b'data-testid="portal"' not in response.content


def test_staff_pages_still_ask_anonymous_visitors_to_sign_in(world: World) -> None:
    response = Client().get("/people/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_manifest_is_valid_json_with_icons_that_exist(world: World) -> None:
    response = Client().get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "五社联动"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["src"].startswith(settings.STATIC_URL) and icon["type"] == "image/png"
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        assert path, icon["src"]
        data = Path(path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])  # IHDR
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add(width)
    assert {192, 512} <= sizes


def test_public_pages_link_the_manifest_touch_icon_and_theme_colour(world: World) -> None:
    html = Client().get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html)
    assert touch and finders.find(touch.group(1).removeprefix(settings.STATIC_URL))
    assert '<meta name="theme-color" content="#0b4f9c">' in html


def test_portal_keeps_the_csp_no_inline_script_without_a_nonce(world: World) -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp)
    assert script_src and "'unsafe-inline'" not in script_src.group(1)
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or "nonce=" in tag, tag
    assert not re.search(r"<[^>]+\son(click|load|submit|change)=", response.content.decode())


def test_large_text_toggle_sets_the_cookie_and_the_page_carries_the_class(world: World) -> None:
    client = Client()
    before = client.get("/").content.decode()
    assert "ws-large" not in _html_class(before)
    assert 'aria-pressed="false"' in before

    response = client.post("/display/large-text", {"large": "1", "next": "/needs/submit"})
    assert response.status_code == 302 and response["Location"] == "/needs/submit"
    cookie = response.cookies[LARGE_TEXT_COOKIE]
    assert cookie.value == "1" and int(cookie["max-age"]) >= 180 * 24 * 3600
    assert cookie["samesite"] == "Lax"

    for url in ("/", "/needs/submit", "/charity/public/"):
        html = client.get(url).content.decode()
        assert 'class="ws-large"' in _html_class(html), url
        assert 'aria-pressed="true"' in html, url
        assert 'name="large" value="0"' in html, url  # the same button turns it off

    off = client.post("/display/large-text", {"large": "0", "next": "/"})
    assert off.status_code == 302 and off.cookies[LARGE_TEXT_COOKIE]["max-age"] == 0
    assert "ws-large" not in _html_class(client.get("/").content.decode())


def test_large_text_css_raises_text_contrast_and_targets() -> None:
    css = (STATIC / "web" / "portal.css").read_text()
    size = re.search(r"html\.ws-large \{ font-size: (\d+)%; \}", css)
    assert size and 16 * int(size.group(1)) / 100 >= 18  # body text at least 18 px
    assert "--bs-body-color: #000" in css
    assert re.search(r"html\.ws-large \.btn, [^{]*\{ min-height: 60px; \}", css)


def test_large_text_refuses_a_bad_value_and_sets_nothing(world: World) -> None:
    client = Client()
    response = client.post("/display/large-text", {"large": "2", "next": "/"})
    assert response.status_code == 400
    assert LARGE_TEXT_COOKIE not in response.cookies
    assert "大字模式的取值无效" in response.content.decode()
    assert "ws-large" not in _html_class(client.get("/").content.decode())


def test_large_text_never_redirects_off_site(world: World) -> None:
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = Client().post("/display/large-text", {"large": "1", "next": target})
        assert response.status_code == 302 and response["Location"] == "/", target


def test_large_text_is_a_post_with_the_csrf_token(world: World) -> None:
    assert Client().get("/display/large-text?large=1").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/display/large-text", {"large": "1", "next": "/"})
    assert response.status_code == 403 and LARGE_TEXT_COOKIE not in response.cookies


def test_wechat_browser_gets_the_same_portal(world: World) -> None:
    wechat = Client(HTTP_USER_AGENT=WECHAT_UA).get("/")
    phone = Client(HTTP_USER_AGENT=PHONE_UA).get("/")
    assert wechat.status_code == 200 == phone.status_code
    assert "web/portal.html" in [t.name for t in wechat.templates]
    assert _tiles(wechat.content.decode()) == _tiles(phone.content.decode())
    # Nothing WeChat's browser lacks: no service worker, no fixed positioning.
    for name in ("portal.css", "wushe.css"):
        css = re.sub(r"/\*.*?\*/", "", (STATIC / "web" / name).read_text(), flags=re.S)
        assert not re.search(r"position:\s*fixed", css), name
    assert "serviceWorker" not in wechat.content.decode()


def test_chinese_by_default_english_with_the_language_switch(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the browser's wish alone keeps Chinese
    zh = client.get("/").content.decode()
    assert '<html lang="zh-hans"' in zh and "跳到正文" in zh
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    en = client.get("/").content.decode()
    assert '<html lang="en"' in en
    assert "Ask for help" in en and "Staff sign-in" in en and "Skip to content" in en
