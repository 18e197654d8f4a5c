import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wushe.core.errors import ValidationFailed
from wushe.core.ids import (
    id_check_digit,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    to_half_width,
    uscc_check_char,
)

VALID_X = "11010519491231002X"  # GB 11643 example with an X check digit
VALID = "440524198001010013"


def test_valid_id_numbers_pass_and_normalise_lower_x():
    assert normalize_id_number(VALID_X) == VALID_X
    assert normalize_id_number(VALID_X.lower()) == VALID_X
    assert normalize_id_number(VALID) == VALID


def test_full_width_digits_are_normalised():
    full = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in VALID_X)
    assert full != VALID_X
    assert normalize_id_number(full) == VALID_X
    assert to_half_width("１２３") == "123"


@pytest.mark.parametrize("bad,code", [
    ("110105194912310021", "id_number_checksum"),
    ("11010519491231002", "id_number_format"),
    ("99010519491231002X", "id_number_province"),
    ("110105194913310020", "id_number_birth_date"),
    ("11010521991231002X", "id_number_birth_date"),
    ("A1010519491231002X", "id_number_format"),
])
def test_invalid_id_numbers_refused_with_bilingual_message(bad, code):
    with pytest.raises(ValidationFailed) as exc:
        normalize_id_number(bad)
    assert exc.value.code == code
    assert exc.value.message["zh"] and exc.value.message["en"]
    assert "身份证" in exc.value.message["zh"]


def test_excel_float_id_number_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        normalize_id_number(1.1010519491231e17)
    assert exc.value.code == "id_number_float"
    assert "Excel" in exc.value.message["en"]


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_generated_ids_round_trip(birth, seq):
    first17 = f"500107{birth:%Y%m%d}{seq:03d}"
    full = first17 + id_check_digit(first17)
    assert normalize_id_number(full) == full
    wrong = "0" if full[-1] != "0" else "1"
    with pytest.raises(ValidationFailed):
        normalize_id_number(full[:-1] + wrong)


def test_credit_codes():
    code = "91350100M000100Y43"  # public example with a valid GB 32100 check character
    assert normalize_credit_code(code) == code
    assert normalize_credit_code(code.lower()) == code
    first17 = "5150010705000000" + "1"
    built = first17 + uscc_check_char(first17)
    assert normalize_credit_code(built) == built


@pytest.mark.parametrize("bad,code", [
    ("91350100M000100Y44", "credit_code_checksum"),
    ("91350100M000100Y4", "credit_code_format"),
    ("91350100M00010OY43", "credit_code_format"),  # letter O is not in the alphabet
])
def test_invalid_credit_codes_refused(bad, code):
    with pytest.raises(ValidationFailed) as exc:
        normalize_credit_code(bad)
    assert exc.value.code == code
    assert "统一社会信用代码" in exc.value.message["zh"]
    assert "credit code" in exc.value.message["en"]


def test_phones():
    assert normalize_phone("138 0013 8000") == "13800138000"
    assert normalize_phone("+8613800138000") == "13800138000"
    assert normalize_phone("023-68781234") == "02368781234"
    with pytest.raises(ValidationFailed):
        normalize_phone("12345")
