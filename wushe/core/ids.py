"""Chinese identifiers: resident ID numbers (GB 11643-1999) and 统一社会信用代码 (GB 32100-2015).

Both validators normalise first (full-width → half-width, spaces, lower-case x) and raise
ValidationFailed with a message in both languages; they never guess a correction.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from decimal import Decimal

from wushe.core.errors import ValidationFailed

# Province-level codes of GB/T 2260 (first two digits of an ID number).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# First character: registration authority (1 机构编制, 5 民政, 9 工商, Y 其他 …).
_USCC_AUTHORITIES = frozenset("123456789ANY")


def to_half_width(text: str) -> str:
    """Full-width digits and letters (０-９, Ａ-Ｚ, ｘ) and the ideographic space become ASCII."""
    return unicodedata.normalize("NFKC", text)


# The full-width forms block (！ to ～) and the ideographic space, folded to ASCII. Nothing else
# is folded: NFKC would also turn ① or ² or 𝟏 into digits, and leaves Arabic-Indic (١٢٣) and
# Devanagari (१२३) digits alone, which isdigit() and Decimal() then accept as digits.
# Visible spaces other than ASCII (no-break and typographic spaces, common in cells pasted from
# the web or Word) read as a space; zero-width characters are not spaces and are refused.
_FULL_WIDTH = ({cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
               | dict.fromkeys((0x3000, 0x00A0, *range(0x2000, 0x200B), 0x202F, 0x205F), 0x20))


def fold_full_width(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def refuse_not_ascii(what_zh: str, what_en: str, field: str) -> ValidationFailed:
    return ValidationFailed(
        f"{what_zh}只能包含半角或全角数字和字母,不能含有其他文字的数字或不可见字符",
        f"The {what_en} may contain only ASCII or full-width digits and letters, not digits "
        "of other scripts or invisible characters", code="not_ascii", field=field)


def identifier_text(raw: object, *, what_zh: str, what_en: str, field: str) -> str:
    """The one reading of anything parsed as an identifier (ID numbers, credit codes, phones,
    amounts, region / tracking / project / certificate codes, volunteer numbers), before any
    lookup or blind index: full-width folded to ASCII, outer spaces stripped, and refused
    (bilingual, code ``not_ascii``) when anything else is left — digits of other scripts, or
    invisible characters (zero-width space, BOM, bidi controls, soft hyphen, controls) that
    would make two equal identifiers differ."""
    text = fold_full_width("" if raw is None else str(raw)).strip()
    if not (text.isascii() and text.isprintable()):
        raise refuse_not_ascii(what_zh, what_en, field)
    return text


def region_code_text(raw: object, *, field: str = "region") -> str:
    """A region code as typed (its format is the caller's to check): ``identifier_text``."""
    return identifier_text(raw, what_zh="地区代码", what_en="region code", field=field)


def _normalise(raw: object, what_zh: str, what_en: str, field: str) -> str:
    if raw.__class__ is str and raw.isascii() and raw.isalnum():
        return raw.upper()  # the common case, nothing to fold
    lossy_int = isinstance(raw, int) and not isinstance(raw, bool) and len(str(abs(raw))) > 15
    if isinstance(raw, float | Decimal) or lossy_int:
        # An 18-digit number typed into Excel becomes a float and loses its last digits;
        # the original cannot be recovered, so refuse instead of guessing.
        raise ValidationFailed(
            f"{what_zh}在 Excel 中被存成了数字,末几位已丢失;请将该列设为文本后重新录入",
            f"The {what_en} was stored by Excel as a number and its last digits are lost; "
            "format the column as text and enter it again",
            code="id_number_float", field=field,
        )
    if raw is None:
        raise ValidationFailed(f"缺少{what_zh}", f"The {what_en} is missing", code="required",
                               field=field)
    text = identifier_text(raw, what_zh=what_zh, what_en=what_en, field=field)
    text = text.replace(" ", "").replace("-", "").upper()
    if not text:
        raise ValidationFailed(f"缺少{what_zh}", f"The {what_en} is missing", code="required",
                               field=field)
    if _SCIENTIFIC.match(text):
        # The same loss seen through a CSV: Excel wrote the number as 1.10105E+17.
        raise ValidationFailed(
            f"{what_zh}在 Excel 中被存成了数字(科学计数法),末几位已丢失;请将该列设为文本后重新录入",
            f"The {what_en} was stored by Excel as a number (scientific notation) and its last "
            "digits are lost; format the column as text and enter it again",
            code="id_number_float", field=field)
    return text


def id_check_digit(first17: str) -> str:
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def normalize_id_number(raw: object, *, today: dt.date | None = None) -> str:
    """Return the canonical 18-character ID number or raise ValidationFailed."""
    text = _normalise(raw, "身份证号", "ID number", "id_number")
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise ValidationFailed(
            "身份证号应为18位:17位数字加1位数字或X",
            "An ID number has 18 characters: 17 digits and a final digit or X",
            code="id_number_format", field="id_number",
        )
    if text[:2] not in PROVINCE_CODES:
        raise ValidationFailed(
            f"身份证号的省级代码 {text[:2]} 不存在",
            f"The ID number's province code {text[:2]} does not exist",
            code="id_number_province", field="id_number",
        )
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        born = None
    today = today or dt.date.today()
    if born is None or born.year < 1900 or born > today:
        raise ValidationFailed(
            "身份证号中的出生日期无效", "The date of birth in the ID number is not valid",
            code="id_number_birth_date", field="id_number",
        )
    if id_check_digit(text[:17]) != text[17]:
        raise ValidationFailed(
            "身份证号校验位错误,请核对是否录错", "The ID number's check digit is wrong; check for a typo",
            code="id_number_checksum", field="id_number",
        )
    return text


def birth_date_from_id(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_from_id(id_number: str) -> str:
    return "M" if int(id_number[16]) % 2 else "F"


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(raw: object) -> str:
    """Return the canonical 统一社会信用代码 or raise ValidationFailed."""
    text = _normalise(raw, "统一社会信用代码", "unified social credit code", "credit_code")
    if len(text) != 18 or any(c not in _USCC_CHARS for c in text):
        raise ValidationFailed(
            "统一社会信用代码应为18位数字或大写字母(不含 I、O、Z、S、V)",
            "A unified social credit code has 18 digits or capital letters (no I, O, Z, S, V)",
            code="credit_code_format", field="credit_code",
        )
    if text[0] not in _USCC_AUTHORITIES or not text[2:8].isdigit():
        raise ValidationFailed(
            "统一社会信用代码的登记管理部门或行政区划码无效",
            "The credit code's registering authority or region code is not valid",
            code="credit_code_format", field="credit_code",
        )
    if uscc_check_char(text[:17]) != text[17]:
        raise ValidationFailed(
            "统一社会信用代码校验位错误,请核对是否录错",
            "The unified social credit code's check character is wrong; check for a typo",
            code="credit_code_checksum", field="credit_code",
        )
    return text


def normalize_phone(raw: object) -> str:
    """Mainland mobile (11 digits, 1[3-9]…) or landline with area code (e.g. 023-68781234)."""
    if isinstance(raw, float) and raw.is_integer() and 0 < raw < 1e15:
        # A phone typed into a General cell is a number: 11 or 12 digits are stored exactly
        # (unlike an 18-digit ID number), so nothing is lost. (A landline's leading 0 is, and
        # then the number is refused below as too short or without an area code.)
        raw = str(int(raw))
    text = _normalise(raw, "电话号码", "phone number", "phone")
    text = text.removeprefix("+86").removeprefix("0086")
    if text.isdigit() and len(text) == 11 and text[0] == "1" and text[1] in "3456789":
        return text
    if text.isdigit() and text.startswith("0") and 10 <= len(text) <= 12:
        return text
    raise ValidationFailed(
        "电话号码格式不正确:手机号为11位,固话需带区号",
        "The phone number is not valid: a mobile has 11 digits, a landline needs its area code",
        code="phone_format", field="phone",
    )
