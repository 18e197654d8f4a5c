"""Figures a person reads are grouped (issue #19 item 5): Chinese pages group by three with a
comma (wushe/formats), the template filters grouped / money / wan_yuan, and a bare {{ n }} (an
id, a year) is never grouped."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from wushe.web.templatetags.wushe_tags import grouped, money, wan_yuan


def render(text: str, lang: str = "zh-hans", **ctx: object) -> str:
    with translation.override(lang):
        return Template("{% load wushe_tags %}" + text).render(Context(ctx))


def test_chinese_pages_group_by_three_with_a_comma() -> None:
    # Django's own zh_Hans format groups by four with no separator: "12099700.00"
    assert render('{{ n|floatformat:"2g" }}', n=Decimal("12099700")) == "12,099,700.00"
    assert render('{{ n|floatformat:"2g" }}', "en", n=Decimal("12099700")) == "12,099,700.00"


def test_a_bare_number_is_never_grouped() -> None:
    # ids in links, years in pickers and data attributes: USE_THOUSAND_SEPARATOR stays off
    html = render('<a href="/x/{{ pk }}/" data-year="{{ year }}">{{ year }}</a>', pk=12345,
                  year=2026)
    assert html == '<a href="/x/12345/" data-year="2026">2026</a>'


def test_grouped_money_and_wan_yuan() -> None:
    assert grouped(1527000) == "1,527,000" and grouped("999") == "999"
    assert grouped(None) == "" and grouped("—") == "—"
    assert money(Decimal("12099700")) == "12,099,700.00" and money("0.005") == "0.01"
    assert money(None) == "—"
    with translation.override("zh-hans"):
        assert wan_yuan(5_200_000) == "520.00万元"
        assert wan_yuan(Decimal("1527000000")) == "152,700.00万元"
        assert wan_yuan(9_999) == "9,999.00元"
        assert wan_yuan(None) == "—"
    with translation.override("en"):
        assert wan_yuan(5_200_000) == "5,200,000.00 yuan"
