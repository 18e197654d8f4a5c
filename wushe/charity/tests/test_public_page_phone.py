"""The public charity page (issue #19 item 5): community funds 20 to a page, every public table
readable on a phone (cards with each cell's column header), figures grouped in Chinese."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from wushe.charity.models import Fund

pytestmark = pytest.mark.django_db

URL = "/charity/public/"


def _many_community_funds(community_fund: Fund, n: int) -> list[Fund]:
    """``n`` more active community funds like the fixture's (their listing is all we read)."""
    clones = []
    for i in range(n):
        f = Fund.objects.unscoped().get(pk=community_fund.pk)
        f.pk = None
        f.name = f"社区基金{i:03d}"
        clones.append(f)
    return Fund.objects.unscoped().bulk_create(clones)


def _community_names(html: str) -> list[str]:
    table = html[html.index('data-testid="public-community"'):]
    table = table[:table.index("</table>")]
    return re.findall(r">(杨坪社区阳光基金|社区基金\d{3})</a>", table)


def test_community_funds_are_twenty_to_a_page(community_fund: Fund) -> None:
    _many_community_funds(community_fund, 44)  # 45 funds: pages of 20, 20, 5
    c = Client()
    first = c.get(URL).content.decode()
    assert len(_community_names(first)) == 20
    assert "?page=2" in first and "?page=3" in first  # next and last
    second = c.get(URL + "?page=2").content.decode()
    third = c.get(URL + "?page=3").content.decode()
    shown = _community_names(first) + _community_names(second) + _community_names(third)
    assert len(shown) == 45 and len(set(shown)) == 45
    assert 'id="community-funds" open' in second  # the list is open on the page asked for
    # out of range: the last page; not a number: the first page (as every paginated list)
    assert _community_names(c.get(URL + "?page=999").content.decode()) == _community_names(third)
    assert _community_names(c.get(URL + "?page=abc").content.decode()) == _community_names(first)
    assert c.get(URL + "?page=-1").status_code == 200


def test_page_links_are_plain_links_on_the_public_page(community_fund: Fund) -> None:
    _many_community_funds(community_fund, 25)
    html = Client().get(URL).content.decode()
    nav = html[html.index('data-testid="community-pages"'):]
    nav = nav[:nav.index("</nav>")]
    assert 'href="?page=2"' in nav and "hx-get" not in nav


PUBLIC_TABLES = ("public-special", "public-campaigns", "public-recent", "public-community")


def _tables(html: str) -> dict[str, str]:
    out = {}
    for m in re.finditer(r'<table class="([^"]*)"[^>]*data-testid="([^"]+)"(.*?)</table>', html,
                         re.S):
        out[m.group(2)] = m.group(1) + m.group(3)
    return out


def _check_cards(html: str, names: tuple[str, ...]) -> int:
    tables, cells = _tables(html), 0
    for name in names:
        table = tables[name]
        assert "ws-cards" in table, name
        heads = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S):
            tds = re.findall(r"<td([^>]*)>", row)
            if len(tds) == 1 and "colspan" in tds[0]:
                continue  # "nothing yet" spans the table
            labels = [re.search(r'data-label="([^"]*)"', td) for td in tds]
            assert [m.group(1) if m else None for m in labels] == heads, name
            cells += len(tds)
    return cells


def test_every_public_charity_table_turns_into_cards(funded: Fund,
                                                     community_fund: Fund) -> None:
    c = Client()
    assert _check_cards(c.get(URL).content.decode(), PUBLIC_TABLES) > 0
    fund_page = c.get(f"/charity/public/funds/{funded.pk}/").content.decode()
    assert "ws-cards" in _tables(fund_page)["public-recent"]
    _check_cards(fund_page, ("public-recent", "public-reports"))


def test_the_phone_stylesheet_makes_rows_cards_below_640px() -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("web/portal.css")
    assert path
    css = open(path, encoding="utf-8").read()
    block = css[css.index("@media (max-width: 639.98px)"):]
    assert ".ws-cards tr" in block and "content: attr(data-label)" in block
    assert "http" not in block  # nothing fetched from elsewhere


def test_public_figures_are_grouped_in_chinese(funded: Fund, give: Any, enterprise: Any) -> None:
    give(funded, enterprise, Decimal("12089700.00"))  # 12,099,700.00 with the fixture's 10,000
    html = Client().get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "12,099,700.00" in html and "12099700" not in html
    assert f'href="/charity/public/funds/{funded.pk}/"' in html
