"""The certificate as a PDF, drawn from its snapshot alone (reportlab).

Chinese is set in the free CJK TrueType font found on the machine and embedded as a subset, so
any reader shows it (wushe/core/pdffonts.py; STSong-Light with a warning when there is none).
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from wushe.core.pdffonts import font_name


def _font() -> str:
    return font_name()


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break Chinese (and mixed) text into lines that fit ``width`` points."""
    font = _font()
    lines: list[str] = []
    line = ""
    for ch in text:
        if pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    if line:
        lines.append(line)
    return lines


def certificate_pdf(snapshot: dict[str, Any], *, valid: bool, verify_url: str) -> bytes:
    font = _font()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font)
    pdf.setTitle(f"志愿服务证明 {snapshot['number']}")
    pdf.setAuthor(str(snapshot.get("issuer", "")))
    width, height = A4
    left, right = 25 * mm, width - 25 * mm
    y = height - 35 * mm
    pdf.setFont(font, 24)
    pdf.drawCentredString(width / 2, y, "志愿服务证明")
    y -= 9 * mm
    pdf.setFont(font, 10)
    pdf.drawCentredString(width / 2, y, f"证明编号:{snapshot['number']}")
    if not valid:
        pdf.saveState()
        pdf.setFillColor(colors.red)
        pdf.setFont(font, 40)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(30)
        pdf.drawCentredString(0, 0, "已撤销 REVOKED")
        pdf.restoreState()
    y -= 14 * mm
    body = (f"兹证明 {snapshot['name']}(身份证号 {snapshot['id_number']},志愿者编号 "
            f"{snapshot['volunteer_number']})于 {snapshot['period_start']} 至 "
            f"{snapshot['period_end']} 期间,在{snapshot['issuer']}参加志愿服务,经本队伍记录并确认,"
            f"累计服务时长 {snapshot['hours']} 小时,共 {snapshot['records']} 次。")
    pdf.setFont(font, 13)
    for line in _wrap("　　" + body, right - left, 13):
        pdf.drawString(left, y, line)
        y -= 8 * mm
    y -= 4 * mm
    pdf.setFont(font, 11)
    pdf.drawString(left, y, "服务记录(节选)")
    y -= 7 * mm
    pdf.setFont(font, 9)
    for item in snapshot.get("items", []):
        if y < 60 * mm:
            pdf.drawString(left, y, "……(其余记录见服务记录明细)")
            y -= 6 * mm
            break
        text = f"{item['date']}  {item.get('activity') or ''} {item['content']}"
        pdf.drawString(left, y, _wrap(text, right - left - 20 * mm, 9)[0])
        pdf.drawRightString(right, y, f"{item['hours']} 小时")
        y -= 5.5 * mm
    if snapshot.get("items_truncated"):
        pdf.drawString(left, y, "(仅列出部分记录)")
    pdf.setFont(font, 12)
    pdf.drawRightString(right, 48 * mm, f"出具单位:{snapshot['issuer']}")
    pdf.drawRightString(right, 40 * mm, f"出具日期:{snapshot['issued_at'][:10]}")
    pdf.setFont(font, 8)
    pdf.setFillColor(colors.grey)
    pdf.drawString(left, 22 * mm, f"真伪查验:{verify_url}")
    pdf.drawString(left, 17 * mm, "本证明依据志愿服务记录出具,身份信息已作脱敏处理。")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
