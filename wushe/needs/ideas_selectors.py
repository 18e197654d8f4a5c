"""Reads of the ideas board (自治金点子), in the actor's region scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from wushe.accounts import scope
from wushe.core.errors import ValidationFailed
from wushe.core.ids import region_code_text
from wushe.needs import perms
from wushe.needs.models import Idea, IdeaComment, IdeaState
from wushe.regions.models import Region


def idea_list(*, actor: Any, state: str = "", region_code: str = "", q: str = "") -> QuerySet[Idea]:
    qs = scope.visible(Idea.objects, actor, perms.IDEA_VIEW)
    if state:
        if state not in IdeaState.values:
            raise ValidationFailed("状态无效", "Unknown status", field="state")
        qs = qs.filter(state=state)
    if region_code:
        code = region_code_text(region_code)
        region = Region.objects.unscoped().filter(code=code).only("path").first() \
            if code.isdigit() else None
        qs = qs.filter(scope.subtree_q("region_path", region.path)) if region else qs.none()
    if q.strip():
        qs = qs.filter(title__contains=q.strip())
    return qs.select_related("region").order_by("-submitted_at", "-id")


def idea_counts(*, actor: Any) -> dict[str, int]:
    rows = scope.visible(Idea.objects, actor, perms.IDEA_VIEW).values("state") \
        .annotate(n=Count("id")).values_list("state", "n")
    return dict(rows)


def idea_get(*, actor: Any, idea_id: object) -> Idea:
    return scope.get_or_404(Idea.objects.select_related("region", "decided_by"), actor,
                            perms.IDEA_VIEW, pk=idea_id)


def idea_comments(*, idea: Idea) -> QuerySet[IdeaComment]:
    return IdeaComment.objects.unscoped().filter(idea_id=idea.pk).order_by("at", "id")
