"""A document upload, capped before it is read and typed by its first bytes.

One helper for every page that takes a signed or published document (an entrusted-processing
agreement, a renovation contract, a policy document): the declared size is checked before a
byte is read, at most the cap + 1 byte is ever read, and the type comes from the content, never
from the name or the browser's word. Every refusal is a bilingual ValidationFailed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from wushe.core.errors import ValidationFailed

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str  # as people name it: "PDF"
    mime: str
    matches: Callable[[bytes], bool]


def _zip_with(member: bytes) -> Callable[[bytes], bool]:
    # DOCX and OFD are zip packages: the first bytes say zip, a member's name says which.
    return lambda data: data.startswith(b"PK\x03\x04") and member in data


PDF = FileType("PDF", "application/pdf", lambda d: d.startswith(b"%PDF-"))
PNG = FileType("PNG", "image/png", lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"))
JPEG = FileType("JPEG", "image/jpeg", lambda d: d.startswith(b"\xff\xd8\xff"))
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                _zip_with(b"word/document.xml"))
OFD = FileType("OFD", "application/ofd", _zip_with(b"OFD.xml"))

SCANS = (PDF, PNG, JPEG)  # a signed paper, scanned or photographed


def _listed(types: Iterable[FileType], zh: bool) -> str:
    labels = [t.label for t in types]
    if len(labels) == 1:
        return labels[0]
    return ("、".join(labels[:-1]) + "或" + labels[-1]) if zh else \
        (", ".join(labels[:-1]) + " or " + labels[-1])


def read_capped(upload: IO[bytes] | None, *, types: tuple[FileType, ...] = SCANS,
                max_bytes: int = MAX_DOCUMENT_BYTES, noun_zh: str = "文件",
                noun_en: str = "The file", required_zh: str = "请选择文件",
                required_en: str = "Choose a file", field: str = "document") -> tuple[bytes, str]:
    """The upload's bytes and content type; a bilingual refusal when missing, empty, too large
    (checked before and while reading) or of a type not in ``types``."""
    cap = f"{max_bytes // (1024 * 1024)}MB"
    too_large = ValidationFailed(f"{noun_zh}过大(上限{cap})",
                                 f"{noun_en} is too large ({cap[:-2]} MB at most)",
                                 code="too_large", field=field)
    if upload is None:
        raise ValidationFailed(required_zh, required_en, code="required", field=field)
    if (getattr(upload, "size", None) or 0) > max_bytes:
        raise too_large
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    if not data:
        raise ValidationFailed(f"{noun_zh}为空", f"{noun_en} is empty", code="empty", field=field)
    kind = next((t.mime for t in types if t.matches(data)), "")
    if not kind:
        raise ValidationFailed(f"{noun_zh}应为{_listed(types, True)}",
                               f"{noun_en} must be a {_listed(types, False)}",
                               code="document_type", field=field)
    return data, kind
