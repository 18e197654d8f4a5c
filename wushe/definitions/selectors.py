"""Reads of the KPI dictionary, scoped: a district's versions are read by the staff who hold
``reports.view`` inside the district (its subtree) or above it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.core.errors import NotFound
from wushe.definitions.models import DictionaryVersion, VersionState

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "reports.view"


def visible(actor: Actor) -> QuerySet[DictionaryVersion]:
    qs = DictionaryVersion.objects.mark_scoped()
    q = scope.binding_q(actor, VIEW)
    return qs if q is None else qs.filter(q)


def version_list(*, actor: Actor) -> QuerySet[DictionaryVersion]:
    return visible(actor).select_related("proposed_by", "approved_by").defer("entries")


def version_get(*, actor: Actor, version_id: int) -> DictionaryVersion:
    try:
        return visible(actor).select_related("proposed_by", "approved_by").get(pk=version_id)
    except (DictionaryVersion.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def approved(*, actor: Actor) -> DictionaryVersion | None:
    """The version in force for the actor: the newest approved one they may read."""
    return (visible(actor).filter(state=VersionState.APPROVED)
            .select_related("proposed_by", "approved_by").order_by("-approved_at", "-number")
            .first())


def approved_for_region(path: str) -> DictionaryVersion | None:
    """The approved version of the district ``path`` lies in (the annual report of a region
    cites it; the report's reader already holds the region)."""
    return (DictionaryVersion.objects.unscoped(reason="report: the reader holds the region").filter(
        state=VersionState.APPROVED, region_path=path[:6])
        .select_related("approved_by").order_by("-approved_at", "-number").first())


def citation(path: str, lang: str) -> str | None:
    """The approval text of the version the annual report of ``path`` cites, or None when none
    is approved yet (reports/kpis/history.py)."""
    version = approved_for_region(path)
    return version.approval_text(lang) if version is not None else None


def pending(*, actor: Actor) -> QuerySet[DictionaryVersion]:
    return version_list(actor=actor).filter(state=VersionState.DRAFT)


def awaiting_approval(*, actor: Actor) -> QuerySet[DictionaryVersion]:
    """Drafts the actor may approve: in their district-admin scope, never their own."""
    from wushe.definitions.services import MANAGE

    if not scope.has_perm(actor, MANAGE):
        return DictionaryVersion.objects.unscoped(reason="none(): reads no row").none()  # no query for those who may not approve
    qs = pending(actor=actor).exclude(proposed_by=signed_in(actor))
    q = scope.filter_q(actor, MANAGE, "region_path")
    return qs if q is None else qs.filter(q)
