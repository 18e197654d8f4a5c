from __future__ import annotations

from typing import Any

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.people.models import Person


@stats_block("people")
def people_figures(path: str) -> dict[str, Any]:
    return {"people.persons": Person.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path))
            .count()}
