"""Who may see, score and decide an evaluation, and the conflict-of-interest rule.

Scope is the evaluation's region (copied from its project) through accounts.scope: a region
grant with ``evaluation.view`` sees it, ``evaluation.score`` may score it *if* the actor holds
a seat on its committee, ``evaluation.manage`` (the district) sets up committees, enters the
paper sheets of recipients without an account, and records the decision.

Conflict of interest: nobody may sit on, or score for, the committee of a project delivered by
an organisation they belong to. Belonging is an org_staff grant on that organisation
(accounts.RoleGrant.org). The orgs app's member roster (OrgMember) holds names only, no
account, so it cannot be matched to a user and is not consulted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.models import RoleGrant
from wushe.accounts.roles import Role
from wushe.core.errors import ValidationFailed

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "evaluation.view"
SCORE = "evaluation.score"
MANAGE = "evaluation.manage"


def can_manage(actor: Actor, evaluation: Any) -> bool:
    return scope.covers(actor, MANAGE, evaluation.region_path)


def require_manage(actor: Actor, evaluation: Any) -> None:
    scope.require(actor, MANAGE, evaluation, view_perm=VIEW)


def require_view(actor: Actor, evaluation: Any) -> None:
    scope.require(actor, VIEW, evaluation)


def belongs_to(user: Any, org_id: int | None) -> bool:
    """The user works for the organisation (an org_staff grant on it)."""
    if user is None or not getattr(user, "pk", None) or org_id is None:
        return False
    return bool(RoleGrant.objects.mark_scoped().filter(user_id=user.pk, role=Role.ORG_STAFF,
                                                    org_id=org_id).exists())


def require_no_conflict(user: Any, evaluation: Any, *, field: str = "user") -> None:
    if belongs_to(user, evaluation.provider_id):
        name = getattr(user, "display_name", "") or getattr(user, "username", "")
        raise ValidationFailed(
            f"利益冲突:{name}属于承接该项目的社会组织,不能参与该项目的评估",
            f"Conflict of interest: {name} belongs to the organisation delivering this project "
            "and may not evaluate it", field=field, code="conflict_of_interest")


def may_score(actor: Actor, member: Any) -> bool:
    """The seat's own account; a seat without an account: whoever manages the evaluation."""
    evaluation = member.evaluation
    if not scope.covers(actor, SCORE, evaluation.region_path):
        return False
    if member.user_id is not None:
        return bool(member.user_id == getattr(actor, "pk", None))
    return can_manage(actor, evaluation)
