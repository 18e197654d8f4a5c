"""``wushe stats`` reads the KPI module: one definition of every figure.

Each capability app registered its own stats block while it was built (``<app>/stats.py``);
the reports app, installed after them all, puts the KPI module in front of those blocks, so
the command, the cockpit, the exports and the annual report give the same number for the same
key. The apps' functions stay as the independent cross-checks their tests run against raw
SQL, and ``tests/test_kpis_raw_sql.py`` holds the KPI module to those same figures. Accounts'
``users.*`` (how many accounts hold each role) are not KPIs of the seed text and stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wushe.core.figures import STATS
from wushe.reports.kpis import stats_figures

# stats block name → the KPI key prefixes that answer it.
BLOCKS: dict[str, tuple[str, ...]] = {
    "regions": ("regions.", "sites."),
    "people": ("people.",),
    "volunteers": ("volunteers.",),
    "orgs": ("orgs.",),
    "workforce": ("social_workers.", "community_workers."),
    "charity": ("charity.",),
    "residents": ("residents.",),
    "needs": ("needs.",),
    "projects": ("projects.",),
    "supervision": ("supervision.",),
    "evaluation": ("evaluation.",),
    "policies": ("policies.",),
}


def _block(prefixes: tuple[str, ...]) -> Callable[[str], dict[str, Any]]:
    def figures(path: str) -> dict[str, Any]:
        return stats_figures(path, prefixes)

    figures.__qualname__ = f"kpis[{','.join(prefixes)}]"
    return figures


def install() -> None:
    """Serve every block above from the KPI module (called from ReportsConfig.ready)."""
    for name, prefixes in BLOCKS.items():
        STATS[name] = _block(prefixes)
