"""Figures for ``wushe stats``: the hardship ledgers (台账) of a region's subtree.

The key keeps its name (``needs.ledgers``, as the needs figures had it) so the output does
not change; the count is here because the ledgers are this app's (needs imports no residents).
"""

from __future__ import annotations

from typing import Any

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.residents.models import Ledger


@stats_block("residents")
def residents_figures(path: str) -> dict[str, Any]:
    return {"needs.ledgers": Ledger.objects.unscoped(reason="kpi: filtered by the region path").filter(
        subtree_q("region_path", path), active=True).count()}
