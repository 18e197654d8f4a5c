"""The KPI dictionary (统计口径), derived from the KPI declarations, never written by hand.

Each entry says, in both languages, what a figure counts (its label, unit and definition), from
which records (a readable name of its Source), at which point in time (a flow: by the date
field that files a row into a period; a stock: the state at the time of reading), which period
rule applies, and the scope rule (the region subtree). ``entries()`` is the snapshot a
dictionary version freezes; ``content_hash`` tells whether the code still says the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, cast

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from wushe.reports.kpis import KPIS, SECTIONS, Kpi
from wushe.reports.kpis.base import UNIT_LABELS, Source, Unit

# The records each source counts, as a reader names them (Source.name → zh, en). A source not
# listed here is named by its model's verbose name.
SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "regions": ("地区(镇街、社区)", "Regions (streets, communities)"),
    "sites": ("在用的服务阵地", "Service sites in use"),
    "social_workers": ("在职社会工作者", "Social workers in post"),
    "persons": ("人员信息", "People on record"),
    "care_profiles": ("在册关爱档案(一老一小一困)", "Active care profiles"),
    "renovations_accepted": ("已验收的党群服务中心改造", "Accepted centre renovations"),
    "renovation_spending": ("党群服务中心改造支出", "Centre renovation spending"),
    "policy_documents": ("现行有效的政策文件", "Policy documents in force"),
    "projects": ("社会工作服务项目", "Social-work service projects"),
    "contracts": ("服务项目合同", "Project contracts"),
    "supervision_done": ("已完成的督导", "Supervision visits done"),
    "supervision_overdue": ("逾期未完成的督导", "Overdue supervision visits"),
    "evaluations_decided": ("已出结论的项目评估", "Decided project evaluations"),
    "funds": ("慈善基金", "Charity funds"),
    "donations": ("已到账的捐赠", "Donations received"),
    "disbursements_paid": ("已拨付的支出", "Disbursements paid"),
    "fund_coverage": ("社区基金覆盖的社区", "Communities covered by a community fund"),
    "needs_received": ("受理的群众诉求", "Needs received"),
    "needs_resolved": ("办结的群众诉求", "Needs resolved"),
    "ledgers": ("特殊困难群体台账", "Ledgers of people in hardship"),
    "ideas": ("自治金点子", "Self-governance ideas"),
    "volunteers": ("注册志愿者", "Registered volunteers"),
    "teams": ("志愿服务队", "Volunteer teams"),
    "service_records": ("志愿服务记录", "Volunteer service records"),
    "activities": ("志愿服务活动", "Volunteer activities"),
    "activities_finished": ("已完成的志愿服务活动", "Finished volunteer activities"),
    "orgs": ("社会组织", "Social organisations"),
    "ratings": ("社会组织评估等级", "Organisation ratings"),
    "honours": ("社会组织荣誉", "Organisation honours"),
    "incubations": ("社会组织孵化", "Organisation incubations"),
    "practice_activities": ("新时代文明实践活动", "Civilisation-practice activities"),
}
CUSTOM_RECORDS = ("按专门规则计算(见定义)", "Computed by its own rule (see the definition)")
ZH, EN = "zh-hans", "en"


def _field_name(model: type[Model], path: str, lang: str) -> str:
    """The verbose name of ``path`` (``project__year`` follows the relation) in ``lang``."""
    parts = path.split("__")
    for part in parts[:-1]:
        related = model._meta.get_field(part).related_model
        assert isinstance(related, type)
        model = related
    field = model._meta.get_field(parts[-1])
    with translation.override(lang):
        return str(getattr(field, "verbose_name", parts[-1]))


def _records(source: Source | None) -> tuple[str, str]:
    if source is None:
        return CUSTOM_RECORDS
    if source.name in SOURCE_LABELS:
        return SOURCE_LABELS[source.name]
    meta = source.rows().model._meta
    with translation.override(ZH):
        zh = str(meta.verbose_name)
    with translation.override(EN):
        en = str(meta.verbose_name)
    return zh, en


def _timing(kpi: Kpi) -> tuple[str, str, str, str]:
    """(point in time zh, en, period rule zh, en)."""
    source = kpi.source
    if source is None:
        return ("统计时点的现状", "The state at the time of reading",
                "与统计期间无关", "Whatever the period")
    model = source.rows().model
    if source.year_field:
        zh = _field_name(model, source.year_field, ZH)
        en = _field_name(model, source.year_field, EN)
        return (f"按{zh}计入年度", f"Filed by its {en}",
                "统计期间所涉及的各年度的全部记录;不限期间为累计",
                "Every record of the years the period touches; no period: cumulative")
    if source.date_field:
        zh = _field_name(model, source.date_field, ZH)
        en = _field_name(model, source.date_field, EN)
        day = "(北京时间自然日)" if source.is_datetime else ""
        day_en = " (calendar days, Beijing time)" if source.is_datetime else ""
        return (f"按{zh}计入期间", f"Filed into the period by its {en}",
                f"{zh}落在统计期间内(含首尾两日{day});不限期间为累计",
                f"Its {en} falls in the period, both ends included{day_en}; "
                "no period: cumulative")
    return ("统计时点的现状", "The state at the time of reading",
            "与统计期间无关", "Whatever the period")


def _unit(kpi: Kpi) -> tuple[str, str]:
    zh, en = UNIT_LABELS.get(kpi.unit, (str(kpi.unit), str(kpi.unit)))
    if kpi.unit == Unit.COUNT:
        return zh, "count"
    return zh, en


def _ratio(kpi: Kpi) -> tuple[str, str]:
    if kpi.per is None:
        return "", ""
    return ("比率:分子与分母取同一区域、同一期间;分母为零时不显示",
            "A share: numerator and denominator over the same region and period; "
            "not shown when the denominator is 0")


def openings_rule() -> Callable[[Kpi], bool] | None:
    """Which KPIs take an opening balance, when the openings app is installed (it is optional:
    without it no entry mentions opening balances)."""
    if not apps.is_installed("wushe.openings"):
        return None
    try:
        from wushe.openings.figures import accepts
    except ImportError:
        return None
    return cast("Callable[[Kpi], bool]", accepts)


def entry(kpi: Kpi, *, openings: bool) -> dict[str, Any]:
    records = _records(kpi.source)
    time_zh, time_en, period_zh, period_en = _timing(kpi)
    ratio_zh, ratio_en = _ratio(kpi)
    if ratio_zh:
        period_zh, period_en = f"{period_zh};{ratio_zh}", f"{period_en}; {ratio_en}"
    unit_zh, unit_en = _unit(kpi)
    out: dict[str, Any] = {
        "key": kpi.key, "section": kpi.section, "label_zh": kpi.zh, "label_en": kpi.en,
        "unit_zh": unit_zh, "unit_en": unit_en,
        "definition_zh": kpi.definition_zh, "definition_en": kpi.definition_en,
        "records_zh": records[0], "records_en": records[1],
        "time_zh": time_zh, "time_en": time_en, "period_zh": period_zh, "period_en": period_en,
        "scope_zh": "所选地区及其下辖全部镇街、社区的记录",
        "scope_en": "Records of the chosen region and every street and community under it",
        "kind": "flow" if kpi.is_flow else "stock",
        "seed": kpi.seed,
    }
    if openings:
        out["opening_zh"] = ("累计数计入经批准的期初数:期初数加期初日期之后的记录;"
                             "限定期间只计记录")
        out["opening_en"] = ("Cumulative figures include an approved opening balance: the "
                             "opening figure plus the records after its date; a bounded "
                             "period counts records only")
    return out


def entries() -> list[dict[str, Any]]:
    """Every KPI's entry, in the cockpit's section order, then declaration order."""
    order = {key: i for i, (key, _zh, _en) in enumerate(SECTIONS)}
    takes_opening = openings_rule()
    kpis = sorted(KPIS.values(), key=lambda k: order.get(k.section, len(order)))
    return [entry(k, openings=bool(takes_opening and takes_opening(k))) for k in kpis]


def content_hash(items: list[dict[str, Any]]) -> str:
    text = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def current() -> tuple[list[dict[str, Any]], str]:
    items = entries()
    return items, content_hash(items)


def sections(items: list[dict[str, Any]], lang: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The entries grouped under the cockpit's section headings, in ``lang``."""
    en = lang == "en"
    out: list[tuple[str, list[dict[str, Any]]]] = []
    known = set()
    for key, zh, en_title in SECTIONS:
        known.add(key)
        rows = [localized(e, lang) for e in items if e.get("section") == key]
        if rows:
            out.append((en_title if en else zh, rows))
    other = [localized(e, lang) for e in items if e.get("section") not in known]
    if other:
        out.append(("Other figures" if en else "其他指标", other))
    return out


def localized(e: dict[str, Any], lang: str) -> dict[str, Any]:
    s = "_en" if lang == "en" else "_zh"
    return {"key": e["key"], "label": e["label" + s], "unit": e["unit" + s],
            "definition": e["definition" + s], "records": e["records" + s],
            "time": e["time" + s], "period": e["period" + s], "scope": e["scope" + s],
            "opening": e.get("opening" + s, "")}
