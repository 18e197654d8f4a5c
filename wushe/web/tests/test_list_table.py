"""The list table of the list pages, written once (#23 item 6): ``{% listtable %}`` and
``web/partials/list_table.html``.

1. A real list page (the sites) rendered through the partial: the table with its header row, one
   row a record, the empty-state row across every column when nothing matches, the pagination
   footer with its htmx links when there is more than a page, and the htmx partial the same.
2. The tag itself: pairs unpacked as ``{% for %}`` does, the record's name gone after the table,
   an escaped empty text, and a misspelt option a syntax error, not a silently plain table.
3. No list template writes out again the scaffolding the partial gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.paginator import Paginator
from django.template import TemplateSyntaxError, engines
from django.test import Client, RequestFactory

from wushe.accounts.models import User
from wushe.regions.models import Region
from wushe.regions.services import site_create


class Table(HTMLParser):
    """The list table's testid, header cells, rows (their cells' text) and the footer's links."""

    def __init__(self) -> None:
        super().__init__()
        self.testid = ""
        self.table_class = ""
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self.colspans: list[str] = []
        self.page_links: list[dict[str, str]] = []
        self.footer = False
        self._where = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.testid, self.table_class = a.get("data-testid", ""), a.get("class", "")
        elif tag in ("thead", "tbody"):
            self._where = tag
        elif tag == "tr" and self._where == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
            if "colspan" in a:
                self.colspans.append(a["colspan"])
        elif tag == "div" and "card-footer" in a.get("class", ""):
            self.footer = True
        elif tag == "a" and self.footer and "page-link" in a.get("class", ""):
            self.page_links.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if tag == "th" and self._where == "thead":
                self.head.append(text)
            elif self.rows:
                self.rows[-1].append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> Table:
    table = Table()
    table.feed(html)
    return table


@pytest.fixture
def admin_client(make_user: Callable[..., User], district: Region) -> Client:
    client = Client()
    client.force_login(make_user("district_admin", district, "admin"),
                       backend="wushe.accounts.backends.LockoutBackend")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


HEAD = ["Name", "Kind", "Region", "Address", "Opened on"]


def test_sites_list_renders_rows_and_pagination_through_the_partial(
    admin_client: Client, root: User, community_a: Region, settings: Any
) -> None:
    settings.WUSHE_PAGE_SIZE = 2
    for name in ("甲社工室", "乙社工室", "丙社工室"):
        site_create(actor=root, region=community_a, kind="sw_room", name=name)

    response = admin_client.get("/regions/sites/")
    assert response.status_code == 200
    html = response.content.decode()
    table = parse(html)
    assert table.testid == "sites-table"
    assert table.table_class == "table table-hover mb-0"  # the page's own classes kept
    assert table.head == HEAD
    assert len(table.rows) == 2 and all(len(row) == len(HEAD) for row in table.rows)
    assert table.colspans == []  # no empty-state row beside records
    assert "Page 1 of 2 · 3 records" in html
    assert [link.get("hx-target") for link in table.page_links] == ["#results", "#results"]
    assert [link["href"] for link in table.page_links] == ["?page=2", "?page=2"]

    second = parse(admin_client.get("/regions/sites/", {"page": "2"}).content.decode())
    assert len(second.rows) == 1 and second.head == HEAD

    partial = admin_client.get("/regions/sites/", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body and parse(body).testid == "sites-table" and len(parse(body).rows) == 2


def test_sites_list_without_a_match_shows_the_empty_state_row(
    admin_client: Client, root: User, community_a: Region
) -> None:
    site_create(actor=root, region=community_a, kind="sw_room", name="甲社工室")

    html = admin_client.get("/regions/sites/", {"kind": "incubator"}).content.decode()
    table = parse(html)
    assert table.head == HEAD
    assert table.rows == [["No sites match."]]
    assert table.colspans == [str(len(HEAD))]
    assert table.page_links == [] and "Page 1" not in html  # one page: no pagination block

    admin_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = admin_client.get("/regions/sites/", {"kind": "incubator"}).content.decode()
    assert parse(html).rows == [["没有符合条件的阵地。"]]  # the empty text still goes through gettext


def _render(source: str, **context: Any) -> str:
    request = RequestFactory().get("/list/")
    template = engines["django"].from_string("{% load i18n wushe_lists %}" + source)
    return template.render(context, request)


def test_the_tag_unpacks_pairs_and_escapes_the_empty_text() -> None:
    source = ('{% listtable rows as a, b testid="t" cols=2 empty=empty %}<th>A</th><th>B</th>'
              '{% listrow %}<tr><td>{{ a }}</td><td>{{ b }}</td></tr>{% endlisttable %}[{{ a }}]')
    page = Paginator([1, 2], 10).get_page(1)
    table = parse(_render(source, rows=[("x", 1), ("<y>", 2)], page=page, empty=""))
    assert table.head == ["A", "B"] and table.rows == [["x", "1"], ["<y>", "2"]]
    html = _render(source, rows=[("x", 1)], page=page, empty="")
    assert html.endswith("[]")  # the record's name does not outlive the table
    html = _render(source, rows=[], page=Paginator([], 10).get_page(1), empty="<b>none</b>")
    assert "&lt;b&gt;none&lt;/b&gt;" in html and parse(html).colspans == ["2"]


@pytest.mark.parametrize("source", [
    '{% listtable rows testid="t" %}{% listrow %}{% endlisttable %}',  # no "as"
    '{% listtable rows as r colspan=2 %}{% listrow %}{% endlisttable %}',  # unknown option
    '{% listtable rows as r cols=2 %}<th>A</th>{% endlisttable %}',  # no listrow
])
def test_a_misspelt_table_is_a_syntax_error(source: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string("{% load wushe_lists %}" + source)


# The scaffolding the partial gives, as the list templates wrote it out before.
SCAFFOLD = re.compile(
    r'<div class="card">\s*<div class="table-responsive">\s*<table class="[^"]*"[^>]*>\s*<thead><tr>'
    r'.*?\{% empty %\}\s*<tr><td colspan="\d+" class="text-body-secondary">\{% translate "[^"]*" %\}</td></tr>'
    r'\s*\{% endfor %\}\s*</tbody>\s*</table>\s*</div>\s*<div class="card-footer">\{% include "web/pagination.html"',
    re.S,
)


def test_no_list_template_writes_the_table_scaffolding_again() -> None:
    root = Path(django_settings.BASE_DIR) / "wushe"
    copies = [str(p.relative_to(root)) for p in sorted(root.glob("*/templates/**/*.html"))
              if SCAFFOLD.search(p.read_text(encoding="utf-8"))]
    assert copies == [], f"use {{% listtable %}} (wushe/web/templatetags/wushe_lists.py): {copies}"
