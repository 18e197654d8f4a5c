"""The API's JSON parser: a body's size and nesting depth are checked before it is parsed.

Django caps every request body at ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (sized for uploaded forms);
a JSON body has its own, smaller cap, ``WUSHE_API_MAX_JSON_BYTES`` (413). A body nested deeper
than ``WUSHE_API_MAX_JSON_DEPTH`` is refused (400) before ``json.loads`` sees it: no operation
takes more than a few levels, and a deep one costs the parser and the validator time and stack
for nothing. Both answers are bilingual like every other error.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from ninja.parser import Parser

from wushe.core.errors import PayloadTooLarge, ValidationFailed

# A JSON string (escapes included), so brackets inside strings do not count, and a bracket.
_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_OPEN = frozenset(b"[{")


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether ``body`` opens more than ``limit`` arrays or objects inside one another (a
    linear scan of its brackets; malformed JSON is left to the parser to refuse)."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(body):
        char = match.group()
        if len(char) != 1:
            continue  # a string
        if char[0] in _OPEN:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def check_json_body(body: bytes) -> None:
    max_bytes = settings.WUSHE_API_MAX_JSON_BYTES
    if len(body) > max_bytes:
        raise PayloadTooLarge(
            f"请求内容过大(JSON 最多 {max_bytes} 字节)",
            f"The request body is too large (a JSON body may have at most {max_bytes} bytes)")
    max_depth = settings.WUSHE_API_MAX_JSON_DEPTH
    if json_depth_exceeds(body, max_depth):
        raise ValidationFailed(
            f"请求内容嵌套过深(最多 {max_depth} 层)",
            f"The request body is nested too deeply (at most {max_depth} levels)",
            code="json_too_deep")


class BoundedJSONParser(Parser):
    """ninja's parser with :func:`check_json_body` first. Ninja wraps whatever the parser
    raises in ``HttpError(400)``; the API's HttpError handler answers with the WusheError
    underneath (its status, code and both languages)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        check_json_body(request.body)
        return cast(dict[str, Any], json.loads(request.body))
