"""The one font every PDF of wushe writes Chinese in (annual report, certificates, receipts).

A free CJK *TrueType* font found on the machine at run time, embedded as a subset, so any
reader shows every character. reportlab embeds only TrueType outlines: the Noto CJK fonts
Debian installs by default (``fonts-noto-cjk``, ``.ttc`` with CFF outlines) are refused with
"postscript outlines are not supported", so they are not candidates.

Order: the setting ``WUSHE_PDF_FONT`` (a path to a .ttf, or a .ttc whose first face is used),
then :data:`CANDIDATES` (Debian packages, best first). When none is usable the PDFs fall back to
reportlab's built-in CID font STSong-Light, which is *not* embedded (a reader without Adobe's
Asian font pack shows boxes), and a warning naming the package to install is logged once per
process.

A character the chosen font has no glyph for is drawn as the empty box (.notdef): the font
records it in ``missing`` and logs a warning once per character, so a gap never goes unseen.
"""

from __future__ import annotations

import functools
import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

FALLBACK = "STSong-Light"
PACKAGE = "fonts-wqy-zenhei"
# Free CJK TrueType fonts packaged by Debian 12, best first (coverage of GB 18030 and of the
# Latin, digits and punctuation a report mixes in).
CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",                   # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",                 # fonts-wqy-microhei
    "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",         # fonts-arphic-gbsn00lp
    "/usr/share/fonts/truetype/arphic/uming.ttc",                     # fonts-arphic-uming
    "/usr/share/fonts/truetype/arphic/ukai.ttc",                      # fonts-arphic-ukai
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",      # fonts-droid-fallback
)
# A font must draw these to count as a Chinese font (a Latin-only .ttf is refused).
PROBE = "社区志愿服务年度工作报告慈善基金"

_warned: set[str] = set()


def _warn_once(message: str, *args: object) -> None:
    key = message % args
    if key not in _warned:
        _warned.add(key)
        log.warning(message, *args)


# Typographic characters some free CJK fonts lack (WenQuanYi Zen Hei has no U+2212), printed
# as their plain equivalent when the font has no glyph for them, rather than as a box.
SUBSTITUTES: dict[str, str] = {
    "\u2212": "-",   # minus sign
    "\u2010": "-",   # hyphen
    "\u2011": "-",   # non-breaking hyphen
    "\u2009": " ",   # thin space
    "\u202f": " ",   # narrow no-break space
    "\u2007": " ",   # figure space
}


class CheckedTTFont(TTFont):  # type: ignore[misc]  # reportlab ships no types
    """A TrueType font that prints a plain equivalent for a character it lacks
    (:data:`SUBSTITUTES`) and notes every other character it has no glyph for (.notdef)."""

    def __init__(self, name: str, filename: str, **kwargs: Any) -> None:
        super().__init__(name, filename, **kwargs)
        self.missing: set[str] = set()
        glyphs = self.face.charToGlyph
        self._table = str.maketrans({k: v for k, v in SUBSTITUTES.items()
                                     if not glyphs.get(ord(k)) and glyphs.get(ord(v))})

    def printable(self, text: str) -> str:
        """``text`` as this font prints it (substitutes applied)."""
        return text.translate(self._table)

    def stringWidth(self, text: Any, size: float, encoding: str = "utf8") -> float:  # noqa: N802
        if isinstance(text, str):
            text = self.printable(text)
        return float(super().stringWidth(text, size, encoding))

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:  # noqa: N802
        chars = self.printable(text if isinstance(text, str) else text.decode(encoding))
        glyphs = self.face.charToGlyph
        for ch in set(chars):
            code = 32 if ch == "\xa0" else ord(ch)
            if not glyphs.get(code) and ch not in "\n\r\t" and ch not in self.missing:
                self.missing.add(ch)
                _warn_once("PDF font %s has no glyph for U+%04X: it prints as an empty box",
                           self.fontName, ord(ch))
        return super().splitString(chars, doc, encoding)


@dataclass(frozen=True)
class PdfFont:
    """The font chosen for this process: its reportlab name, and the file when embedded."""

    name: str
    path: Path | None = None

    @property
    def embedded(self) -> bool:
        return self.path is not None

    @property
    def ttfont(self) -> CheckedTTFont | None:
        font = pdfmetrics.getFont(self.name)
        return font if isinstance(font, CheckedTTFont) else None

    def has_glyph(self, ch: str) -> bool:
        """Whether ``ch`` prints as a glyph, itself or its plain substitute (True for every
        character with the CID fallback, which cannot tell)."""
        font = self.ttfont
        return font is None or all(font.face.charToGlyph.get(ord(c))
                                   for c in font.printable(ch))


def _load(path: Path) -> CheckedTTFont | str:
    """The font at ``path``, registered, or why it cannot be used."""
    if not path.is_file():
        return "no such file"
    name = f"WusheCJK-{path.stem}-{zlib.crc32(str(path.resolve()).encode()):08x}"
    try:
        existing = pdfmetrics.getFont(name)
    except KeyError:
        existing = None
    if isinstance(existing, CheckedTTFont):
        return existing
    try:
        font = CheckedTTFont(name, str(path), subfontIndex=0)
    except (TTFError, OSError) as exc:  # CFF outlines, a broken or unreadable file
        return str(exc)
    glyphs = font.face.charToGlyph
    if not all(glyphs.get(ord(ch)) for ch in PROBE):
        return "not a Chinese font (no glyphs for Chinese characters)"
    pdfmetrics.registerFont(font)
    return font


@functools.cache
def resolve(override: str = "", candidates: Sequence[str] = CANDIDATES) -> PdfFont:
    """The font for ``override`` (the setting) then the first usable candidate, else the
    CID fallback with a warning. Cached: the search runs once per process."""
    if override:
        found = _load(Path(override).expanduser())
        if isinstance(found, CheckedTTFont):
            return PdfFont(found.fontName, Path(override).expanduser())
        _warn_once("WUSHE_PDF_FONT=%s cannot be used (%s); searching the system fonts instead",
                   override, found)
    for candidate in candidates:
        found = _load(Path(candidate))
        if isinstance(found, CheckedTTFont):
            return PdfFont(found.fontName, Path(candidate))
    _warn_once("No CJK TrueType font found (WUSHE_PDF_FONT unset or unusable; looked in %s): "
               "PDFs use the non-embedded %s and show boxes on readers without Adobe's Asian "
               "font pack. Install the Debian package %s (apt-get install %s) or point "
               "WUSHE_PDF_FONT at a TrueType (.ttf/.ttc, not CFF .otf) Chinese font.",
               ", ".join(candidates), FALLBACK, PACKAGE, PACKAGE)
    if FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return PdfFont(FALLBACK)


def pdf_font() -> PdfFont:
    """The font of this process's PDFs (see the module's docstring)."""
    return resolve(str(getattr(settings, "WUSHE_PDF_FONT", "") or ""), CANDIDATES)


def font_name() -> str:
    """The registered reportlab name to pass to setFont / ParagraphStyle(fontName=…)."""
    return pdf_font().name
