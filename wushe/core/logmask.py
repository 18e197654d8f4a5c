"""Identifiers never reach a log line: a logging filter that masks what looks like a resident ID
number (18 characters with the X check digit, or the 15-digit old form) or a mainland mobile
number (1[3-9] and 9 digits, with +86 / 0086 / 86, spaces or dashes, full-width digits too) in
the message, its arguments and the exception text.

Installed on every handler of ``LOGGING`` (config/settings/base.py), on gunicorn's access and
error logs (``wushe/core/gunicorn_conf.py``, used by ``wushe demo``) and on runserver's
``django.server``. An ID number becomes ``110105********002X``, a mobile ``139****5678``.

A run of digits longer than the pattern (a 20-digit job id, a 12-digit region code) is left
alone: a match may not touch another digit or ASCII letter on either side.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import unquote

_D = "[0-9\uff10-\uff19]"            # ASCII or full-width digit
_X = "[0-9\uff10-\uff19xX\uff58\uff38]"  # the check character: a digit or X
_EDGE = "0-9\uff10-\uff19A-Za-z\uff21-\uff3a\uff41-\uff5a"
_SEP = "[ \\-\u3000\uff0d]?"          # one space, dash, ideographic space or full-width dash

_PATTERN = re.compile(
    rf"(?<![{_EDGE}])(?:"
    rf"(?P<id18>{_D}{{17}}{_X})"
    rf"|(?P<prefix>(?:(?:\+|\uff0b|%2[Bb]|00)?86|\(\+?86\)){_SEP})?"
    rf"(?P<mobile>[1\uff11][3-9\uff13-\uff19]{_D}{_SEP}{_D}{{4}}{_SEP}{_D}{{4}})"
    rf"|(?P<id15>{_D}{{15}})"
    rf")(?![{_EDGE}])")
_NOT_DIGIT = re.compile(r"[^0-9\uff10-\uff19]")


def _replace(match: re.Match[str]) -> str:
    if value := match.group("id18"):
        return value[:6] + "*" * 8 + value[-4:]
    if value := match.group("id15"):
        return value[:6] + "*" * 6 + value[-3:]
    digits = _NOT_DIGIT.sub("", match.group("mobile"))
    return (match.group("prefix") or "") + digits[:3] + "****" + digits[-4:]


def mask_identifiers(text: str) -> str:
    """``text`` with every ID number and mobile number masked; percent-encoded ones too (an
    access log's query string), which are then shown decoded."""
    masked = _PATTERN.sub(_replace, text)
    if "%" in masked:
        decoded = unquote(masked)
        if decoded != masked and _PATTERN.search(decoded):
            return _PATTERN.sub(_replace, decoded)
    return masked


def mask_record(record: logging.LogRecord) -> None:
    """Mask the formatted message (its args included), the exception text and the stack.

    The message is formatted once here (``msg % args``) and the args cleared, so every later
    handler and formatter sees only the masked text."""
    if getattr(record, "_wushe_masked", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 — a broken format string: keep the raw parts, masked
        message = f"{record.msg!s} {record.args!r}"
    masked = mask_identifiers(message)
    if masked != message or record.args:
        record.msg, record.args = masked, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_identifiers(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_identifiers(record.stack_info)
    record._wushe_masked = True


_FACTORY: list[object] = []


def install_record_factory() -> None:
    """Mask every record when it is made, too: a handler a library adds without the filter
    (or pytest's log capture) then never sees an identifier either. Idempotent."""
    if _FACTORY:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        mask_record(record)
        return record

    _FACTORY.append(factory)
    logging.setLogRecordFactory(factory)


class MaskIdentifiers(logging.Filter):
    """The filter on every handler (never drops a record); building one, as configuring logging
    does, also installs the record factory."""

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        install_record_factory()

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_COMPACT = str.maketrans("", "", " -+()\u3000\uff0d\uff0b")


def looks_like_identifier(text: str) -> bool:
    """Would ``text`` carry an ID number or a phone: what the masks match once spaces, dashes
    and brackets are gone, or ten digits or more (a search reads those as a phone)."""
    compact = unicodedata.normalize("NFKC", text or "").translate(_COMPACT)
    return bool(_PATTERN.search(compact)) or (compact.isdigit() and len(compact) >= 10)
