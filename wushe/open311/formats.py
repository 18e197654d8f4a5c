"""GeoReport v2 bodies in JSON and XML, and its error shape.

JSON is the structure as it is; XML follows the specification's examples: a root element, one
element per item, and each list inside an item wrapped in its plural element
(``<attributes><attribute>…``, ``<values><value>…``, ``<formats><format>…``).
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405  (building XML, never parsing it)

from django.http import HttpResponse

from wushe.core.errors import WusheError

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element of one item inside each plural element.
ITEM_TAGS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
             "formats": "format", "services": "service", "service_requests": "request",
             "errors": "error"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, tag: str, value: Any) -> None:
    el = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(el, key, inner)
    elif isinstance(value, list):
        for item in value:
            _fill(el, ITEM_TAGS.get(tag, "item"), item)
    else:
        el.text = _text(value)


def to_xml(root: str, body: Any) -> bytes:
    """``body`` (a list of items, or one item) under ``<root>``."""
    top = ET.Element(root)
    if isinstance(body, list):
        for item in body:
            _fill(top, ITEM_TAGS.get(root, "item"), item)
    else:
        for key, inner in body.items():
            _fill(top, key, inner)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8",
                                                                     xml_declaration=False)


def render(fmt: str, root: str, body: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        content = to_xml(root, body)
    else:
        content = json.dumps(body, ensure_ascii=False, default=str).encode()
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, exc: WusheError) -> HttpResponse:
    """GeoReport's error list: ``[{"code": 400, "description": "中文 / English"}]``."""
    return render(fmt, "errors", [{"code": exc.status, "description": f"{exc.zh} / {exc.en}"}],
                  status=exc.status)
