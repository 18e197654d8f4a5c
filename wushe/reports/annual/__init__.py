"""The annual work report (年度工作报告): a document model filled from the KPI module, and
renderers to HTML, PDF (reportlab) and Word (python-docx).

``build_document`` computes every KPI the narrative names (live, for the region subtree and
the year), numbers the figures in order of appearance (footnotes), adds the charts' data,
and lists every figure's key and definition in an appendix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

from wushe.regions.models import Region
from wushe.reports import kpis
from wushe.reports.annual.narrative import Figure, fill, keys_used, templates
from wushe.reports.kpis import KPIS, SECTIONS, Period
from wushe.reports.kpis import history as kpi_history
from wushe.reports.kpis.labels import CHANNEL_ZH, ORG_CATEGORY_ZH

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass
class Paragraph:
    lead: str
    segments: list[str | Figure]

    def plain(self, lang: str) -> str:
        return self.lead + "".join(s if isinstance(s, str) else s.text(lang)
                                   for s in self.segments)


@dataclass
class Chart:
    title: str
    kind: str  # "bar" or "pie"
    labels: list[str]
    series: list[tuple[str, list[float]]]


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class Note:
    number: int
    key: str
    label: str
    value: str
    definition: str


@dataclass
class Document:
    lang: str
    title: str
    subtitle: str
    intro: str
    sections: list[Section]
    notes: list[Note]
    generated_at: str
    region_code: str
    year: int
    # The KPI dictionary version the figures follow (统计口径), as the appendix cites it.
    dictionary: str = ""


def _charts(values: dict[str, Any], lang: str) -> dict[str, list[Chart]]:
    en = lang == "en"
    pick = 1 if en else 0
    months = [str(m) for m in range(1, 13)]
    out: dict[str, list[Chart]] = {"services": [], "resources": [], "governance": [],
                                   "projects": []}
    out["services"].append(Chart(
        "Needs by channel" if en else "诉求渠道分布", "bar",
        [v[pick] for v in CHANNEL_ZH.values()],
        [("Needs" if en else "件数", [values[f"needs.by_channel.{c}"] for c in CHANNEL_ZH])]))
    out["services"].append(Chart(
        "Organisations by category" if en else "社会组织类别", "pie",
        [v[pick] for v in ORG_CATEGORY_ZH.values()],
        [("", [values[f"orgs.by_category.{c}"] for c in ORG_CATEGORY_ZH])]))
    monthly = values.get("_months", {})
    if monthly:
        out["resources"].append(Chart(
            "Funds raised and disbursed by month (10k yuan)" if en else "逐月募集与支出(万元)",
            "bar", months,
            [(KPIS["charity.raised_yuan"].label(lang),
              [round(v / 10_000, 2) for v in monthly["charity.raised_yuan"]]),
             (KPIS["charity.disbursed_yuan"].label(lang),
              [round(v / 10_000, 2) for v in monthly["charity.disbursed_yuan"]])]))
        out["services"].append(Chart(
            "Volunteer hours by month" if en else "逐月志愿服务时长(小时)", "bar", months,
            [(KPIS["volunteers.hours_confirmed"].label(lang),
              monthly["volunteers.hours_confirmed"])]))
    return out


def build_document(region: Region, year: int, lang: str = "zh",
                   progress: Callable[[int, str], None] | None = None) -> Document:
    say = progress or (lambda _p, _m: None)
    say(10, "figures")
    keys = keys_used(lang)
    values = kpis.compute(region.path, Period.year(year), keys)
    say(35, "monthly")
    monthly_keys = ["charity.raised_yuan", "charity.disbursed_yuan", "volunteers.hours_confirmed"]
    months: dict[str, list[float]] = {k: [] for k in monthly_keys}
    for m in range(1, 13):
        row = kpis.compute(region.path, Period.month(year, m), monthly_keys)
        for k in monthly_keys:
            months[k].append(float(row[k] or 0))
    # The charts' breakdowns: the narrative already asked for most of them.
    missing = [k for k in [f"needs.by_channel.{c}" for c in CHANNEL_ZH]
               + [f"orgs.by_category.{c}" for c in ORG_CATEGORY_ZH] if k not in values]
    chart_values = {**values, **(kpis.compute(region.path, Period.year(year), missing)
                                 if missing else {}), "_months": months}
    say(55, "text")
    notes: dict[str, int] = {}
    charts = _charts(chart_values, lang)
    sections = []
    for key, heading, paras in templates(lang):
        section = Section(key, heading)
        for lead, text in paras:
            section.paragraphs.append(Paragraph(lead, fill(text, values, notes,
                                                             region=region.name, year=year,
                                                             lang=lang)))
        section.charts = charts.get(key, [])
        if section.paragraphs or section.charts:
            sections.append(section)
    history = kpi_history.openings().lines(region.path, lang)
    if history:  # cumulative figures that include an opening balance, part by part
        sections.append(Section("openings", "Cumulative figures including opening balances"
                                if lang == "en" else "累计数(含期初数)",
                                [Paragraph("", [h["sentence"]]) for h in history]))
    from wushe.reports.annual.narrative import format_value

    note_list = [Note(n, k, KPIS[k].label(lang), format_value(k, values.get(k), lang),
                      KPIS[k].definition(lang)) for k, n in sorted(notes.items(),
                                                                    key=lambda kv: kv[1])]
    now = timezone.localtime()
    if lang == "en":
        title = f"{region.name}: five-society linkage work report {year}"
        subtitle = "Figures computed by the wushe platform from its own records"
        intro = ("Community committees, social organisations, social workers, community "
                 "volunteers and social charity resources working together: the figures of "
                 f"the year for {region.name}. Each number carries a note giving its "
                 "definition (appendix).")
    else:
        title = f"{region.name}{year}年\u201c五社联动\u201d工作报告"
        subtitle = "数据由五社联动平台依据业务记录自动生成"
        intro = (f"{region.name}坚持以党建为引领,健全社区\u201c两委\u201d、社会组织、社会工作者、社区志愿者、"
                 "社会慈善资源\u201c五社联动\u201d工作机制。以下数字均由平台业务数据计算得出,"
                 "每个数字后的角标对应附录中的指标代码与统计口径。")
    say(70, "document")
    return Document(lang, title, subtitle, intro, sections, note_list,
                    now.strftime("%Y-%m-%d %H:%M"), region.code, year,
                    dictionary_citation(region.path, lang))


def dictionary_citation(path: str, lang: str) -> str:
    """The approved KPI dictionary version of the district (wushe/definitions registers it in
    reports/kpis/history.py), or that none is approved yet."""
    return kpi_history.dictionary_citation(path, lang)


def write(doc: Document, fmt: str, path: Path, *, compress: bool = True) -> Path:
    """Write ``doc`` as ``fmt`` (html, pdf, docx) to ``path`` (``compress``: PDF streams)."""
    if fmt == "html":
        from wushe.reports.annual import render

        path.write_text(render.html_page(doc), encoding="utf-8")
    elif fmt == "pdf":
        from wushe.reports.annual import pdf

        pdf.write_pdf(doc, path, compress=compress)
    elif fmt == "docx":
        from wushe.reports.annual import word

        word.write_docx(doc, path)
    else:
        raise ValueError(fmt)
    return path


__all__ = ["FORMATS", "SECTIONS", "Document", "build_document", "write"]
