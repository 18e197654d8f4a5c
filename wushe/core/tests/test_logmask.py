"""The log filter masks ID numbers and mobile numbers in messages, args and exception text, and
is installed on every handler wushe configures (its own, runserver's, gunicorn's)."""

from __future__ import annotations

import io
import logging
import logging.config
import sys

import pytest
from django.conf import settings
from django.utils.log import ServerFormatter

from wushe.core import gunicorn_conf
from wushe.core.logmask import MaskIdentifiers, mask_identifiers

ID18 = "11010519900101002X"
ID15 = "110105900101002"
MOBILE = "13912345678"
FW_MOBILE = "１３９１２３４５６７８"
FW_ID = "１１０１０５１９９００１０１００２Ｘ"


@pytest.mark.parametrize(("text", "expected"), [
    (f"id {ID18}.", "id 110105********002X."),
    (f"id={ID18.lower()}", "id=110105********002x"),
    (f"old id {ID15}", "old id 110105******002"),
    (f"phone {MOBILE}", "phone 139****5678"),
    ("phone +86 139-1234-5678", "phone +86 139****5678"),
    ("tel:+8613912345678;", "tel:+86139****5678;"),
    ("0086 139 1234 5678", "0086 139****5678"),
    (f"全角{FW_MOBILE}号码", "全角１３９****５６７８号码"),
    (f"证件{FW_ID}", "证件１１０１０５********００２Ｘ"),
    ("GET /people/?q=%2B8613912345678 HTTP/1.1", "GET /people/?q=%2B86139****5678 HTTP/1.1"),
    ("q=%EF%BC%91%EF%BC%93%EF%BC%99%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96"
     "%EF%BC%97%EF%BC%98", "q=１３９****５６７８"),
])
def test_identifiers_are_masked(text: str, expected: str) -> None:
    assert mask_identifiers(text) == expected


@pytest.mark.parametrize("text", [
    "region 110105001001",                    # a 12-digit region code
    "job 20261205153000123456",               # a 20-digit job id
    "job imp-a13912345678b",                  # letters on both sides: part of a token
    "tracking XQ20261205000123",              # a tracking code
    "amount 12345678901234567",               # 17 digits: not an ID
    "landline 010-62751234",
    "12 needs, 3 overdue",
])
def test_other_numbers_are_not_masked(text: str) -> None:
    assert mask_identifiers(text) == text


def _handler() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskIdentifiers())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("wushe.tests.logmask")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_message_args_and_exception_are_masked() -> None:
    logger, stream = _handler()
    logger.info("search for %s by %r", ID18, {"phone": FW_MOBILE})
    logger.warning("import row %(row)d: %(value)s", {"row": 3, "value": MOBILE})
    try:
        raise ValueError(f"bad ID number {ID18} or phone +86 139 1234 5678")
    except ValueError:
        logger.exception("import failed for %s", ID15)
    logger.debug("stack", stack_info=True, extra={})
    out = stream.getvalue()
    for raw in (ID18, ID15, MOBILE, FW_MOBILE, "139 1234 5678", "19900101"):
        assert raw not in out
    assert "110105********002X" in out
    assert "import row 3: 139****5678" in out
    assert "ValueError: bad ID number 110105********002X or phone +86 139****5678" in out
    assert "Traceback (most recent call last)" in out


def test_a_broken_format_string_is_still_masked_and_logged() -> None:
    logger, stream = _handler()
    logger.error("value %s %s", MOBILE)  # one arg short
    assert MOBILE not in stream.getvalue()
    assert "139****5678" in stream.getvalue()


def test_every_handler_in_settings_masks() -> None:
    filters = settings.LOGGING["filters"]
    assert filters["mask_identifiers"]["()"] == "wushe.core.logmask.MaskIdentifiers"
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_identifiers" in handler.get("filters", []), name
    # runserver's access log and the django logger use our handlers, not Django's defaults
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["django.server"]
    assert "console" not in settings.LOGGING["loggers"]["django"]["handlers"]
    ours = [h for h in logging.getLogger("django.server").handlers
            if isinstance(h.formatter, ServerFormatter)]  # pytest adds its capture handlers
    assert ours
    assert all(any(isinstance(f, MaskIdentifiers) for f in h.filters) for h in ours)


def test_runserver_access_line_is_masked() -> None:
    logger = logging.getLogger("django.server")
    (handler,) = [h for h in logger.handlers if isinstance(h.formatter, ServerFormatter)]
    stream = io.StringIO()
    old = handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        logger.info('"%s" %s %s', f"GET /people/?q={ID18} HTTP/1.1", "200", "512",
                    extra={"status_code": 200})
    finally:
        handler.setStream(old)  # type: ignore[attr-defined]
    assert ID18 not in stream.getvalue()
    assert "110105********002X" in stream.getvalue()


def test_gunicorn_access_log_is_masked_and_has_no_query_string(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert "%(U)s" in gunicorn_conf.access_log_format
    assert "%(r)s" not in gunicorn_conf.access_log_format  # the request line has the query
    assert "%(q)s" not in gunicorn_conf.access_log_format
    assert "%(f)s" not in gunicorn_conf.access_log_format  # the referrer may have one too
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    saved = {n: (lg.handlers[:], lg.propagate, lg.level) for n in ("gunicorn.access",
                                                               "gunicorn.error")
             for lg in [logging.getLogger(n)]}
    root = logging.getLogger()
    root_saved = (root.handlers[:], root.level)
    try:
        logging.config.dictConfig(gunicorn_conf.logconfig_dict)
        logging.getLogger("gunicorn.access").info(
            '%(h)s "%(r)s" %(s)s', {"h": "10.0.0.1", "r": f"GET /x?id={ID18}&p={MOBILE}",
                                    "s": "200"})
    finally:
        for n, (handlers, propagate, level) in saved.items():
            lg = logging.getLogger(n)
            lg.handlers, lg.propagate, lg.level = handlers, propagate, level
        root.handlers, root.level = root_saved
    out = stream.getvalue()
    assert out.startswith('10.0.0.1 "GET /x?id=110105********002X&p=139****5678" 200')


def test_a_handler_without_the_filter_sees_masked_records_too() -> None:
    """Configuring logging installed the record factory: a library's own handler, or pytest's
    capture, never gets the identifier either."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # no filter
    logger = logging.getLogger("wushe.tests.logmask.bare")
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.DEBUG)
    try:
        raise RuntimeError(f"row 3: {FW_ID}")
    except RuntimeError:
        logger.exception("phone %s", "139 1234 5678")
    out = stream.getvalue()
    assert "phone 139****5678" in out
    assert "RuntimeError: row 3: １１０１０５********００２Ｘ" in out
    assert FW_ID not in out and "139 1234 5678" not in out
