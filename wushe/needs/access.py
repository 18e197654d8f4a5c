"""Who may see and act on a need: region scope (accounts.scope), the minors rule, and the
assignees the linkage brought in. The one place the needs app decides it.

* A need is visible with NEED_VIEW over its region; a need about a minor also needs
  CARE_MINORS there (the roles that work with children).
* An assignee sees the needs assigned to it even without region scope (an organisation's
  staff, a team leader), through the provider's ``acting_for`` / the assignment's user.
* An assignment opens its need only while it serves its purpose (#22 item 4, PIPL Art. 6):
  while it is active (waiting to be taken, taken); once returned or cancelled, never again.
  An assignee whose part is done keeps a read-only view, without the resident's contact
  details, while the need is worked on and for ``WUSHE_ASSIGNEE_READ_DAYS`` after it is
  resolved; then the need is closed to it too.
* Outside both, a need does not exist (NotFound), so its existence never leaks.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied
from wushe.needs import linkage, perms
from wushe.needs.categories import NeedGroup

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def assignee_q(actor: Actor, prefix: str = "") -> Q:
    """Assignments the actor acts for (as the assigned user or through a provider)."""
    pk = getattr(actor, "pk", None)
    q = Q(**{f"{prefix}user_id": pk}) if pk else Q(pk__in=[])
    for society in linkage.registered():
        provider = linkage.PROVIDERS[society]
        try:
            ids = provider.acting_for(actor)
        except Exception:  # a provider's bug must not open or close anyone's list
            ids = []
        if ids:
            q |= Q(**{f"{prefix}society": society, f"{prefix}object_id__in": ids})
    return q


def region_q(actor: Actor, perm: str = perms.NEED_VIEW) -> Q | None:
    """Needs the actor sees by region (minors rule applied); None means all (superuser)."""
    q = scope.filter_q(actor, perm, "region_path")
    if q is None:
        return None
    minor_paths = scope.paths(actor, perms.CARE_MINORS)
    if all(any(p.startswith(m) for m in minor_paths) for p in scope.paths(actor, perm)):
        # The minors rule adds nothing where the actor works with children everywhere it sees:
        # leave the plain path range, which the database answers from the region_path index.
        return q
    minors = scope.filter_q(actor, perms.CARE_MINORS, "region_path")
    return q & (~Q(target_group=NeedGroup.MINOR) | (minors if minors is not None else Q()))


def read_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Needs resolved before this moment are closed to the assignees whose part was done."""
    days = int(getattr(settings, "WUSHE_ASSIGNEE_READ_DAYS", 90))
    return (now or timezone.now()) - dt.timedelta(days=days)


def done_part_q(now: dt.datetime | None = None, prefix: str = "") -> Q:
    """Assignments whose part is done and still give a read-only view: the need is still being
    worked on, or was resolved within the retention window (over Assignment rows)."""
    from wushe.needs.models import AssignmentState
    from wushe.needs.workflow import DONE, OPEN

    return Q(**{f"{prefix}state": AssignmentState.DONE}) & (
        Q(**{f"{prefix}need__state__in": OPEN})
        | Q(**{f"{prefix}need__state__in": DONE,
               f"{prefix}need__resolved_at__gte": read_cutoff(now)}))


def open_assignment_q(now: dt.datetime | None = None) -> Q:
    """Assignments that open their need now: active, or done within the window."""
    from wushe.needs.models import ACTIVE_ASSIGNMENT

    return Q(state__in=ACTIVE_ASSIGNMENT) | done_part_q(now)


def visible_needs(actor: Actor, qs: QuerySet[Any] | None = None) -> QuerySet[Any]:
    from wushe.needs.models import Assignment, Need

    base: Any = qs if qs is not None else Need.objects.all()
    q = region_q(actor)
    scoped: QuerySet[Any]
    if q is None:
        scoped = base.mark_scoped()
    elif not getattr(actor, "is_authenticated", False):
        scoped = base.mark_scoped().none()
    else:
        assigned = (Assignment.objects.mark_scoped().filter(assignee_q(actor))
                    .filter(open_assignment_q()).values("need_id"))
        scoped = base.filter(q | Q(pk__in=assigned)).mark_scoped()
    return scoped


def sees_by_region(actor: Actor, need: Any) -> bool:
    if not scope.covers(actor, perms.NEED_VIEW, need.region_path):
        return False
    return need.target_group != NeedGroup.MINOR or scope.covers(actor, perms.CARE_MINORS,
                                                                 need.region_path)


def acts_for(actor: Actor, assignment: Any) -> bool:
    provider = linkage.get(assignment.society)
    if provider is not None:
        try:
            return bool(provider.may_act(actor, assignment))
        except Exception:
            return False
    return assignment.user_id is not None and assignment.user_id == getattr(actor, "pk", None)


def is_assignee(actor: Actor, need: Any, *, lead_only: bool = False) -> bool:
    from wushe.needs.models import ACTIVE_ASSIGNMENT, Assignment, AssignmentRole

    qs = Assignment.objects.unscoped(reason="access: checked by acts_for just below").filter(need_id=need.pk, state__in=ACTIVE_ASSIGNMENT)
    if lead_only:
        qs = qs.filter(role=AssignmentRole.LEAD)
    return any(acts_for(actor, a) for a in qs)


def is_past_assignee(actor: Actor, need: Any) -> bool:
    """The actor's part on the need is done and the read-only window is still open."""
    from wushe.needs.models import Assignment

    qs = Assignment.objects.unscoped(reason="access: checked by acts_for just below").filter(done_part_q(), need_id=need.pk)
    return any(acts_for(actor, a) for a in qs)


def may_see(actor: Actor, need: Any) -> bool:
    return (scope.is_superuser(actor) or sees_by_region(actor, need)
            or is_assignee(actor, need) or is_past_assignee(actor, need))


def sees_contact(actor: Actor, need: Any) -> bool:
    """Whether the page and the API show the resident's (masked) contact details, and offer
    to unmask them: not to an assignee whose part is done (its read-only view has none)."""
    return (scope.is_superuser(actor) or sees_by_region(actor, need)
            or is_assignee(actor, need))


def may(actor: Actor, perm: str, need: Any) -> bool:
    """Holds ``perm`` over the need's region (and, for a child's need, the minors rule)."""
    return scope.covers(actor, perm, need.region_path) and (
        need.target_group != NeedGroup.MINOR
        or scope.covers(actor, perms.CARE_MINORS, need.region_path))


def require(actor: Actor, perm: str, need: Any, *, or_lead: bool = False,
            or_assignee: bool = False) -> None:
    """Raise unless the actor may act: by permission over the region, or as the lead (or any)
    assignee when allowed. NotFound when the need is not even visible."""
    if may(actor, perm, need):
        return
    if or_lead and is_assignee(actor, need, lead_only=True):
        return
    if or_assignee and is_assignee(actor, need):
        return
    if may_see(actor, need):
        raise PermissionDenied()
    raise NotFound()
