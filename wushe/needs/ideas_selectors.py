"""Reads of the ideas board (自治金点子), in the actor's region scope."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum

from wushe.accounts import scope
from wushe.charity.models import DisbursementStatus
from wushe.core.errors import ValidationFailed
from wushe.core.ids import region_code_text
from wushe.needs import perms
from wushe.needs.models import Idea, IdeaComment, IdeaState
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# A disbursement in one of these states holds budget; a rejected, cancelled or reversed one
# gives it back.
HOLDING = (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED, DisbursementStatus.PAID)


def idea_list(*, actor: Actor, state: str = "", region_code: str = "", q: str = "") -> QuerySet[Idea]:
    qs = scope.visible(Idea.objects, actor, perms.IDEA_VIEW)
    if state:
        if state not in IdeaState.values:
            raise ValidationFailed("状态无效", "Unknown status", field="state")
        qs = qs.filter(state=state)
    if region_code:
        code = region_code_text(region_code)
        region = Region.objects.unscoped(reason="reference: the region tree").filter(code=code).only("path").first() \
            if code.isdigit() else None
        qs = qs.filter(scope.subtree_q("region_path", region.path)) if region else qs.none()
    if q.strip():
        qs = qs.filter(title__contains=q.strip())
    return qs.select_related("region").order_by("-submitted_at", "-id")


def idea_counts(*, actor: Actor) -> dict[str, int]:
    rows = scope.visible(Idea.objects, actor, perms.IDEA_VIEW).values("state") \
        .annotate(n=Count("id")).values_list("state", "n")
    return dict(rows)


def idea_get(*, actor: Actor, idea_id: object) -> Idea:
    return scope.get_or_404(Idea.objects.select_related("region", "decided_by"), actor,
                            perms.IDEA_VIEW, pk=idea_id)


def idea_comments(*, idea: Idea) -> QuerySet[IdeaComment]:
    return IdeaComment.objects.unscoped(reason="children of a row read in scope").filter(idea_id=idea.pk).order_by("at", "id")


def budget_list(*, actor: Actor, year: int | None = None) -> QuerySet[Any]:
    from wushe.needs.models import IdeaBudget

    qs = scope.visible(IdeaBudget.objects, actor, perms.BUDGET_VIEW)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("region", "fund").order_by("-year", "region_path")


def budget_get(*, actor: Actor, budget_id: object) -> Any:
    from wushe.needs.models import IdeaBudget

    return scope.get_or_404(IdeaBudget.objects.select_related("region", "fund"), actor,
                            perms.BUDGET_VIEW, pk=budget_id)


def budget_funds(*, regions: list[Region]) -> list[Any]:
    """The active community funds a budget may draw on: those of the regions the actor sets
    budgets for (the caller passes only regions in its scope)."""
    from wushe.charity.models import Fund

    return list(Fund.objects.unscoped(reason="scope: funds of the regions the actor holds")
                .filter(kind="community", status="active", region__in=regions).order_by("name"))


def budget_allocations(*, budget: Any) -> QuerySet[Any]:
    from wushe.needs.models import IdeaAllocation

    return (IdeaAllocation.objects.unscoped(reason="children of a row read in scope").filter(budget_id=budget.pk)
            .select_related("idea", "disbursement").order_by("-created_at", "-id"))


def public_idea_get(*, code: object) -> Idea:
    """An idea on the public board by its number (names of places and titles are public; the
    submitter never is)."""
    from wushe.core.errors import NotFound

    text = str(code or "").strip().upper()[:20]
    idea = (Idea.objects.unscoped(reason="public: the idea board, nothing personal").select_related("region")
            .only("id", "code", "title", "body", "state", "region__name", "submitted_at",
                  "support_count", "paper_support_count", "decision_reason", "region_path")
            .filter(code=text).first())
    if idea is None:
        raise NotFound("点子不存在", "No idea has this number")
    return idea


# --- 自治金 figures: a budget read in scope, an idea read in scope or on the public board ---

def budget_allocated(budget: Any) -> Decimal:
    from wushe.needs.models import IdeaAllocation

    total = (IdeaAllocation.objects.unscoped(reason="children of a row read in scope")
             .filter(budget=budget, disbursement__status__in=HOLDING)
             .aggregate(s=Sum("amount"))["s"])
    return Decimal(total or 0)


def budget_remaining(budget: Any) -> Decimal:
    return budget.amount - budget_allocated(budget)


def idea_money(idea: Idea) -> dict[str, Any] | None:
    """The idea's money as the disbursement stands: allocated, paid, and the status."""
    from wushe.needs.models import IdeaAllocation

    alloc = (IdeaAllocation.objects.unscoped(reason="children of a row read in scope")
             .select_related("disbursement").filter(idea_id=idea.pk).first())
    if alloc is None:
        return None
    d = alloc.disbursement
    return {"allocated": alloc.amount, "status": d.status,
            "status_label": d.get_status_display(),
            "paid": d.amount if d.status == DisbursementStatus.PAID else Decimal("0")}
