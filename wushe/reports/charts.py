"""The cockpit's figures and chart data, from the rollups only (a handful of indexed reads).

Each chart is a plain dict {id, title, kind, categories, series[{name, data}]} that the one
generic renderer in static/reports/cockpit.js turns into an ECharts option; the same JSON is
embedded in the page (json_script) and served by GET /api/v1/reports/cockpit.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from wushe.regions.models import Region
from wushe.reports import rollup
from wushe.reports.annual.narrative import format_value
from wushe.reports.kpis import KPIS, Period
from wushe.reports.kpis.labels import (
    CHANNEL_ZH,
    ORG_CATEGORY_ZH,
    STATE_ZH,
    TEAM_LEVEL_ZH,
)
from wushe.reports.models import RollupRun
from wushe.reports.selectors import children_of

HEADLINE = ("needs.total", "needs.on_time_rate", "needs.linkage_rate", "needs.satisfaction_avg",
            "volunteers.total", "volunteers.hours_confirmed", "orgs.supported",
            "social_workers.total", "community_workers.shortfall", "charity.raised_yuan",
            "charity.disbursed_yuan", "projects.total")
# The seed text's own figures (issue #19), in its order: shown as a second row of cards.
SEED_FIGURES = ("orgs.filed", "orgs.community_org_members", "needs.common_problems",
                "volunteers.teams.street_detachment", "volunteers.teams.brand_squad",
                "volunteers.care_projects", "volunteers.civilisation_activities",
                "projects.on_purchase_lists", "sites.party_centre_renovated",
                "sites.party_centre_renovation_yuan",
                "charity.special_funds.relief_person_times",
                "charity.special_funds.children_visited", "charity.special_funds.clinic_visits",
                "charity.community_funds.service_person_times",
                "charity.community_funds.beneficiaries")
MONTHLY = ("needs.total", "needs.linkage_rate", "needs.on_time_rate",
           "volunteers.hours_confirmed", "charity.raised_yuan", "charity.disbursed_yuan")
STAFFING = ("community_workers.required", "community_workers.total",
            "community_workers.shortfall")


# Why a chart has nothing to draw for the chosen period and region: shown centred in the chart
# instead of an empty ring or a 0.0 axis (issue #19 item 5). Says which records are missing.
EMPTY = {
    "needs-channel": gettext_lazy("No data for this period: no needs were received in this period"),
    "needs-category": gettext_lazy("No data for this period: no needs were received in this period"),
    "needs-status": gettext_lazy("No data for this period: no needs were received in this period"),
    "on-time": gettext_lazy("No data for this period: no need was closed in this period"),
    "linkage": gettext_lazy("No data for this period: no need was received or closed in this period"),
    "hours-month": gettext_lazy("No data for this period: no confirmed volunteer service hours "
                         "in this period"),
    "hours-level": gettext_lazy("No data for this period: no confirmed volunteer service hours "
                         "in this period"),
    "orgs-category": gettext_lazy("No data: no registered or filed organisation in this region"),
    "orgs-rating": gettext_lazy("No data: no organisation in this region holds a rating"),
    "staffing": gettext_lazy("No data: no community worker posts or staff in this region"),
    "funds": gettext_lazy("No data for this period: no donation received and no disbursement made "
                   "in this period"),
    "projects-status": gettext_lazy("No data for this period: no service project in this period"),
    "evaluation-grade": gettext_lazy("No data for this period: no project evaluation graded in "
                              "this period"),
}


def _has_data(chart: dict[str, Any]) -> bool:
    """Some series holds a non-zero value (a pie point is {name, value})."""
    for series in chart["series"]:
        for point in series["data"]:
            value = point.get("value") if isinstance(point, dict) else point
            if value:
                return True
    return False


def explain_empty(charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each chart gains ``empty``: why it has nothing to draw, or "" when it has data."""
    for chart in charts:
        chart["empty"] = "" if _has_data(chart) else str(
            EMPTY.get(chart["id"], gettext_lazy("No data for this period")))
    return charts


def lang_code() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _keys(prefix: str) -> list[str]:
    return [k for k in KPIS if k.startswith(prefix)]


def _label(key: str) -> str:
    return KPIS[key].label(lang_code())


def _months() -> list[str]:
    return [f"{m}月" if lang_code() == "zh" else f"{m:02d}" for m in range(1, 13)]


def _pie(chart_id: str, title: str, values: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    return {"id": chart_id, "title": title, "kind": "pie", "categories": [],
            "series": [{"name": title, "data": [{"name": _label(k), "value": values[k]}
                                                for k in keys if values[k]]}]}


def _bar(chart_id: str, title: str, values: dict[str, Any], keys: list[str],
         *, horizontal: bool = False) -> dict[str, Any]:
    return {"id": chart_id, "title": title, "kind": "hbar" if horizontal else "bar",
            "categories": [_label(k) for k in keys],
            "series": [{"name": title, "data": [values[k] for k in keys]}]}


def _pct(rates: list[Any]) -> list[Any]:
    return [round(r * 100, 1) if r is not None else None for r in rates]


def cockpit(region: Region, year: int, run: RollupRun | None) -> dict[str, Any]:
    """Everything the cockpit shows for ``region`` in ``year``: about eight indexed reads.
    ``run`` is the last rollup refresh (the "data as of" time)."""
    period = Period.year(year)
    flows = rollup.read(region.path, period)
    months = rollup.read_months(region.path, year, [k for k in MONTHLY if k in KPIS])
    children = children_of(region)
    staffing = rollup.read_children([c.path for c in children], Period.all(), list(STAFFING))
    lang = lang_code()
    channels = [f"needs.by_channel.{c}" for c in CHANNEL_ZH]
    statuses = [f"needs.by_status.{s}" for s in STATE_ZH]
    categories = sorted(_keys("needs.by_category."), key=lambda k: -flows[k])
    charts: list[dict[str, Any]] = [
        _pie("needs-channel", _("Needs by channel"), flows, channels),
        _bar("needs-category", _("Needs by category"), flows, categories, horizontal=True),
        _bar("needs-status", _("Needs by status"), flows, statuses),
        {"id": "on-time", "title": _("On-time resolution rate"), "kind": "gauge",
         "categories": [], "series": [{"name": _label("needs.on_time_rate"),
                                       "data": _pct([flows["needs.on_time_rate"]])}]},
        {"id": "linkage", "title": _("Linkage rate by month (%)"), "kind": "line",
         "categories": _months(),
         "series": [{"name": _label("needs.linkage_rate"),
                     "data": _pct(months["needs.linkage_rate"])},
                    {"name": _label("needs.on_time_rate"),
                     "data": _pct(months["needs.on_time_rate"])}]},
        {"id": "hours-month", "title": _("Volunteer hours by month"), "kind": "bar",
         "categories": _months(),
         "series": [{"name": _label("volunteers.hours_confirmed"),
                     "data": months["volunteers.hours_confirmed"]}]},
        _pie("hours-level", _("Volunteer hours by team level"), flows,
             [f"volunteers.hours_by_team_level.{lv}" for lv in TEAM_LEVEL_ZH]),
        _pie("orgs-category", _("Organisations by category"), flows,
             [f"orgs.by_category.{c}" for c in ORG_CATEGORY_ZH]),
        _bar("orgs-rating", _("Organisations by rating"), flows,
             [f"orgs.by_rating.{g}A" for g in range(1, 6)]),
        {"id": "staffing", "title": _("Community worker staffing"), "kind": "bar",
         "categories": [c.name for c in children] or [region.name],
         "series": [{"name": _label(k),
                     "data": [staffing[c.path][k] for c in children] or [flows[k]]}
                    for k in STAFFING]},
        {"id": "funds", "title": _("Funds raised and disbursed by month (yuan)"),
         "kind": "bar", "categories": _months(),
         "series": [{"name": _label("charity.raised_yuan"),
                     "data": months["charity.raised_yuan"]},
                    {"name": _label("charity.disbursed_yuan"),
                     "data": months["charity.disbursed_yuan"]}]},
    ]
    charts.extend(project_charts(flows))
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "year": year, "lang": lang,
        "as_of": run.finished_at.isoformat() if run else None,
        "headline": [{"key": k, "label": _label(k), "unit": str(KPIS[k].unit),
                      "value": flows[k], "display": format_value(k, flows[k], lang)}
                     for k in HEADLINE if k in KPIS],
        "figures": [{"key": k, "label": _label(k), "unit": str(KPIS[k].unit),
                     "value": flows[k], "display": format_value(k, flows[k], lang)}
                    for k in SEED_FIGURES if k in KPIS],
        "charts": explain_empty(charts),
    }


def project_charts(flows: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    statuses = _keys("projects.by_status.")
    if statuses:
        out.append(_bar("projects-status", _("Projects by status"), flows, statuses))
    grades = _keys("evaluation.by_grade.")
    if grades:
        out.append(_bar("evaluation-grade", _("Evaluations by grade"), flows, grades))
    return out
