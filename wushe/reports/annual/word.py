"""The annual report as Word (.docx, python-docx). Charts become PNG pictures: reportlab's
renderPM when its backend is installed, else Pillow (with a CJK font when the system has
one); always followed by a table of the same numbers, so nothing depends on the picture."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from wushe.reports.annual import Chart, Document
from wushe.reports.annual.narrative import Figure
from wushe.reports.annual.render import PALETTE

CJK_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
             "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
             "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _png_renderpm(chart: Chart) -> bytes | None:
    try:
        from reportlab.graphics import renderPM

        from wushe.reports.annual.pdf import chart_drawing

        return bytes(renderPM.drawToString(chart_drawing(chart), fmt="PNG", dpi=144))
    except Exception:  # no renderPM backend (rlPyCairo / _rl_renderPM) on this machine  # noqa: BLE001
        return None


def _png_pillow(chart: Chart) -> bytes | None:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return None
    font: Any = None
    for candidate in CJK_FONTS:
        if Path(candidate).exists():
            font = ImageFont.truetype(candidate, 18)
            break
    if font is None:
        font = ImageFont.load_default()
    w, h, left, bottom, top = 1200, 480, 90, 80, 50
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    draw.text((w // 2, 10), chart.title, fill="black", font=font, anchor="ma")
    series = chart.series if chart.kind != "pie" else [chart.series[0]] if chart.series else []
    peak = max([v for _n, d in series for v in d] + [1])
    n = max(len(chart.labels), 1)
    slot = (w - left - 20) / n
    bar = slot * 0.8 / max(len(series), 1)
    draw.line((left, h - bottom, w - 20, h - bottom), fill="#888888", width=2)
    for s, (_name, data) in enumerate(series):
        for i, v in enumerate(data):
            bh = v / peak * (h - bottom - top)
            x = left + i * slot + slot * 0.1 + s * bar
            draw.rectangle((x, h - bottom - bh, x + bar, h - bottom), fill=PALETTE[s % 6])
            draw.text((x + bar / 2, h - bottom - bh - 4), f"{v:g}", fill="black", font=font,
                      anchor="md")
    for i, label in enumerate(chart.labels):
        draw.text((left + i * slot + slot / 2, h - bottom + 8), label, fill="black", font=font,
                  anchor="ma")
    for s, (name, _d) in enumerate(series):
        if name:
            x = left + s * 300
            draw.rectangle((x, h - 30, x + 16, h - 14), fill=PALETTE[s % 6])
            draw.text((x + 22, h - 32), name, fill="black", font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def chart_png(chart: Chart) -> bytes | None:
    return _png_renderpm(chart) or _png_pillow(chart)


def _cjk(doc: Any) -> None:
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def write_docx(doc: Document, path: Path) -> None:
    out = Docx()
    _cjk(out)
    title = out.add_heading(doc.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = out.add_paragraph(f"{doc.subtitle} · {doc.generated_at}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    out.add_paragraph(doc.intro)
    for section in doc.sections:
        out.add_heading(section.heading, level=1)
        for p in section.paragraphs:
            para = out.add_paragraph()
            para.paragraph_format.first_line_indent = Cm(0.74)
            para.add_run(p.lead).bold = True
            for seg in p.segments:
                if isinstance(seg, Figure):
                    para.add_run(seg.text(doc.lang)).bold = True
                    para.add_run(f"[{seg.note}]").font.superscript = True
                else:
                    para.add_run(seg)
        for chart in section.charts:
            png = chart_png(chart)
            if png:
                out.add_picture(io.BytesIO(png), width=Cm(15.5))
            table = out.add_table(rows=1, cols=1 + len(chart.series), style="Table Grid")
            table.rows[0].cells[0].text = chart.title
            for j, (name, _d) in enumerate(chart.series):
                table.rows[0].cells[j + 1].text = name or ("Value" if doc.lang == "en" else "数值")
            for i, label in enumerate(chart.labels):
                cells = table.add_row().cells
                cells[0].text = label
                for j, (_name, data) in enumerate(chart.series):
                    cells[j + 1].text = f"{data[i]:g}" if i < len(data) else ""
    en = doc.lang == "en"
    out.add_heading("Appendix: figures and their definitions" if en else "附录:指标代码与统计口径",
                    level=1)
    if doc.dictionary:
        out.add_paragraph(doc.dictionary)
    table = out.add_table(rows=1, cols=5, style="Table Grid")
    for cell, text in zip(table.rows[0].cells, ("#", "Figure" if en else "指标",
                                                 "Key" if en else "代码", "Value" if en else "数值",
                                                 "Definition" if en else "统计口径"), strict=True):
        cell.text = text
    for n in doc.notes:
        for cell, text in zip(table.add_row().cells,
                              (str(n.number), n.label, n.key, n.value, n.definition), strict=True):
            cell.text = text
    out.save(str(path))
