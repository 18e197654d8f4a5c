"""Every figure of the platform, defined once (see base.py for the machinery).

``KPIS`` maps key → Kpi; ``compute(path, period, keys=None)`` computes them live for a region
subtree; the rollup (reports/rollup.py) stores the same values per region node and period for
the cockpit. Catalogue modules by the seed text's sections: governance (治理体系), services
(服务效能), resources (资源渠道), projects (社区服务项目).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wushe.reports.kpis import governance, policies, projects, resources, services  # noqa: F401
from wushe.reports.kpis.base import REGISTRY, Kpi, Period, Unit, compute_many, grouped_many

KPIS: dict[str, Kpi] = REGISTRY.kpis

SECTIONS = (
    ("governance", "创新社区治理体系", "The governance system"),
    ("services", "激发社区服务动能", "Service momentum"),
    ("projects", "落实社区服务项目", "Community service projects"),
    ("resources", "拓宽社区资源渠道", "Resource channels"),
)


def compute(path: str, period: Period, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """Live values for the subtree of ``path`` (set-based: one query per source)."""
    chosen = [KPIS[k] for k in keys] if keys is not None else list(KPIS.values())
    return compute_many(chosen, path, period)


def stats_figures(path: str, prefixes: tuple[str, ...]) -> dict[str, Any]:
    """The figures of ``wushe stats`` for the KPIs whose keys start with ``prefixes``, over
    the whole period: what an app's stats.py can return so both read one definition, e.g.
    ``return stats_figures(path, ("needs.",))``."""
    return compute(path, Period.all(), [k for k in KPIS if k.startswith(prefixes)])


__all__ = ["KPIS", "SECTIONS", "Kpi", "Period", "Unit", "compute", "get", "grouped_many",
           "stats_figures"]
