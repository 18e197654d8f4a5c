"""The annual report as HTML: a whole standalone page (for the .html file) or the body
fragment (the page's preview). Charts are inline SVG drawn here, so the file needs no
script and no network; numbers link to their note in the appendix."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from wushe.reports.annual import Chart, Document, Paragraph
from wushe.reports.annual.narrative import Figure

PALETTE = ("#b22a2a", "#2f6f9f", "#d99a2b", "#4f8a4b", "#7a5ea8", "#5b6770")


def paragraph_html(p: Paragraph, lang: str) -> SafeString:
    parts = [f"<strong>{escape(p.lead)}</strong>"]
    for seg in p.segments:
        if isinstance(seg, Figure):
            parts.append(f'<span class="figure" data-key="{escape(seg.key)}">'
                         f"{escape(seg.text(lang))}</span>"
                         f'<sup><a href="#note-{seg.note}" id="ref-{seg.note}">[{seg.note}]'
                         "</a></sup>")
        else:
            parts.append(escape(seg))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


def chart_svg(chart: Chart, width: int = 640, height: int = 260) -> SafeString:
    """A bar chart (grouped series) or a pie as SVG, with its labels."""
    if chart.kind == "pie":
        return _pie_svg(chart, width, height)
    left, bottom, top = 56, 48, 28
    series = chart.series
    peak = max([v for _n, data in series for v in data] + [1])
    n = max(len(chart.labels), 1)
    slot = (width - left - 10) / n
    bar = slot * 0.8 / max(len(series), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{escape(chart.title)}" class="report-chart">',
           f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="14">'
           f"{escape(chart.title)}</text>",
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
           'stroke="#888"/>']
    scale = (height - bottom - top) / peak
    for s, (name, data) in enumerate(series):
        for i, v in enumerate(data):
            h = v * scale
            x = left + i * slot + slot * 0.1 + s * bar
            out.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" '
                       f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}">'
                       f"<title>{escape(name)} {v:g}</title></rect>")
    for i, label in enumerate(chart.labels):
        x = left + i * slot + slot / 2
        out.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                   f'font-size="11">{escape(label)}</text>')
    out.append(f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">'
               f"{peak:g}</text>")
    for s, (name, _data) in enumerate(series):
        if name:
            out.append(f'<rect x="{left + s * 150}" y="{height - 18}" width="10" height="10" '
                       f'fill="{PALETTE[s % len(PALETTE)]}"/><text x="{left + s * 150 + 14}" '
                       f'y="{height - 9}" font-size="11">{escape(name)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (labels escaped)


def _pie_svg(chart: Chart, width: int, height: int) -> SafeString:
    import math

    data = chart.series[0][1] if chart.series else []
    total = sum(data) or 1
    cx, cy, r = height / 2 + 10, height / 2 + 8, height / 2 - 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'role="img" aria-label="{escape(chart.title)}" class="report-chart">',
           f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="14">'
           f"{escape(chart.title)}</text>"]
    angle = -math.pi / 2
    for i, v in enumerate(data):
        color = PALETTE[i % len(PALETTE)]
        if v:
            sweep = 2 * math.pi * v / total
            if sweep >= 2 * math.pi - 1e-9:
                out.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"/>')
            else:
                x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
                x2, y2 = cx + r * math.cos(angle + sweep), cy + r * math.sin(angle + sweep)
                large = 1 if sweep > math.pi else 0
                out.append(f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 '
                           f'{x2:.1f},{y2:.1f} Z" fill="{color}"/>')
            angle += sweep
        label = chart.labels[i] if i < len(chart.labels) else ""
        out.append(f'<rect x="{height + 40}" y="{40 + i * 22}" width="12" height="12" '
                   f'fill="{color}"/><text x="{height + 58}" y="{51 + i * 22}" font-size="12">'
                   f"{escape(label)}: {v:g}</text>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (labels escaped)


def _context(doc: Document) -> dict[str, object]:
    return {"doc": doc, "sections": [
        {"heading": s.heading, "paragraphs": [paragraph_html(p, doc.lang) for p in s.paragraphs],
         "charts": [chart_svg(c) for c in s.charts]} for s in doc.sections],
        "en": doc.lang == "en"}


def html_fragment(doc: Document) -> SafeString:
    return mark_safe(render_to_string("reports/annual_document.html",  # noqa: S308
                                      {**_context(doc), "standalone": False}))


def html_page(doc: Document) -> str:
    return render_to_string("reports/annual_document.html", {**_context(doc), "standalone": True})
