"""The annual report as PDF (reportlab): Chinese in the free CJK TrueType font found on the
machine, embedded as a subset (wushe/core/pdffonts.py; STSong-Light with a warning when there is
none), charts as reportlab vector graphics."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from wushe.core.pdffonts import font_name
from wushe.reports.annual import Chart, Document, Paragraph
from wushe.reports.annual.narrative import Figure
from wushe.reports.annual.render import PALETTE


def _font() -> str:
    return font_name()


def _styles() -> dict[str, ParagraphStyle]:
    f = _font()
    return {
        "title": ParagraphStyle("title", fontName=f, fontSize=18, leading=26, alignment=1,
                                spaceAfter=6),
        "sub": ParagraphStyle("sub", fontName=f, fontSize=9, leading=14, alignment=1,
                              textColor=colors.grey, spaceAfter=12),
        "h2": ParagraphStyle("h2", fontName=f, fontSize=13, leading=20, spaceBefore=12,
                             spaceAfter=6),
        "body": ParagraphStyle("body", fontName=f, fontSize=10.5, leading=18,
                               firstLineIndent=21, wordWrap="CJK", spaceAfter=4),
        "small": ParagraphStyle("small", fontName=f, fontSize=7.5, leading=10,
                                wordWrap="CJK"),
    }


def _para(p: Paragraph, lang: str) -> str:
    parts = [f"<b>{escape(p.lead)}</b>"]
    for seg in p.segments:
        if isinstance(seg, Figure):
            parts.append(f"<b>{escape(seg.text(lang))}</b><super>[{seg.note}]</super>")
        else:
            parts.append(escape(seg))
    return "".join(parts)


def chart_drawing(chart: Chart, width: float = 160 * mm, height: float = 62 * mm) -> Drawing:
    f = _font()
    d = Drawing(width, height, initialFontName=f)  # not Helvetica, even for an unset label
    d.add(String(width / 2, height - 12, chart.title, fontName=f, fontSize=10,
                 textAnchor="middle"))
    if chart.kind == "pie":
        pie = Pie()
        pie.x, pie.y, pie.width, pie.height = 20, 8, height - 30, height - 30
        data = chart.series[0][1] if chart.series else []
        pie.data = [v or 0 for v in data] if any(data) else [1]
        pie.labels = None
        for i in range(len(pie.data)):
            pie.slices[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        d.add(pie)
        legend = Legend()
        legend.x, legend.y = height + 20, height - 30
        legend.fontName, legend.fontSize = f, 8
        legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), f"{lab}: {v:g}")
                                 for i, (lab, v) in enumerate(zip(chart.labels, data,
                                                                  strict=False))]
        d.add(legend)
        return d
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 30, width - 60, height - 56
    bars.data = [tuple(v or 0 for v in data) for _name, data in chart.series] or [(0,)]
    bars.categoryAxis.categoryNames = chart.labels
    bars.categoryAxis.labels.fontName = f
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.labels.fontName = f  # every glyph in the one embedded font
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    for i in range(len(bars.data)):
        bars.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
    d.add(bars)
    if len(chart.series) > 1:
        legend = Legend()
        legend.x, legend.y = 40, 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.fontName, legend.fontSize = f, 7
        legend.colorNamePairs = [(colors.HexColor(PALETTE[i % len(PALETTE)]), name)
                                 for i, (name, _d) in enumerate(chart.series)]
        d.add(legend)
    return d


def write_pdf(doc: Document, path: Path, *, compress: bool = True) -> None:
    st = _styles()
    story: list[object] = [PdfParagraph(escape(doc.title), st["title"]),
                           PdfParagraph(escape(f"{doc.subtitle} · {doc.generated_at}"),
                                        st["sub"]),
                           PdfParagraph(escape(doc.intro), st["body"])]
    for section in doc.sections:
        story.append(PdfParagraph(escape(section.heading), st["h2"]))
        for p in section.paragraphs:
            story.append(PdfParagraph(_para(p, doc.lang), st["body"]))
        for chart in section.charts:
            story.extend([Spacer(1, 4), chart_drawing(chart), Spacer(1, 4)])
    en = doc.lang == "en"
    story.append(PdfParagraph("Appendix: figures and their definitions" if en
                              else "附录:指标代码与统计口径", st["h2"]))
    if doc.dictionary:
        story.append(PdfParagraph(escape(doc.dictionary), st["small"]))
    head = ["#", "Figure" if en else "指标", "Key" if en else "代码", "Value" if en else "数值",
            "Definition" if en else "统计口径"]
    rows = [[PdfParagraph(escape(str(c)), st["small"]) for c in head]]
    for n in doc.notes:
        rows.append([PdfParagraph(escape(str(c)), st["small"])
                     for c in (n.number, n.label, n.key, n.value, n.definition)])
    table = Table(rows, colWidths=[8 * mm, 28 * mm, 42 * mm, 22 * mm, 70 * mm], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), _font()),  # not Helvetica
                               ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
    story.append(table)
    pdf = SimpleDocTemplate(str(path), pagesize=A4, title=doc.title, author="wushe",
                            leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, pageCompression=int(compress),
                            # the pages start in the embedded font: no base-14 font is named
                            initialFontName=_font())
    pdf.build(story)
