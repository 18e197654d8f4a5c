from __future__ import annotations

from typing import Any

from django.db.models import Count

from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block


@stats_block("users")
def user_figures(path: str) -> dict[str, Any]:
    counts = dict(RoleGrant.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path),
                                                      user__is_active=True)
                  .values("role").annotate(n=Count("user", distinct=True))
                  .values_list("role", "n"))
    return {f"users.{role}": counts.get(role, 0) for role in Role.values}
