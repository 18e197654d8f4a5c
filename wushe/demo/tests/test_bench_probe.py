"""The benchmarks' measuring code, run cheaply on the small demo (the real runs are slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe.core.figures import BENCHES, percentile_ms
from wushe.demo.bench_people import measure
from wushe.demo.build import build_demo


def test_demo_and_people_benchmarks_are_registered() -> None:
    assert {"demo_build", "people"} <= set(BENCHES)


def test_percentile_is_nearest_rank_in_milliseconds() -> None:
    values = [i / 1000 for i in range(1, 101)]  # 1 … 100 ms
    assert (percentile_ms(values, 0.50), percentile_ms(values, 0.95)) == (50.0, 95.0)


@pytest.mark.django_db
def test_people_probe_pages_and_looks_up_in_bounded_queries(tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)
    figures = measure(iterations=5, lookups=5, seed=1)
    assert figures["persons"] == 2_000
    assert 0 < figures["person_list_rows"] < 2_000  # one street of nineteen
    assert figures["person_list_queries"] == 4  # grants, count, page ids, rows (regions joined)
    assert figures["person_lookup_count"] == 5
    assert figures["person_lookup_queries"] == 2  # grants, lookup
