"""Who may see and do what with a fund and everything bound to it.

Two sources of scope, both from accounts.scope: region grants (a district admin over the
district, a street officer over its street …) and fund object grants (a fund manager over the
funds it manages). Rows bound to a fund (donations, disbursements, ledger entries, disclosures)
carry the fund's region path and the fund id, so one Q covers both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW, MANAGE, APPROVE = "charity.view", "charity.manage", "charity.approve"


def fund_q(actor: Actor, perm: str, *, fund_field: str = "fund_id",
           path_field: str = "region_path") -> Q | None:
    """Rows of funds the actor holds ``perm`` on; None means all (superuser)."""
    region_q = scope.filter_q(actor, perm, path_field)
    if region_q is None:
        return None
    ids = scope.object_ids(actor, "fund", perm)
    return region_q | Q(**{f"{fund_field}__in": ids}) if ids else region_q


def visible(qs: QuerySet[Any], actor: Actor, perm: str = VIEW, *,
            fund_field: str = "fund_id") -> QuerySet[Any]:
    """The fund-bound rows of ``qs`` the actor may see. Scope comes from accounts.scope (its
    region filter and the fund object grants); the result is marked scoped."""
    q = fund_q(actor, perm, fund_field=fund_field)
    if q is not None:
        qs = qs.filter(q)
    return qs.mark_scoped() if hasattr(qs, "mark_scoped") else qs


def holds(actor: Actor, perm: str, fund: Any) -> bool:
    """Does the actor hold ``perm`` over this fund (by region or by object grant)?"""
    return (scope.covers(actor, perm, fund.region_path)
            or fund.pk in scope.object_ids(actor, "fund", perm))


def require(actor: Actor, perm: str, fund: Any) -> None:
    """Raise NotFound if the actor cannot even see the fund, PermissionDenied if it can but
    lacks ``perm``: existence never leaks."""
    if holds(actor, perm, fund):
        return
    if holds(actor, VIEW, fund):
        raise PermissionDenied()
    raise NotFound()


def manages_somewhere(actor: Actor, perm: str = MANAGE) -> bool:
    return scope.has_perm(actor, perm)


def region_allows(actor: Actor, perm: str, path: str) -> bool:
    """May the actor act (``perm``) for a region: by region grant, or by managing a fund whose
    region contains it (a fund manager registers donors where its fund works)."""
    if scope.covers(actor, perm, path):
        return True
    return any(path.startswith(p) for p in _fund_paths(actor, perm))


def _fund_paths(actor: Actor, perm: str) -> list[str]:
    """Region paths of the funds the actor holds ``perm`` on, cached on the actor for the
    request (like accounts.scope caches the grants)."""
    cache: dict[str, list[str]] = getattr(actor, "_charity_fund_paths", None) or {}
    if perm not in cache:
        ids = scope.object_ids(actor, "fund", perm)
        from wushe.charity.models import Fund

        cache[perm] = sorted(set(Fund.objects.mark_scoped().filter(pk__in=ids)
                                 .values_list("region_path", flat=True))) if ids else []
        if actor is not None:
            cast(Any, actor)._charity_fund_paths = cache  # a per-request cache, not a field
    return cache[perm]
