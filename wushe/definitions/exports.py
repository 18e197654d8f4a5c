"""The dictionary's exports: a real workbook (core/excel.py) and a PDF (reportlab, in the one
CJK font every wushe PDF uses, core/pdffonts.py), both carrying the version number and its
approval record."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wushe.core.excel import workbook_bytes
from wushe.core.pdffonts import font_name
from wushe.definitions import dictionary
from wushe.definitions.models import DictionaryVersion

HEADERS = {
    "zh": ["分组", "指标", "单位", "定义", "统计对象(记录)", "计入时点", "期间规则", "范围规则",
           "期初数", "统计编码"],
    "en": ["Section", "Figure", "Unit", "Definition", "Records counted", "Point in time",
           "Period rule", "Scope rule", "Opening balance", "Statistics code"],
}


def _rows(version: DictionaryVersion, lang: str) -> list[list[str]]:
    return [[title, e["label"], e["unit"], e["definition"], e["records"], e["time"],
             e["period"], e["scope"], e["opening"], e["key"]]
            for title, items in dictionary.sections(version.entries, lang) for e in items]


def title(version: DictionaryVersion, lang: str) -> str:
    if lang == "en":
        return f"KPI dictionary (statistical definitions), version {version.number}"
    return f"统计口径(指标字典)第{version.number}版"


def xlsx_bytes(version: DictionaryVersion, lang: str = "zh") -> bytes:
    en = lang == "en"
    record = [
        ["Version" if en else "版本", str(version.number)],
        ["Approval" if en else "批准记录", version.approval_text(lang)],
        ["Proposed by" if en else "提出人", str(version.proposed_by)],
        ["Content hash" if en else "内容摘要(SHA-256)", version.content_hash],
        ["Figures" if en else "指标数", str(len(version.entries))],
    ]
    return workbook_bytes([
        ("Dictionary" if en else "统计口径", HEADERS[lang], _rows(version, lang)),
        ("Version" if en else "版本与批准", ["Item" if en else "项目", "Value" if en else "内容"],
         record),
    ])


def pdf_bytes(version: DictionaryVersion, lang: str = "zh") -> bytes:
    font = font_name()
    head = ParagraphStyle("head", fontName=font, fontSize=15, leading=22, alignment=1)
    sub = ParagraphStyle("sub", fontName=font, fontSize=9, leading=14, alignment=1,
                         textColor=colors.grey)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8,
                        spaceAfter=4)
    cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9.5, wordWrap="CJK")
    story: list[object] = [
        Paragraph(escape(title(version, lang)), head),
        Paragraph(escape(version.approval_text(lang)), sub),
        Paragraph(escape(f"SHA-256 {version.content_hash}"), sub), Spacer(1, 6)]
    labels = HEADERS[lang][1:]
    widths = [30, 10, 62, 28, 28, 40, 26, 20, 24]
    for section_title, items in dictionary.sections(version.entries, lang):
        story.append(Paragraph(escape(section_title), h2))
        rows = [[Paragraph(escape(h), cell) for h in labels]]
        rows += [[Paragraph(escape(str(v)), cell) for v in
                  (e["label"], e["unit"], e["definition"], e["records"], e["time"],
                   e["period"], e["scope"], e["opening"], e["key"])] for e in items]
        table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
        story.append(table)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=landscape(A4), title=title(version, lang), author="wushe",
                      subject=version.approval_text(lang),
                      keywords=f"wushe KPI dictionary v{version.number} sha256:"
                               f"{version.content_hash}",
                      leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                      bottomMargin=12 * mm).build(story)
    return buf.getvalue()
