"""Reads of evaluations, scoped through accounts.scope (``evaluation.view`` over the project's
region); the committee, sheets and survey answers are read through their evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.evaluation import access, scoring
from wushe.evaluation.indicators import default_indicator_set
from wushe.evaluation.models import (
    PARTIES,
    CommitteeMember,
    EvalStatus,
    Evaluation,
    Grade,
    Indicator,
    IndicatorSet,
    Party,
    Score,
    Stage,
)
from wushe.projects import workflow

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

LIST_RELATED = ("project", "provider", "region")


@dataclass(frozen=True)
class EvalFilters:
    q: str = ""
    year: int | None = None
    stage: str = ""
    status: str = ""
    grade: str = ""
    decision: str = ""

    def as_q(self) -> Q:
        cond = Q()
        if self.q:
            cond &= (Q(project__name__icontains=self.q) | Q(project__code__icontains=self.q)
                     | Q(provider__name__icontains=self.q))
        for name in ("year", "stage", "status", "grade", "decision"):
            value = getattr(self, name)
            if value:
                cond &= Q(**{name: value})
        return cond


def visible(actor: Actor) -> QuerySet[Evaluation]:
    return scope.visible(Evaluation.objects, actor, access.VIEW)


def evaluation_list(*, actor: Actor, filters: EvalFilters | None = None) -> QuerySet[Evaluation]:
    qs = visible(actor).select_related(*LIST_RELATED)
    if filters is not None:
        qs = qs.filter(filters.as_q())
    return qs.order_by("-year", "region_path", "-id")


def with_seat_counts(evaluations: list[Evaluation]) -> list[Evaluation]:
    """Seats and scored seats of one page of evaluations, in one grouped query."""
    counts: dict[int, tuple[int, int]] = {
        ev_id: (n, scored) for ev_id, n, scored in
        CommitteeMember.objects.filter(evaluation_id__in=[e.pk for e in evaluations])
        .values("evaluation_id")
        .annotate(n=Count("pk"), scored=Count("pk", filter=Q(total__isnull=False)))
        .values_list("evaluation_id", "n", "scored")}
    for ev in evaluations:
        n, scored = counts.get(ev.pk, (0, 0))
        ev.seats = n  # type: ignore[attr-defined]
        ev.seats_scored = scored  # type: ignore[attr-defined]
    return evaluations


def evaluation_get(*, actor: Actor, evaluation_id: object) -> Evaluation:
    ev: Evaluation = scope.get_or_404(Evaluation.objects.select_related(*LIST_RELATED,
                                                                          "indicator_set"),
                                      actor, access.VIEW, pk=evaluation_id)
    return ev


def my_seats(*, actor: Actor, open_only: bool = True) -> QuerySet[CommitteeMember]:
    """The actor's committee seats on evaluations it can see; open ones first."""
    if not actor.pk:
        return CommitteeMember.objects.none()
    ids = visible(actor).values("pk")
    qs = (CommitteeMember.objects.filter(user_id=actor.pk, evaluation_id__in=ids)
          .select_related("evaluation", "evaluation__project", "evaluation__provider",
                          "evaluation__region"))
    if open_only:
        qs = qs.exclude(evaluation__status=EvalStatus.DECIDED)
    return qs.order_by("scored_at", "-evaluation__created_at", "id")


def members(evaluation: Evaluation) -> list[CommitteeMember]:
    """The committee with its sheets; each seat's ``evaluation`` is the one given, not a
    query per seat (the detail page asks every seat whether the actor may score it)."""
    rows = list(CommitteeMember.objects.filter(evaluation=evaluation)
                .select_related("user", "entered_by")
                .prefetch_related(Prefetch("scores", Score.objects.select_related("indicator")))
                .order_by("party", "id"))
    for member in rows:
        member.evaluation = evaluation
    return rows


def indicators(evaluation: Evaluation) -> list[Indicator]:
    return list(Indicator.objects.filter(indicator_set_id=evaluation.indicator_set_id))


def member_get(*, actor: Actor, evaluation: Evaluation, member_id: object) -> CommitteeMember:
    access.require_view(actor, evaluation)
    try:
        return CommitteeMember.objects.select_related("evaluation", "user").get(
            evaluation=evaluation, pk=int(str(member_id)))
    except (CommitteeMember.DoesNotExist, ValueError):
        raise NotFound() from None


@dataclass
class PartyRow:
    party: str
    label: str
    weight: Decimal | None
    score: Decimal | None
    members: list[CommitteeMember]


def evaluation_detail(*, actor: Actor, evaluation: Evaluation) -> dict[str, Any]:
    """Committee by party, party scores and weights, and what is still missing."""
    seats = members(evaluation)
    result = scoring.compute(evaluation) if evaluation.status != EvalStatus.DECIDED else None
    weights = [Decimal(w) for w in evaluation.weights] if evaluation.weights else []
    labels = dict(Party.choices)
    rows = [PartyRow(p, str(labels[p]), weights[i] if weights else None,
                     evaluation.party_score(p),  # type: ignore[arg-type]
                     [m for m in seats if m.party == p]) for i, p in enumerate(PARTIES)]
    return {"parties": rows, "members": seats, "missing": result.missing if result else [],
            "indicators": indicators(evaluation),
            "survey_count": evaluation.survey_responses.count(),
            "recipients": _recipients(evaluation)}


def _recipients(evaluation: Evaluation) -> list[dict[str, Any]]:
    names = {"ratings": ("需求评价", "Need ratings"), "survey": ("匿名问卷", "Anonymous survey"),
             "members": ("服务对象代表", "Recipient members")}
    return [{"source": k, "zh": names[k][0], "en": names[k][1], **v}
            for k, v in (evaluation.recipients_detail or {}).items() if k in names]


def project_evaluations(*, actor: Actor, project: Any) -> list[Evaluation]:
    """The project's evaluations the actor may see: in scope, or (decided only) the delivering
    organisation's own staff."""
    qs = Evaluation.objects.get_queryset().filter(project_id=project.pk).select_related("decided_by")
    if scope.covers(actor, access.VIEW, project.region_path):
        return list(scope.visible(qs, actor, access.VIEW).order_by("stage"))
    if project.provider_id and project.provider_id in scope.object_ids(actor, "org",
                                                                        "projects.view"):
        return list(qs.mark_scoped().filter(status=EvalStatus.DECIDED).order_by("stage"))
    return []


def excellent_list(*, actor: Actor, year: int) -> list[dict[str, Any]]:
    """The year's excellent organisations: a decided final evaluation graded excellent."""
    rows = (visible(actor).filter(year=year, stage=Stage.FINAL, grade=Grade.EXCELLENT,
                                  status=EvalStatus.DECIDED)
            .select_related("provider", "project", "region").order_by("provider__name", "id"))
    by_org: dict[int, dict[str, Any]] = {}
    for ev in rows:
        entry = by_org.setdefault(ev.provider_id, {"org": ev.provider, "evaluations": []})
        entry["evaluations"].append(ev)
    return list(by_org.values())


def years(*, actor: Actor) -> list[int]:
    return sorted(set(visible(actor).values_list("year", flat=True)), reverse=True)


def indicator_sets() -> QuerySet[IndicatorSet]:
    return IndicatorSet.objects.annotate(n=Count("indicators")).prefetch_related("indicators")


def survey_view(*, token: str) -> Evaluation:
    """The evaluation behind a survey link, for the public page (it shows only the project's
    name, the organisation and the street: nothing personal)."""
    found = (Evaluation.objects.unscoped(reason="public: a survey link, nothing personal").select_related("project", "provider", "region")
             .filter(survey_token=str(token)[:32]).first())
    if found is None:
        raise NotFound("问卷不存在", "Survey not found")
    return found


def member_candidates(*, evaluation: Evaluation) -> list[tuple[int, str]]:
    """Accounts that may take a seat: a region grant of a role with ``evaluation.score`` over
    the project, not yet on the committee, and not working for the provider."""
    from wushe.accounts.models import RoleGrant
    from wushe.accounts.roles import ROLE_PERMISSIONS, Role

    roles = [r for r, perms in ROLE_PERMISSIONS.items() if access.SCORE in perms]
    path = evaluation.region_path
    prefixes = [path[:n] for n in (6, 9, 12, 15) if n <= len(path)]
    seated = CommitteeMember.objects.filter(evaluation=evaluation, user__isnull=False).values(
        "user_id")
    insiders = RoleGrant.objects.unscoped(reason="committee: candidates over the project's region").filter(role=Role.ORG_STAFF,
                                                   org_id=evaluation.provider_id).values("user_id")
    grants = (RoleGrant.objects.unscoped(reason="committee: candidates over the project's region")
              .filter(role__in=roles, region_path__in=prefixes, org__isnull=True,
                      team__isnull=True, fund__isnull=True, user__is_active=True)
              .exclude(user_id__in=seated).exclude(user_id__in=insiders)
              .select_related("user").order_by("role", "user__username"))
    out: dict[int, str] = {}
    for g in grants:
        label = f"{g.user.display_name or g.user.username} ({g.user.username}) · " \
                f"{Role(g.role).label}"
        out.setdefault(g.user_id, label)
    return list(out.items())


def projects_to_evaluate(*, actor: Actor) -> list[Any]:
    """Projects the actor may open an evaluation for: delivered, not yet closed."""
    from wushe.projects.models import ServiceProject

    return list(scope.visible(ServiceProject.objects, actor, access.MANAGE)
                .filter(status__in=workflow.ACTIVE,
                        provider__isnull=False)
                .only("pk", "code", "name").order_by("-year", "code")[:500])


def project_for_evaluation(*, actor: Actor, project_id: object) -> Any:
    from wushe.projects.models import ServiceProject

    return scope.get_or_404(ServiceProject.objects, actor, access.MANAGE, pk=project_id)


def account_get(*, user_id: object) -> Any:
    """An account named in a committee form or API call (the service checks what it may do)."""
    from wushe.accounts.models import User

    try:
        return User.objects.get(pk=int(str(user_id)), is_active=True)
    except (User.DoesNotExist, ValueError):
        raise NotFound("账号不存在", "Account not found", field="user") from None


def active_indicator_sets() -> list[IndicatorSet]:
    found = list(IndicatorSet.objects.filter(active=True))
    return found or [default_indicator_set()]
