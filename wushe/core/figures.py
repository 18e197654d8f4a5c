"""Registries that apps fill in ``ready()``: figures for ``wushe stats`` and benchmarks for
``wushe bench``. Each app owns its block; the commands only collect.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

# name -> fn(region_path) -> {key: value}; keys are "block.name"
STATS: dict[str, Callable[[str], dict[str, Any]]] = {}
# name -> fn(options) -> {key: value}
BENCHES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def stats_block(name: str) -> Callable[[Callable[[str], dict[str, Any]]], Callable[[str], dict[str, Any]]]:
    def deco(fn: Callable[[str], dict[str, Any]]) -> Callable[[str], dict[str, Any]]:
        STATS[name] = fn
        return fn

    return deco


def bench(name: str) -> Callable[[Callable[[dict[str, Any]], dict[str, Any]]], Callable[[dict[str, Any]], dict[str, Any]]]:
    def deco(fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
        BENCHES[name] = fn
        return fn

    return deco


def collect_stats(region_path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fn in STATS.values():
        out.update(fn(region_path))
    return out


def percentile_ms(seconds: list[float], q: float) -> float:
    """Nearest-rank percentile of timings in seconds, in milliseconds rounded to 0.01: the
    benches' one definition of p50/p95/p99."""
    ordered = sorted(seconds)
    rank = max(1, math.ceil(q * len(ordered)))
    return round(ordered[rank - 1] * 1000, 2)
