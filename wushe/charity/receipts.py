"""Donation receipts: numbering, the amount in Chinese capitals, and the printable PDF.

The layout follows the 公益事业捐赠票据 issued under the Ministry of Finance's rules for
non-tax receipts: receipt code and number, date, donor (and its credit code), the donation
item, quantity, amount in figures and in capitals, the receiving organisation, the issuer and
the reviewer. The PDF embeds a subset of the CJK TrueType font found on the machine
(wushe/core/pdffonts.py; the non-embedded STSong-Light with a warning when there is none).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wushe.charity.models import Donation, DonorKind, Receipt, ReceiptCounter

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def amount_in_words(value: Decimal) -> str:
    """人民币大写: 12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; 100 → 壹佰元整."""
    value = Decimal(value).quantize(Decimal("0.01"))
    if value < 0:
        raise ValueError("negative amount")
    fen_total = int(value * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    words = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            n, g = divmod(n, 10_000)
            groups.append(g)
        parts: list[str] = []
        zero_pending = False
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g == 0:
                zero_pending = bool(parts)
                continue
            if parts and (zero_pending or g < 1000):
                parts.append("零")
            parts.append(_group(g) + _BIG[i])
            zero_pending = False
        words = "".join(parts) + "元"
    if jiao == 0 and fen == 0:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += _DIGITS[fen] + "分"
    else:
        words += "整"
    return words


def _group(n: int) -> str:
    """0 < n < 10000 in capitals, with 零 for inner gaps (1001 → 壹仟零壹)."""
    out = ""
    digits = f"{n:04d}"
    zero = False
    started = False
    for pos, ch in enumerate(digits):
        d = int(ch)
        unit = _SMALL[3 - pos]
        if d == 0:
            zero = started
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + unit
        started = True
    return out


def next_number(year: int) -> tuple[int, str]:
    """The next receipt number of the year, under a row lock held to the end of the
    transaction: two donations never get the same number, and a number is never reused."""
    counter = ReceiptCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                ReceiptCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # someone created the year's counter first; lock theirs
        counter = ReceiptCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{year}{counter.last:08d}"


def issue(donation: Donation, *, issuer: str) -> Receipt:
    now = timezone.now()
    year = timezone.localtime(now).year
    seq, number = next_number(year)
    donor = donation.donor
    fund = donation.fund
    item = fund.name if donation.kind == "cash" else f"{fund.name}·{donation.goods_description}"
    return Receipt.objects.create(
        donation=donation, year=year, seq=seq, number=number, issued_at=now,
        donor_name=donor.name, item=item[:200], kind=donation.kind,
        donor_code=donor.credit_code or "" if donor.kind == DonorKind.ENTERPRISE else "",
        quantity=donation.goods_quantity, amount=donation.amount,
        amount_in_words=amount_in_words(donation.amount), recipient=fund.parent_org_name,
        issuer=issuer[:150], region_path=donation.region_path)


def receipt_fields(receipt: Receipt) -> list[tuple[str, str]]:
    """(label, value) in the order of the printed form; labels are the form's own Chinese."""
    local = timezone.localtime(receipt.issued_at)
    return [
        ("票据号码", receipt.number),
        ("开票日期", local.strftime("%Y年%m月%d日")),
        ("捐赠人", receipt.donor_name),
        ("统一社会信用代码", receipt.donor_code or "—"),
        ("捐赠项目", receipt.item),
        ("捐赠方式", "货币" if receipt.kind == "cash" else "实物(按估值)"),
        ("数量", receipt.quantity or "—"),
        ("金额(小写)", f"¥{receipt.amount:,.2f}"),
        ("金额(大写)", f"人民币{receipt.amount_in_words}"),
        ("接受单位", receipt.recipient),
        ("开票人", receipt.issuer),
    ]


def render_pdf(receipt: Receipt) -> bytes:
    """One A5-landscape page. Uncompressed, so the number can be found in the bytes."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from wushe.core.pdffonts import font_name

    font = font_name()  # a CJK TrueType font, embedded (STSong-Light when there is none)
    buf = io.BytesIO()
    width, height = landscape(A5)
    c = canvas.Canvas(buf, pagesize=(width, height), pageCompression=0, invariant=1,
                      initialFontName=font)
    c.setTitle(f"公益事业捐赠票据 {receipt.number}")
    c.setFont(font, 18)
    c.drawCentredString(width / 2, height - 18 * mm, "公益事业捐赠票据")
    c.setFont(font, 9)
    c.drawCentredString(width / 2, height - 24 * mm, "(捐赠收据·电子打印件)")
    # The number (ASCII) stays readable as is in the PDF's bytes, easy to check.
    c.setFont(font, 10)
    c.drawRightString(width - 15 * mm, height - 18 * mm, f"No. {receipt.number}")
    top = height - 34 * mm
    row_h = 8.5 * mm
    left, label_w = 15 * mm, 38 * mm
    fields = receipt_fields(receipt)[1:]
    c.setLineWidth(0.6)
    for i, (label, value) in enumerate(fields):
        y = top - i * row_h
        c.rect(left, y - row_h + 2 * mm, width - 2 * left, row_h, stroke=1, fill=0)
        c.line(left + label_w, y - row_h + 2 * mm, left + label_w, y + 2 * mm)
        c.setFont(font, 10)
        c.drawString(left + 2 * mm, y - row_h / 2 + 0.5 * mm, label)
        c.drawString(left + label_w + 3 * mm, y - row_h / 2 + 0.5 * mm, value)
    c.setFont(font, 8)
    foot = top - len(fields) * row_h - 4 * mm
    c.drawString(left, foot, "本票据由接受单位依法开具,可作为公益性捐赠税前扣除凭证;票据号码连续编号,作废不重用。")
    if receipt.status == "void":
        c.setFont(font, 40)
        c.setFillColorRGB(0.8, 0.1, 0.1)
        c.drawCentredString(width / 2, height / 2, "作 废")
    c.showPage()
    c.save()
    return buf.getvalue()


def receipt_as_dict(receipt: Receipt) -> dict[str, Any]:
    return {"number": receipt.number, "status": receipt.status,
            "fields": [{"label": k, "value": v} for k, v in receipt_fields(receipt)]}
