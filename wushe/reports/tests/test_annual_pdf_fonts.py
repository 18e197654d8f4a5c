"""The annual report PDF embeds its Chinese font (a TrueType subset, /FontFile2), names no
non-embedded font, and every character of the report has a glyph in it; without a usable font
the PDFs fall back to STSong-Light and say which package to install (wushe/core/pdffonts.py)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from wushe.core import pdffonts
from wushe.core.scoping import scopes_disabled
from wushe.reports.annual import Document, build_document, write
from wushe.reports.annual.narrative import Figure

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year

FONT = pdffonts.pdf_font()
needs_ttf = pytest.mark.skipif(
    not FONT.embedded,
    reason=f"no CJK TrueType font on this machine: install the Debian package {pdffonts.PACKAGE}")


def _report_text(doc: Document) -> str:
    """Every string the PDF draws: title, intro, sections, figures, charts, the appendix."""
    parts = [doc.title, doc.subtitle, doc.generated_at, doc.intro,
             "附录:指标代码与统计口径#指标代码数值统计口径",
             "Appendix: figures and their definitions FigureKeyValueDefinition"]
    for section in doc.sections:
        parts.append(section.heading)
        for p in section.paragraphs:
            parts.append(p.lead)
            for seg in p.segments:
                parts.append(f"{seg.text(doc.lang)}[{seg.note}]" if isinstance(seg, Figure)
                             else seg)
        for chart in section.charts:
            parts += [chart.title, *map(str, chart.labels)]
            for name, data in chart.series:
                parts += [name, *(f"{v:g}" for v in data if v is not None)]
    for n in doc.notes:
        parts += [str(n.number), n.label, n.key, str(n.value), n.definition]
    return "".join(parts)


def _fonts(content: bytes) -> list[bytes]:
    return re.findall(rb"/BaseFont\s*/([^\s/>]+)", content)


@pytest.fixture
def zh_doc(world: dict[str, Any]) -> Document:
    with scopes_disabled():
        return build_document(world["district"], YEAR, "zh")


@needs_ttf
def test_annual_pdf_embeds_a_truetype_subset_and_no_cid_font(zh_doc: Document,
                                                             tmp_path: Path) -> None:
    content = write(zh_doc, "pdf", tmp_path / "r.pdf", compress=False).read_bytes()
    assert b"/FontFile2" in content                       # TrueType outlines in the file
    assert b"STSong-Light" not in content and b"UniGB-UCS2-H" not in content
    names = _fonts(content)
    # Every font is a subset of the chosen face ("AAAAAA+WenQuanYiZenHei"): no base-14 font
    # (Helvetica for the axis numbers) that a reader would have to supply.
    assert names and all(re.fullmatch(rb"[A-Z]{6}\+.+", n) for n in names), names
    assert content.count(b"/FontFile2") == len(set(names))
    assert b"14,000" in content  # ASCII stays readable in the text operators


@needs_ttf
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_character_of_the_report_has_a_glyph(world: dict[str, Any], tmp_path: Path,
                                                   lang: str) -> None:
    with scopes_disabled():
        doc = build_document(world["district"], YEAR, lang)
    text = _report_text(doc)
    assert "社区" in text or lang == "en"
    missing = sorted({ch for ch in text if ch not in "\n\r\t" and not FONT.has_glyph(ch)})
    assert missing == [], [f"U+{ord(c):04X} {c}" for c in missing]
    # And at draw time: nothing the PDF actually drew fell to .notdef (glyph 0).
    ttf = FONT.ttfont
    assert ttf is not None
    before = set(ttf.missing)
    write(doc, "pdf", tmp_path / "r.pdf")
    assert ttf.missing - before == set()


@needs_ttf
def test_a_character_without_a_glyph_is_noticed(caplog: pytest.LogCaptureFixture) -> None:
    ttf = FONT.ttfont
    assert ttf is not None
    ghost = "\U0010fffd"  # a private-use plane character no font draws
    assert not FONT.has_glyph(ghost) and FONT.has_glyph("社")
    import io

    from reportlab.pdfgen import canvas
    c = canvas.Canvas(io.BytesIO())
    c.setFont(FONT.name, 10)
    with caplog.at_level(logging.WARNING, logger="wushe.core.pdffonts"):
        c.drawString(10, 10, f"社区{ghost}")
    assert ghost in ttf.missing and "U+10FFFD" in caplog.text


@needs_ttf
def test_a_minus_sign_the_font_lacks_prints_as_a_hyphen() -> None:
    ttf = FONT.ttfont
    assert ttf is not None
    if ttf.face.charToGlyph.get(0x2212):
        pytest.skip("this font has its own minus sign")
    assert ttf.printable("\u22123.5%") == "-3.5%" and FONT.has_glyph("\u2212")
    assert ttf.stringWidth("\u22121", 10) == ttf.stringWidth("-1", 10)
    import io

    from reportlab.pdfgen import canvas
    before = set(ttf.missing)
    c = canvas.Canvas(io.BytesIO())
    c.setFont(FONT.name, 10)
    c.drawString(10, 10, "\u22123.5%")
    assert ttf.missing == before


def test_fallback_to_stsong_logs_which_package_to_install(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    nowhere = (str(tmp_path / "none.ttc"),)
    with caplog.at_level(logging.WARNING, logger="wushe.core.pdffonts"):
        font = pdffonts.resolve(str(tmp_path / "missing.ttf"), nowhere)
    assert font.name == "STSong-Light" and not font.embedded
    assert "WUSHE_PDF_FONT" in caplog.text and pdffonts.PACKAGE in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="wushe.core.pdffonts"):
        pdffonts.resolve.cache_clear()
        assert pdffonts.resolve(str(tmp_path / "missing.ttf"), nowhere) == font
    assert caplog.text == ""  # once per process


def test_a_cff_or_latin_font_is_not_taken(tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    cff = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    present = tuple(p for p in (cff, latin) if Path(p).is_file())
    if not present:
        pytest.skip("neither Noto CJK (CFF) nor DejaVu installed")
    with caplog.at_level(logging.WARNING, logger="wushe.core.pdffonts"):
        font = pdffonts.resolve("", present)
    assert font.name == "STSong-Light"
    for p in present:
        assert isinstance(pdffonts._load(Path(p)), str)


@needs_ttf
def test_setting_points_at_the_font(settings: Any) -> None:
    assert FONT.path is not None
    settings.WUSHE_PDF_FONT = str(FONT.path)
    assert pdffonts.pdf_font() == FONT
    settings.WUSHE_PDF_FONT = ""
    assert pdffonts.font_name() == FONT.name
