"""The PostgreSQL intake block (#18 item 7): registered; null with a reason when it cannot or
should not run. Its figures come from `make bench` (the run needs a cluster and minutes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe.core import pgtemp
from wushe.core.figures import BENCHES
from wushe.needs import bench_postgres


def test_registered() -> None:
    assert BENCHES["needs_postgres"] is bench_postgres.needs_postgres_bench


def test_a_smoke_run_skips_it_with_a_reason() -> None:
    out = BENCHES["needs_postgres"]({"smoke": True, "profile": "small"})
    assert out["intake_rps_postgres"] is None
    assert out["intake_vs_empty_endpoint_ratio_postgres"] is None
    assert "smoke" in out[bench_postgres.SKIP_KEY]


def test_without_server_binaries_the_figures_are_null_and_nothing_starts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUSHE_PG_BIN", str(tmp_path / "nowhere"))
    assert not pgtemp.available()
    out = bench_postgres.intake_postgres(tmp_path, tmp_path / "work", print)
    assert out["intake_rps_postgres"] is None
    assert out["intake_vs_empty_endpoint_ratio_postgres"] is None
    assert "not found" in out[bench_postgres.SKIP_KEY]
    assert not (tmp_path / "work").exists()
