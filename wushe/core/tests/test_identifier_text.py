"""One reading of every identifier (core.ids.identifier_text): ASCII and full-width accepted,
digits of other scripts and invisible characters refused with a bilingual message, for ID
numbers, credit codes, phones, amounts and codes alike."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from wushe.core.errors import ValidationFailed
from wushe.core.ids import (
    identifier_text,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    region_code_text,
    uscc_check_char,
)
from wushe.core.money import parse_money
from wushe.core.tests.scripts import REFUSED, full_width

ID_NUMBER = "11010519491231002X"
CREDIT_CODE = "91500107MA5U3XKQ2B"
PHONE = "13912345678"

KINDS: list[tuple[str, Callable[[str], object], str, object]] = [
    ("id_number", normalize_id_number, ID_NUMBER, ID_NUMBER),
    ("phone", normalize_phone, PHONE, PHONE),
    ("amount", parse_money, "100.50", Decimal("100.50")),
    ("region_code", region_code_text, "500107001001", "500107001001"),
]


@pytest.mark.parametrize(("kind", "parse", "ascii", "value"), KINDS, ids=[k[0] for k in KINDS])
def test_full_width_is_accepted(kind: str, parse: Callable[[str], object], ascii: str,
                                value: object) -> None:
    assert parse(full_width(ascii)) == value


@pytest.mark.parametrize("script", sorted(REFUSED))
@pytest.mark.parametrize(("kind", "parse", "ascii", "value"), KINDS, ids=[k[0] for k in KINDS])
def test_other_scripts_and_invisible_characters_are_refused(
        kind: str, parse: Callable[[str], object], ascii: str, value: object,
        script: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(REFUSED[script](ascii))
    assert exc.value.code == "not_ascii"
    assert "其他文字" in exc.value.zh and "other scripts" in exc.value.en


@pytest.mark.parametrize("invisible", ["\ufeff", "\u00ad", "\u202e", "\u2066", "\u200d",
                                       "\u2060", "\x00", "\t"])
def test_each_invisible_character_is_refused_inside(invisible: str) -> None:
    with pytest.raises(ValidationFailed):
        identifier_text("5001" + invisible + "07", what_zh="代码", what_en="code", field="code")


@pytest.mark.parametrize("compat", ["①", "²", "𝟏", "Ⅻ"])
def test_compatibility_digits_that_nfkc_would_fold_are_refused(compat: str) -> None:
    with pytest.raises(ValidationFailed):
        region_code_text("50010700100" + compat)


def test_credit_code_full_width_accepted_other_scripts_refused() -> None:
    code = CREDIT_CODE[:17] + uscc_check_char(CREDIT_CODE[:17])
    assert normalize_credit_code(full_width(code)) == code
    for script in REFUSED.values():
        with pytest.raises(ValidationFailed) as exc:
            normalize_credit_code(script(code))
        assert exc.value.code == "not_ascii"


def test_visible_spaces_are_spaces_and_outer_ones_go() -> None:
    assert normalize_phone("\u00a0139 1234 5678\u3000") == PHONE
    assert parse_money("￥１，０００.５元") == Decimal("1000.50")
    assert parse_money("¥100") == Decimal("100.00")


def test_amounts_decimal_would_have_read_are_refused() -> None:
    # Decimal("١٠٠") is 100: without the rule an Arabic-Indic amount was accepted.
    assert Decimal("١٠٠") == 100
    for raw in ("١٠٠", "१००.५"):
        with pytest.raises(ValidationFailed) as exc:
            parse_money(raw, label_zh="捐赠金额", label_en="Amount")
        assert exc.value.code == "not_ascii" and exc.value.field == "amount"
