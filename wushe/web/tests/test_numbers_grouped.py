"""Every count and amount a person reads is grouped (issue #19 item 5).

1. The small demo district is built into the test database, the district admin, the street staff and an anonymous resident
open the pages a bureau reads (each entry of their menu, the cockpit, the public pages), and no
visible run of four or more digits may stand ungrouped ("1527000" instead of "1,527,000").

What is not a figure, and so is left as it is:
- a year standing alone (2026) and a date or a time (2026-12-06, 2026年12月6日, 12:30);
- a code or an identifier: digits inside ``<code>``, ``<kbd>``, ``<samp>``, an element of class
  ``font-monospace`` or ``ws-mono`` or marked ``data-no-group``, and digits joined to a letter or a hyphen
  (XM-2026-0012, 91500107MA5U…, a region code in a link's text is marked as a code);
- a masked phone or identity number (138****8000);
- the 12345 hotline, whose number is its name.

2. The small demo makes few figures of 1,000 or more outside the region pages, so every template
is also read: a variable whose name says it is a count or an amount (``*_count``, ``*total``,
``population``, ``members``, ``n_*``, ``*_confirmed``…) is shown through ``grouped``, ``money``,
``wan_yuan`` or ``floatformat:"…g"``, whether printed or passed to ``blocktranslate``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from wushe.accounts.models import User
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.regions.models import Region
from wushe.web.navigation import menu_for

# Pages a bureau reads that are not (or not only) menu entries.
EXTRA_PAGES = ["web:home", "reports:cockpit", "reports:screen", "reports:annual"]
PUBLIC_PAGES = ["web:home", "charity:public", "projects:public_lists"]
# Menu entries that are tools, not pages of figures (a form, the audit trail of ids).
SKIP = {"audit:events"}

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
HIDDEN = {"script", "style", "template", "noscript", "textarea", "select", "option"}
CODE_TAGS = {"code", "kbd", "samp", "pre"}
CODE_CLASSES = {"font-monospace", "ws-mono"}  # Bootstrap's and our own mark of a code

DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}\s*日?)?"
                  r"|\d{1,2}[-/]\d{1,2}[-/]\d{4}|\d{1,2}:\d{2}(?::\d{2})?")
YEAR = re.compile(r"^(?:19|20)\d{2}$")
RUN = re.compile(r"\d{4,}")
# Numbers that are names: the 12345 citizen hotline (政务服务便民热线) is called by its number.
NAMES = {"12345"}


class VisibleText(HTMLParser):
    """The text a reader sees, one string per text node, with code-like elements dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, drops its text)
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        names = dict(attrs)
        classes = (names.get("class") or "").split()
        drop = (tag in HIDDEN or tag in CODE_TAGS or bool(CODE_CLASSES & set(classes))
                or "data-no-group" in names or "hidden" in names)
        self.stack.append((tag, drop))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not any(drop for _, drop in self.stack) and data.strip():
            self.texts.append(" ".join(data.split()))


def ungrouped(html: str) -> list[str]:
    """Each visible text holding a run of 4+ digits that is a figure and is not grouped."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        plain = DATE.sub(" ", text)
        for m in RUN.finditer(plain):
            before = plain[m.start() - 1] if m.start() else " "
            after = plain[m.end()] if m.end() < len(plain) else " "
            if before in ",." or after == ",":  # a fraction, or a grouped figure's tail
                continue
            if before == "*" or after == "*":  # masked phone or identity number
                continue
            if before.isascii() and (before.isalpha() or before in "-_#/") \
                    or after.isascii() and (after.isalpha() or after in "-_/"):
                continue  # a code or an identifier
            if YEAR.match(m.group()) or m.group() in NAMES:
                continue
            found.append(text[:120])
            break
    return found


def _get(client: Client, name: str) -> tuple[str, str] | None:
    try:
        url = reverse(name) if "/" not in name else name
    except NoReverseMatch:
        return None
    response = client.get(url, follow=True)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    return url, response.content.decode()


GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def _walk(client: Client, pages: list[str], who: str, offenders: list[str],
          opened: list[str]) -> int:
    """Open each page (a URL name, or a path); note its ungrouped figures; count grouped ones."""
    seen = 0
    for name in dict.fromkeys(pages):
        if name in SKIP:
            continue
        page = _get(client, name)
        if page is None:
            continue
        url, html = page
        opened.append(f"{who} {url}")
        offenders.extend(f"{who} {url}: {text!r}" for text in ungrouped(html))
        seen += len(GROUPED.findall(html))
    return seen


def test_the_parser_finds_ungrouped_figures_and_leaves_codes_and_dates() -> None:
    html = ("<p>共 1527000 人</p><p>1,527,000 人</p><p>12099700.00 元</p>"
            "<p>2026年 2026-12-06 12:30 2026年12月6日</p><p>编号 XM-2026-0012 单号 A20261206</p>"
            "<code>500107001001</code><span class='font-monospace'>91500107MA5U1234</span>"
            "<td data-no-group>500107001</td><p>138****8000</p><p>3.14159</p>"
            "<script>var n = 123456;</script><p title='99999'>ok</p>")
    assert ungrouped(html) == ["共 1527000 人", "12099700.00 元"]


@pytest.mark.django_db
def test_every_figure_a_bureau_reads_is_grouped(tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)
    with scopes_disabled():
        users = {u.username: u for u in User.objects.filter(
            username__in=["district_admin", "street_staff"])}
        district = Region.objects.get(parent=None)
        street = users["street_staff"].grants.get().region
        # the region pages carry the populations (1,527,000 in the district), the key figures
        # the small demo makes big enough to need a comma
        regions = [reverse("regions:detail", args=[r.code]) for r in (district, street)]
    offenders: list[str] = []
    opened: list[str] = []
    seen = 0
    for lang in ("zh-hans", "en"):
        for username, user in users.items():
            client = Client(HTTP_ACCEPT_LANGUAGE=lang)
            client.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
            client.cookies["django_language"] = lang
            with scopes_disabled():
                names = [item.url_name for item in menu_for(user)]
            seen += _walk(client, [*EXTRA_PAGES, *names, *regions], f"{username}/{lang}",
                          offenders, opened)
        anonymous = Client(HTTP_ACCEPT_LANGUAGE=lang)
        anonymous.cookies["django_language"] = lang
        seen += _walk(anonymous, PUBLIC_PAGES, f"public/{lang}", offenders, opened)
    assert len(opened) >= 60, opened
    assert seen >= 20, "few figures of 1,000 or more on the pages walked: the test proves little"
    assert not offenders, "ungrouped figures:\n" + "\n".join(offenders)


FIGURE_NAME = re.compile(r"(?:^|_)(?:count|total|population|households|members|amount"
                         r"|beneficiaries|confirmed)$|^n_\w+$")
GROUPING = re.compile(r"\|(?:grouped|money|wan_yuan|floatformat:\"-?\d*g\")")
BLOCK = re.compile(r"\{%\s*blocktranslate\b(.*?)%\}.*?\{%\s*endblocktranslate\s*%\}", re.S)
ASSIGN = re.compile(r"\b(\w+)=([\w.]+(?:\|\w+(?::(?:\"[^\"]*\"|'[^']*'|[\w.-]+))?)*)")
PRINT = re.compile(r"\{\{\s*(.+?)\s*\}\}")
# Figures never reaching 1,000, or already text: an evaluation's score (out of 100), the
# cockpit's opening-balance line (formatted by wushe.openings.figures.format_value).
BOUNDED = {
    "evaluation/_project_panel.html": {"ev.total"}, "evaluation/detail.html": {"ev.total", "m.total"},
    "evaluation/excellent.html": {"ev.total"}, "evaluation/list.html": {"ev.total"},
    "evaluation/mine.html": {"seat.total"}, "evaluation/score.html": {"max_total"},
    "reports/cockpit.html": {"o.total"},
}


def ungrouped_in_template(name: str, text: str) -> list[str]:
    """Each count or amount ``text`` shows without grouping (a plural's counter stays a number)."""
    found = []

    def check(expr: str, pos: int) -> None:
        var = expr.split("|")[0].strip()
        if var.startswith("form.") or "|length" in expr or var in BOUNDED.get(name, ()):
            return
        if FIGURE_NAME.search(var.split(".")[-1]) and not GROUPING.search(expr):
            found.append(f"{name}:{text.count(chr(10), 0, pos) + 1}: {{{{ {expr} }}}}")

    blocks = []
    for b in BLOCK.finditer(text):
        blocks.append((b.start(), b.end()))
        counter = re.match(r"\s*(?:trimmed\s+)?count\s+(\w+)=", b.group(1))
        for a in ASSIGN.finditer(b.group(1)):
            if not (counter and a.group(1) == counter.group(1)):
                check(a.group(2), b.start())
    for m in PRINT.finditer(text):
        if not any(start <= m.start() < end for start, end in blocks):
            check(m.group(1), m.start())
    return sorted(found)


def test_the_template_reader_finds_an_ungrouped_count() -> None:
    text = ('{% load i18n %}<td>{{ team.members }}</td><td>{{ team.members|grouped }}</td>'
            '{% blocktranslate trimmed with n=node.n_sites %}{{ n }} sites{% endblocktranslate %}'
            '{% blocktranslate count counter=rows_total %}{{ counter }} row{% plural %}'
            '{{ counter }} rows{% endblocktranslate %}<td>{{ fund.amount|money }}</td>'
            '<td>{{ hours_confirmed|floatformat:"2g" }}</td><td>{{ ev.total }}</td>')
    assert ungrouped_in_template("x.html", text) == [
        "x.html:1: {{ ev.total }}", "x.html:1: {{ node.n_sites }}", "x.html:1: {{ team.members }}"]


def test_every_template_groups_its_counts_and_amounts() -> None:
    found = []
    for path in sorted(Path(settings.BASE_DIR, "wushe").glob("*/templates/*/**/*.html")):
        name = "/".join(path.parts[path.parts.index("templates") + 1:])
        found += ungrouped_in_template(name, path.read_text(encoding="utf-8"))
    assert not found, "counts and amounts shown ungrouped:\n" + "\n".join(found)
