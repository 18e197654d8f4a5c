"""Every KPI again, by hand-written SQL (django.db.connection.cursor()), from its definition
text: the independent check of the KPI module (test_kpis_raw_sql) and the baseline of the
``dashboard_vs_raw_sql_ratio`` benchmark. A KPI without a raw definition here fails the test.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection

from wushe.accounts.scope import next_prefix
from wushe.reports.kpis import Period

DONE = ("resolved", "followed_up", "closed")
PURCHASED = ("contracted", "in_service", "midterm_evaluated", "final_evaluated", "closed")


def _one(sql: str, params: list[Any]) -> Any:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def _sub(col: str, path: str) -> tuple[str, list[Any]]:
    return f"{col} >= %s AND {col} < %s", [path, next_prefix(path)]


def _per(col: str, period: Period, kind: str) -> tuple[str, list[Any]]:
    """The period on a column: kind "dt" (datetime), "d" (date), "y" (year number)."""
    if period.is_all:
        return "1 = 1", []
    assert period.start is not None and period.end is not None
    if kind == "y":
        return f"{col} >= %s AND {col} <= %s", [period.start.year, period.end.year]
    lo, hi = period.bounds(kind == "dt")
    ops = connection.ops
    if kind == "dt":
        return f"{col} >= %s AND {col} < %s", [ops.adapt_datetimefield_value(lo),
                                               ops.adapt_datetimefield_value(hi)]
    return f"{col} >= %s AND {col} < %s", [ops.adapt_datefield_value(lo),
                                           ops.adapt_datefield_value(hi)]


def _q(select: str, table: str, path: str, where: str = "", params: list[Any] | None = None,
       *, col: str = "region_path", per: tuple[str, str] | None = None,
       period: Period | None = None) -> Any:
    s_sql, s_params = _sub(col, path)
    p_sql, p_params = _per(per[0], period, per[1]) if per and period else ("1 = 1", [])
    extra = f" AND ({where})" if where else ""
    # Fixed SQL fragments of this module; every value goes through parameters.
    return _one(f"SELECT {select} FROM {table} WHERE {s_sql} AND {p_sql}{extra}",  # noqa: S608
                [*s_params, *p_params, *(params or [])])


def _rate(a: Any, b: Any) -> float | None:
    return round(int(a or 0) / int(b), 4) if b else None


def _money(v: Any) -> float:
    return float(Decimal(str(v or 0)).quantize(Decimal("0.01")))


def _needs(path: str, period: Period, where: str, params: list[Any]) -> int:
    return int(_q("COUNT(*)", "needs_need", path, where, params, per=("received_at", "dt"),
                  period=period))


def _resolved(path: str, period: Period, select: str) -> Any:
    return _q(select, "needs_need", path, per=("resolved_at", "dt"), period=period)


def _staffing(path: str) -> dict[str, int]:
    """Per community max(2, ceil(population × 18 / 10,000)) vs active workers, summed."""
    s_sql, s_params = _sub("r.path", path)
    with connection.cursor() as cur:
        cur.execute(f"SELECT r.population, (SELECT COUNT(*) FROM workforce_communityworker w "  # noqa: S608
                    f"WHERE w.community_id = r.id AND w.status = 'active') FROM regions_region r "
                    f"WHERE {s_sql} AND r.level = 'community'", s_params)
        rows = cur.fetchall()
    out = {"required": 0, "total": 0, "shortfall": 0, "shortfall_communities": 0}
    for population, actual in rows:
        required = max(2, math.ceil(population * 18 / 10_000))
        out["required"] += required
        out["total"] += actual
        out["shortfall"] += max(0, required - actual)
        out["shortfall_communities"] += int(actual < required)
    return out


def _stars(path: str, n: int) -> int:
    bands = [100, 300, 600, 1000, 1500]  # the rule's defaults (the demo sets no override)
    where = "hours_confirmed >= %s" + (" AND hours_confirmed < %s" if n < 5 else "")
    params = [bands[n - 1]] + ([bands[n]] if n < 5 else [])
    return int(_q("COUNT(*)", "volunteers_volunteer", path, where, params))


Raw = Callable[[str, Period, str], Any]  # (path, period, captured suffix) -> value
today = dt.date.today


RAW: list[tuple[str, Raw]] = [
    # Issue #19's figures first: the generic patterns below (sites.*, volunteers.teams.*)
    # would otherwise claim their keys.
    (r"orgs\.supported", lambda p, t, _: _q(
        "COUNT(*)", "orgs_socialorganization", p, "status IN ('incubating', 'registered', "
        "'suspended') AND category IN ('public_service', 'governance', 'hub', 'social_work')")),
    (r"orgs\.community_org_members", lambda p, t, _: int(_q(
        "COALESCE(SUM(participants), 0)", "orgs_socialorganization", p, "status = 'filed'"))),
    (r"volunteers\.teams\.(street_detachment|brand_squad)", lambda p, t, x: _q(
        "COUNT(*)", "volunteers_team tm JOIN regions_region r ON r.id = tm.region_id", p,
        "tm.level = 'detachment' AND r.level = %s",
        ["street" if x == "street_detachment" else "community"], col="tm.region_path")),
    (r"volunteers\.care_projects", lambda p, t, _: _q(
        "COUNT(*)", "volunteers_activity", p, "status = 'finished'", per=("starts_at", "dt"),
        period=t)),
    (r"volunteers\.civilisation_activities", lambda p, t, _: _q(
        "COUNT(*)", "civilisation_activitydomain ad JOIN volunteers_activity a ON a.id = "
        "ad.activity_id", p, "a.status <> 'cancelled'", col="ad.region_path",
        per=("ad.starts_at", "dt"), period=t)),
    (r"needs\.common_problems", lambda p, t, _: _needs(p, t, "common_problem <> ''", [])),
    (r"projects\.on_purchase_lists", lambda p, t, _: _q(
        "COUNT(*)", "projects_serviceproject sp JOIN projects_purchaselist pl ON pl.id = "
        "sp.purchase_list_id", p, "pl.status = 'published'", col="sp.region_path",
        per=("sp.year", "y"), period=t)),
    (r"sites\.party_centre_renovated", lambda p, t, _: _q(
        "COUNT(*)", "renovation_renovation", p, "progress = 'accepted'",
        per=("accepted_on", "d"), period=t)),
    (r"sites\.party_centre_renovation_yuan", lambda p, t, _: _money(_q(
        "SUM(amount)", "renovation_spending", p, per=("spent_on", "d"), period=t))),
    (r"charity\.special_funds\.(relief_person_times|clinic_visits)", lambda p, t, x: int(_q(
        "COALESCE(SUM(d.beneficiary_count), 0)", "charity_disbursement d JOIN charity_fund f "
        "ON f.id = d.fund_id", p, "d.status = 'paid' AND d.category = 'charitable' AND "
        "f.kind = 'special' AND d.aim = %s", ["relief" if x.startswith("relief") else "clinic"],
        col="d.region_path", per=("d.paid_at", "dt"), period=t))),
    (r"charity\.special_funds\.children_visited", lambda p, t, _: int(_q(
        "COUNT(DISTINCT CASE WHEN d.beneficiary_kind = 'person' THEN d.person_id END) + "
        "COALESCE(SUM(CASE WHEN d.beneficiary_kind <> 'person' THEN d.beneficiary_count END), 0)",
        "charity_disbursement d JOIN charity_fund f ON f.id = d.fund_id", p,
        "d.status = 'paid' AND d.category = 'charitable' AND f.kind = 'special' AND "
        "d.aim = 'children'", col="d.region_path", per=("d.paid_at", "dt"), period=t))),
    (r"charity\.community_funds\.service_person_times", lambda p, t, _: _q(
        "COUNT(*)", "charity_disbursement d JOIN charity_fund f ON f.id = d.fund_id", p,
        "d.status = 'paid' AND d.category = 'charitable' AND f.kind = 'community' AND "
        "d.aim = 'social_work'", col="d.region_path", per=("d.paid_at", "dt"), period=t)),
    (r"charity\.community_funds\.beneficiaries", lambda p, t, _: int(_q(
        "COALESCE(SUM(d.beneficiary_count), 0)", "charity_disbursement d JOIN charity_fund f "
        "ON f.id = d.fund_id", p, "d.status = 'paid' AND d.category = 'charitable' AND "
        "f.kind = 'community'", col="d.region_path", per=("d.paid_at", "dt"), period=t))),
    (r"needs\.total", lambda p, t, _: _needs(p, t, "", [])),
    (r"needs\.by_channel\.(\w+)", lambda p, t, x: _needs(p, t, "channel = %s", [x])),
    (r"needs\.by_category\.(\w+)", lambda p, t, x: _needs(p, t, "category = %s", [x])),
    (r"needs\.by_status\.(\w+)", lambda p, t, x: _needs(p, t, "state = %s", [x])),
    (r"needs\.by_target_group\.(\w+)", lambda p, t, x: _needs(p, t, "target_group = %s", [x])),
    (r"needs\.on_time_rate", lambda p, t, _: _rate(
        _resolved(p, t, "SUM(CASE WHEN resolved_on_time THEN 1 ELSE 0 END)"),
        _resolved(p, t, "COUNT(resolved_on_time)"))),
    (r"needs\.linkage_rate", lambda p, t, _: _rate(
        _resolved(p, t, "SUM(CASE WHEN state IN ('resolved', 'followed_up', 'closed') AND "
                        "society_count >= 2 THEN 1 ELSE 0 END)"),
        _resolved(p, t, "SUM(CASE WHEN state IN ('resolved', 'followed_up', 'closed') "
                        "THEN 1 ELSE 0 END)"))),
    (r"needs\.satisfaction_avg", lambda p, t, _: (
        None if (v := _resolved(p, t, "AVG(satisfaction)")) is None else round(float(v), 2))),
    (r"needs\.ledgers", lambda p, t, _: _q("COUNT(*)", "residents_ledger", p, "active = %s",
                                           [True])),
    (r"needs\.ideas", lambda p, t, _: _q("COUNT(*)", "needs_idea", p,
                                         per=("submitted_at", "dt"), period=t)),
    (r"volunteers\.total", lambda p, t, _: _q("COUNT(*)", "volunteers_volunteer", p)),
    (r"volunteers\.stars\.(\d)", lambda p, t, x: _stars(p, int(x))),
    (r"volunteers\.teams\.(\w+)", lambda p, t, x: _q("COUNT(*)", "volunteers_team", p,
                                                     "level = %s", [x])),
    (r"volunteers\.hours_confirmed", lambda p, t, _: _money(_q(
        "SUM(hours)", "volunteers_servicerecord", p,
        "status = 'confirmed' AND superseded_by_id IS NULL", per=("service_date", "d"),
        period=t))),
    (r"volunteers\.hours_by_team_level\.(\w+)", lambda p, t, x: _money(_q(
        "SUM(r.hours)", "volunteers_servicerecord r JOIN volunteers_team tm ON tm.id = "
        "r.team_id", p, "r.status = 'confirmed' AND r.superseded_by_id IS NULL AND "
        "tm.level = %s", [x], col="r.region_path", per=("r.service_date", "d"), period=t))),
    (r"volunteers\.activities", lambda p, t, _: _q("COUNT(*)", "volunteers_activity", p,
                                                   "status <> 'cancelled'",
                                                   per=("starts_at", "dt"), period=t)),
    (r"orgs\.total", lambda p, t, _: _q("COUNT(*)", "orgs_socialorganization", p,
                                        "status <> 'eliminated'")),
    (r"orgs\.by_category\.(\w+)", lambda p, t, x: _q(
        "COUNT(*)", "orgs_socialorganization", p, "status <> 'eliminated' AND category = %s",
        [x])),
    (r"orgs\.by_rating\.(\d)A", lambda p, t, x: _q(
        "COUNT(DISTINCT org_id)", "orgs_rating", p,
        "grade = %s AND awarded_on <= %s AND valid_until >= %s",
        [int(x), connection.ops.adapt_datefield_value(today()),
         connection.ops.adapt_datefield_value(today())])),
    (r"orgs\.excellent", lambda p, t, _: _q("COUNT(DISTINCT org_id)", "orgs_orghonour", p,
                                            "title = %s", ["优质社会组织"])),
    (r"orgs\.incubations_open", lambda p, t, _: _q(
        "COUNT(*)", "orgs_incubation", p, "stage NOT IN ('graduated', 'withdrawn')")),
    (r"orgs\.(incubating|filed|registered|suspended|eliminated)", lambda p, t, x: _q(
        "COUNT(*)", "orgs_socialorganization", p, "status = %s", [x])),
    (r"regions\.streets", lambda p, t, _: _q("COUNT(*)", "regions_region", p,
                                             "level = 'street'", col="path")),
    (r"regions\.communities", lambda p, t, _: _q("COUNT(*)", "regions_region", p,
                                                 "level = 'community'", col="path")),
    (r"regions\.population", lambda p, t, _: int(_q(
        "COALESCE(SUM(population), 0)", "regions_region", p, "level = 'community'",
        col="path"))),
    (r"sites\.(\w+)", lambda p, t, x: _q("COUNT(*)", "regions_site", p,
                                         "active = %s AND kind = %s", [True, x])),
    (r"social_workers\.total", lambda p, t, _: _q("COUNT(*)", "workforce_socialworker", p,
                                                  "status = 'active'")),
    (r"social_workers\.certified", lambda p, t, _: _q(
        "COUNT(*)", "workforce_socialworker", p, "status = 'active' AND certificate_level <> "
        "'none'")),
    (r"social_workers\.placed", lambda p, t, _: _q(
        "COUNT(*)", "workforce_socialworker", p, "status = 'active' AND site_id IS NOT NULL")),
    (r"social_workers\.by_level\.(\w+)", lambda p, t, x: _q(
        "COUNT(*)", "workforce_socialworker", p, "status = 'active' AND certificate_level = %s",
        [x])),
    (r"community_workers\.(\w+)", lambda p, t, x: _staffing(p)[x]),
    (r"people\.persons", lambda p, t, _: _q("COUNT(*)", "people_person", p)),
    (r"residents\.in_care", lambda p, t, _: _q("COUNT(*)", "residents_careprofile", p,
                                               "status = 'active'")),
    (r"residents\.in_care\.(\w+)", lambda p, t, x: _q(
        "COUNT(*)", "residents_careprofile", p, "status = 'active' AND target_group = %s", [x])),
    (r"charity\.funds\.(\w+)", lambda p, t, x: _q("COUNT(*)", "charity_fund", p,
                                                  "status <> 'draft' AND kind = %s", [x])),
    (r"charity\.raised_yuan", lambda p, t, _: _money(_q(
        "SUM(amount)", "charity_donation", p, "status = 'received'",
        per=("received_on", "d"), period=t))),
    (r"charity\.raised_yuan\.community", lambda p, t, _: _money(_q(
        "SUM(d.amount)", "charity_donation d JOIN charity_fund f ON f.id = d.fund_id", p,
        "d.status = 'received' AND f.kind = 'community'", col="d.region_path",
        per=("d.received_on", "d"), period=t))),
    (r"charity\.donors\.(\w+)", lambda p, t, x: _q(
        "COUNT(DISTINCT d.donor_id)", "charity_donation d JOIN charity_donor o ON o.id = "
        "d.donor_id", p, "d.status = 'received' AND o.kind = %s", [x], col="d.region_path",
        per=("d.received_on", "d"), period=t)),
    (r"charity\.disbursed_yuan", lambda p, t, _: _money(_q(
        "SUM(amount)", "charity_disbursement", p, "status = 'paid' AND category = "
        "'charitable'", per=("paid_at", "dt"), period=t))),
    (r"charity\.beneficiaries", lambda p, t, _: int(_q(
        "COUNT(DISTINCT CASE WHEN beneficiary_kind = 'person' THEN person_id END) + "
        "COALESCE(SUM(CASE WHEN beneficiary_kind <> 'person' THEN beneficiary_count END), 0)",
        "charity_disbursement", p, "status = 'paid' AND category = 'charitable'",
        per=("paid_at", "dt"), period=t))),
    (r"charity\.community_fund_coverage", lambda p, t, _: _rate(
        _q("COUNT(*)", "regions_region r", p, "r.level IN ('street', 'community') AND EXISTS "
           "(SELECT 1 FROM charity_fund f WHERE f.region_id = r.id AND f.kind = 'community' "
           "AND f.status = 'active')", col="r.path"),
        _q("COUNT(*)", "regions_region", p, "level IN ('street', 'community')", col="path"))),
    (r"projects\.total", lambda p, t, _: _q("COUNT(*)", "projects_serviceproject", p,
                                            per=("year", "y"), period=t)),
    (r"projects\.purchased", lambda p, t, _: _q(
        "COUNT(*)", "projects_serviceproject", p, f"status IN {PURCHASED!r}",
        per=("year", "y"), period=t)),
    (r"projects\.budget_yuan", lambda p, t, _: _money(_q(
        "SUM(c.amount)", "projects_contract c JOIN projects_serviceproject sp ON sp.id = "
        "c.project_id", p, f"sp.status IN {PURCHASED!r}", col="c.region_path",
        per=("sp.year", "y"), period=t))),
    (r"projects\.leveraged_yuan", lambda p, t, _: _money(_q(
        "SUM(leveraged)", "projects_serviceproject", p, f"status IN {PURCHASED!r}",
        per=("year", "y"), period=t))),
    (r"projects\.by_domain\.(\w+)", lambda p, t, x: _q(
        "COUNT(*)", "projects_serviceproject", p, "domain = %s", [x], per=("year", "y"),
        period=t)),
    (r"projects\.by_status\.(\w+)", lambda p, t, x: _q(
        "COUNT(*)", "projects_serviceproject", p, "status = %s", [x], per=("year", "y"),
        period=t)),
    (r"supervision\.total", lambda p, t, _: _q("COUNT(*)", "supervision_supervision", p,
                                               "status = 'done'", per=("done_on", "d"),
                                               period=t)),
    (r"supervision\.centralised", lambda p, t, _: _q(
        "COUNT(*)", "supervision_supervision", p, "status = 'done' AND kind = 'centralised'",
        per=("done_on", "d"), period=t)),
    (r"supervision\.consultations", lambda p, t, _: _q(
        "COUNT(*)", "supervision_supervision", p, "status = 'done' AND kind = 'consultation'",
        per=("done_on", "d"), period=t)),
    (r"supervision\.overdue", lambda p, t, _: _q(
        "COUNT(*)", "supervision_supervision", p, "status = 'planned' AND scheduled_on < %s",
        [connection.ops.adapt_datefield_value(today())])),
    (r"evaluation\.excellent_orgs", lambda p, t, _: _q(
        "COUNT(DISTINCT provider_id)", "evaluation_evaluation", p, "status = 'decided' AND "
        "stage = 'final' AND grade = 'excellent'", per=("year", "y"), period=t)),
    (r"evaluation\.renewed", lambda p, t, _: _q(
        "COUNT(*)", "evaluation_evaluation", p, "status = 'decided' AND stage = 'final' AND "
        "decision = 'renew'", per=("year", "y"), period=t)),
    (r"evaluation\.eliminated", lambda p, t, _: _q(
        "COUNT(DISTINCT provider_id)", "evaluation_evaluation", p, "status = 'decided' AND "
        "decision = 'eliminate'", per=("year", "y"), period=t)),
    (r"evaluation\.by_grade\.(\w+)", lambda p, t, x: _q(
        "COUNT(*)", "evaluation_evaluation", p, "status = 'decided' AND grade = %s", [x],
        per=("year", "y"), period=t)),
    # In force today, whatever the period: in effect (or issued, without a date of effect)
    # and not repealed.
    (r"policies\.documents", lambda p, t, _: _q(
        "COUNT(*)", "policies_policydocument", p,
        "COALESCE(effective_on, issued_on) <= %s AND (repealed_on IS NULL OR repealed_on > %s)",
        [connection.ops.adapt_datefield_value(today())] * 2)),
]


def raw_value(key: str, path: str, period: Period) -> Any:
    for pattern, fn in RAW:
        m = re.fullmatch(pattern, key)
        if m:
            value = fn(path, period, m.group(1) if m.groups() else "")
            return int(value) if isinstance(value, int | Decimal) and not isinstance(
                value, bool) and float(value).is_integer() else value
    raise KeyError(f"no raw SQL for KPI {key}")
