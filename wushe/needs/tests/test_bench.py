"""The needs benchmarks are registered and their probe measures what it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wushe.core.figures import BENCHES, percentile_ms
from wushe.demo.build import build_demo
from wushe.needs import bench


def test_registered() -> None:
    assert "needs" in BENCHES


def test_percentile() -> None:
    assert percentile_ms([0.001, 0.002, 0.003, 0.004], 0.5) == 2.0
    assert percentile_ms([0.010] * 99 + [1.0], 0.99) == 10.0


def test_suggestions_probe_on_the_small_demo(db: Any, tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)
    figures = bench.measure_suggestions(20, 2026)
    assert figures["suggestions_samples"] == 20
    assert figures["suggestions_candidates_avg"] > 0
    from wushe.needs.linkage import PROVIDERS

    # bounded by the number of societies, whatever the district's size
    assert figures["suggestions_queries"] <= 4 + 2 * len(PROVIDERS)
    assert figures["suggestions_p95_ms"] >= figures["suggestions_p50_ms"] > 0
