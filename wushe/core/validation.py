"""A 422's details in both languages: pydantic's error types, said in Chinese.

Each detail is ``{"field": "body.need_ids.0", "type": "less_than_equal", "zh": ..., "en": ...}``:
the dotted location of the value, pydantic's stable error type, a Chinese sentence made from
the type and its context (the bound, the length, the choices), and pydantic's English message.
A type not listed here gets a generic Chinese sentence; the English is always pydantic's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# The Chinese for pydantic's error types; ``{name}`` is filled from the error's ``ctx``.
ZH: dict[str, str] = {
    "missing": "必填",
    "missing_argument": "必填",
    "extra_forbidden": "不允许此字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数,不能有小数",
    "int_parsing_size": "整数超出允许范围",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_digits": "数字位数过多(最多 {max_digits} 位)",
    "decimal_max_places": "小数位数过多(最多 {decimal_places} 位)",
    "decimal_whole_digits": "整数部分位数过多(最多 {whole_digits} 位)",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应大于或等于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应小于或等于 {le}",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_sub_type": "应为文本",
    "string_unicode": "应为有效的 Unicode 文本",
    "string_too_short": "过短(至少 {min_length} 个字符)",
    "string_too_long": "过长(最多 {max_length} 个字符)",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "项数过少(至少 {min_length} 项)",
    "too_long": "项数过多(最多 {max_length} 项)",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为不重复的列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 文本",
    "enum": "应为以下之一:{expected}",
    "literal_error": "应为以下之一:{expected}",
    "date_parsing": "应为日期(YYYY-MM-DD)",
    "date_type": "应为日期(YYYY-MM-DD)",
    "date_from_datetime_parsing": "应为日期(YYYY-MM-DD)",
    "date_from_datetime_inexact": "应为日期,不含时间",
    "date_past": "应为过去的日期",
    "date_future": "应为将来的日期",
    "datetime_parsing": "应为日期时间(YYYY-MM-DDTHH:MM)",
    "datetime_type": "应为日期时间(YYYY-MM-DDTHH:MM)",
    "datetime_from_date_parsing": "应为日期时间(YYYY-MM-DDTHH:MM)",
    "datetime_object_invalid": "应为有效的日期时间",
    "time_parsing": "应为时间(HH:MM)",
    "time_type": "应为时间(HH:MM)",
    "time_delta_parsing": "应为时长",
    "time_delta_type": "应为时长",
    "uuid_parsing": "应为 UUID",
    "uuid_type": "应为 UUID",
    "url_parsing": "应为网址",
    "url_type": "应为网址",
    "url_scheme": "网址协议不允许",
    "url_too_long": "网址过长",
    "bytes_type": "应为二进制内容",
    "bytes_too_short": "过短(至少 {min_length} 字节)",
    "bytes_too_long": "过长(最多 {max_length} 字节)",
    "value_error": "值不正确",
    "assertion_error": "值不正确",
    "none_required": "应为空",
    "union_tag_invalid": "类型标记不正确",
    "union_tag_not_found": "缺少类型标记",
    "frozen_field": "此字段不可修改",
    "is_instance_of": "类型不正确",
}
GENERIC_ZH = "格式不正确"


def dotted(loc: Sequence[object]) -> str:
    """``("body", "body", "need_ids", 0)`` → ``body.need_ids.0``: ninja names a body parameter
    inside the body, so the repeated name is said once."""
    parts = [str(x) for x in loc]
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "body":
        parts = parts[1:]
    return ".".join(parts)


def zh_message(error_type: str, ctx: Mapping[str, Any] | None) -> str:
    template = ZH.get(error_type, GENERIC_ZH)
    try:
        return template.format(**{k: v for k, v in (ctx or {}).items()})
    except (KeyError, IndexError, ValueError):
        return template.split("(")[0].split(":")[0] or GENERIC_ZH


def detail(error: Mapping[str, Any]) -> dict[str, str]:
    error_type = str(error.get("type", ""))
    return {"field": dotted(error.get("loc", ())), "type": error_type,
            "zh": zh_message(error_type, error.get("ctx")),
            "en": str(error.get("msg", "")) or "Invalid value"}
