"""Every figure of the workforce stats block against an independent count."""

from __future__ import annotations

import math

from django.db import connection

from wushe.regions.services import rule_set
from wushe.workforce.services import community_worker_create, social_worker_create
from wushe.workforce.stats import workforce_figures
from wushe.workforce.tests.conftest import community_worker_values


def _rows(sql: str, params: list[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_workforce_figures_match_raw_sql(ow, persons):
    admin = ow.users["admin"]
    social_worker_create(actor=admin, person=persons["a1"], site=ow.room_a,
                         certificate_level="assistant", certificate_number="A20205001000001")
    social_worker_create(actor=admin, person=persons["a2"], region=ow.street_b)
    social_worker_create(actor=admin, person=persons["a3"], region=ow.community_a,
                         certificate_level="senior", certificate_number="C20205001000002",
                         status="left")
    community_worker_create(actor=admin, person=persons["a1"], community=ow.community_a,
                            **community_worker_values())
    community_worker_create(actor=admin, person=persons["c1"], community=ow.community_c,
                            **community_worker_values())
    community_worker_create(actor=admin, person=persons["a3"], community=ow.community_c,
                            **community_worker_values(status="left"))
    rule_set(actor=admin, region=ow.community_b, key="workforce.staffing_floor", raw="0")
    rule_set(actor=admin, region=ow.street_b, key="workforce.staffing_ratio", raw="10")
    for path in (ow.district.path, ow.street.path, ow.street_b.path):
        f = workforce_figures(path)
        like = path + "%"
        (total, certified, placed), = _rows(
            "SELECT COUNT(*), SUM(CASE WHEN certificate_level <> 'none' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN site_id IS NOT NULL THEN 1 ELSE 0 END) FROM workforce_socialworker "
            "WHERE status = 'active' AND region_path LIKE %s", [like])
        assert (f["social_workers.total"], f["social_workers.certified"],
                f["social_workers.placed"]) == (total, certified or 0, placed or 0)
        (active,), = _rows("SELECT COUNT(*) FROM workforce_communityworker WHERE status = 'active' "
                           "AND region_path LIKE %s", [like])
        assert f["community_workers.total"] == active
        # Required and shortfall by hand: population, rule per community, worker counts.
        communities = _rows("SELECT id, path, population FROM regions_region "
                            "WHERE level = 'community' AND path LIKE %s", [like])
        required = short = 0
        for pk, cpath, population in communities:
            ratio = 10 if cpath.startswith(ow.street_b.path) else 18
            floor = 0 if cpath == ow.community_b.path else 2
            need = max(floor, math.ceil(population * ratio / 10_000))
            (have,), = _rows("SELECT COUNT(*) FROM workforce_communityworker WHERE "
                             "community_id = %s AND status = 'active'", [pk])
            required += need
            short += have < need
        assert f["community_workers.required"] == required
        assert f["community_workers.shortfall_communities"] == short
    district = workforce_figures(ow.district.path)
    assert (district["social_workers.total"], district["social_workers.certified"],
            district["social_workers.placed"]) == (2, 1, 1)
    # 8,000 → 15; 6,000 with floor 0 → 11; 1,112 at ratio 10 → 2 (floor).
    assert district["community_workers.required"] == 15 + 11 + 2


def test_coverage_lists_communities_without_a_placed_worker(ow, persons):
    from wushe.regions.coverage import coverage

    social_worker_create(actor=ow.users["admin"], person=persons["a1"], site=ow.room_a)
    results = {r.check.code: r for r in coverage(actor=ow.users["street"], region=ow.street)}
    result = results["community_without_placed_social_worker"]
    assert result.total == 2 and [r.code for r in result.missing] == [ow.community_b.code]
