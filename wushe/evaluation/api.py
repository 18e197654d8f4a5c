"""The evaluation API at /api/v1/evaluation, plus ``public_router`` (the anonymous survey,
mounted at /api/v1/public by config/api.py). Thin: selectors and services do the work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from wushe.core.apitypes import Id, SmallInt, Year
from wushe.core.context import client_ip
from wushe.core.errors import NotFound, PermissionDenied
from wushe.core.paging import paginate
from wushe.evaluation import exporters, selectors, services, survey
from wushe.evaluation.models import PARTIES, CommitteeMember, EvalStatus, Evaluation
from wushe.web.pages import xlsx_response

router = Router(tags=["evaluation"])
public_router = Router(tags=["public"])


class EvaluationOut(Schema):
    """One evaluation, from the model (resolvers reach the project, provider and region)."""

    id: int
    project_id: int
    project_code: str
    project_name: str
    provider_id: int
    provider_name: str
    region_code: str
    year: int
    stage: str
    status: str
    party_scores: dict[str, str | None]
    total: str | None
    grade: str
    suggested_decision: str
    decision: str
    decision_reason: str
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_project_code(obj: Evaluation) -> str:
        return obj.project.code

    @staticmethod
    def resolve_project_name(obj: Evaluation) -> str:
        return obj.project.name

    @staticmethod
    def resolve_provider_name(obj: Evaluation) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_region_code(obj: Evaluation) -> str:
        return obj.region.code

    @staticmethod
    def resolve_party_scores(obj: Evaluation) -> dict[str, str | None]:
        return {p: _num(obj.party_score(p)) for p in PARTIES}

    @staticmethod
    def resolve_total(obj: Evaluation) -> str | None:
        return _num(obj.total)


def _num(value: Any) -> str | None:
    return str(value) if value is not None else None


class ScoreOut(Schema):
    indicator_id: int
    score: str
    comment: str


class EvaluationMemberOut(Schema):
    id: int
    party: str
    name: str
    user_id: int | None
    total: str | None
    scored_at: dt.datetime | None
    scores: list[ScoreOut]


def member_out(m: CommitteeMember) -> dict[str, Any]:
    return {"id": m.pk, "party": m.party, "name": m.name, "user_id": m.user_id,
            "total": _num(m.total), "scored_at": m.scored_at,
            "scores": [{"indicator_id": s.indicator_id, "score": str(s.score),
                        "comment": s.comment} for s in m.scores.all()]}


class EvaluationIndicatorOut(Schema):
    id: int
    dimension: str
    name: str
    name_en: str
    max_score: str


class EvaluationDetailOut(Schema):
    evaluation: EvaluationOut
    indicator_set: str
    weights: list[str]
    recipients_detail: dict[str, Any]
    missing: list[dict[str, str]]
    indicators: list[EvaluationIndicatorOut]
    members: list[EvaluationMemberOut]
    survey_responses: int
    survey_token: str | None


class CreateIn(Schema):
    project_id: Id
    stage: str
    indicator_set_id: Id | None = None


class EvaluationMemberIn(Schema):
    party: str
    user_id: Id | None = None
    name: str = ""


class ScoreIn(Schema):
    indicator_id: Id
    score: str
    comment: str = ""


class SheetIn(Schema):
    scores: list[ScoreIn]


class DecisionIn(Schema):
    decision: str
    reason: str = ""


class SeatOut(Schema):
    member_id: int
    party: str
    scored: bool
    evaluation: EvaluationOut


class ExcellentOut(Schema):
    org_id: int
    org_name: str
    evaluations: list[EvaluationOut]


class IndicatorSetOut(Schema):
    id: int
    name: str
    is_default: bool
    active: bool
    indicators: list[EvaluationIndicatorOut]


class IndicatorSpecIn(Schema):
    dimension: str
    name: str
    name_en: str = ""
    max_score: str


class IndicatorSetIn(Schema):
    name: str
    indicators: list[IndicatorSpecIn]
    make_default: bool = False


def _indicator(i: Any) -> dict[str, Any]:
    return {"id": i.pk, "dimension": i.dimension, "name": i.name, "name_en": i.name_en,
            "max_score": str(i.max_score)}


def _detail(request: HttpRequest, ev: Evaluation) -> dict[str, Any]:
    from wushe.evaluation import access

    d = selectors.evaluation_detail(actor=request.user, evaluation=ev)
    return {"evaluation": ev, "indicator_set": ev.indicator_set.name,
            "weights": [str(w) for w in ev.weights], "recipients_detail": ev.recipients_detail,
            "missing": [{"zh": zh, "en": en} for zh, en in d["missing"]],
            "indicators": [_indicator(i) for i in d["indicators"]],
            "members": [member_out(m) for m in d["members"]],
            "survey_responses": d["survey_count"],
            "survey_token": ev.survey_token if access.can_manage(request.user, ev) else None}


def _get(request: HttpRequest, evaluation_id: Id) -> Evaluation:
    return selectors.evaluation_get(actor=request.user, evaluation_id=evaluation_id)


@router.get("/", response=list[EvaluationOut])
@paginate
def evaluation_list(request: HttpRequest, q: str = "", year: Year | None = None, stage: str = "",
                    status: str = "", grade: str = "", decision: str = "") -> Any:
    """Evaluations in the caller's scope, newest cycle first."""
    filters = selectors.EvalFilters(q=q, year=year, stage=stage, status=status, grade=grade,
                                    decision=decision)
    return selectors.evaluation_list(actor=request.user, filters=filters)


@router.post("/", response={201: EvaluationDetailOut})
def evaluation_create(request: HttpRequest, body: CreateIn) -> Status[dict[str, Any]]:
    """Open the evaluation of one project stage (``midterm`` or ``final``)."""
    actor = request.user
    project = selectors.project_for_evaluation(actor=actor, project_id=body.project_id)
    sheet = None
    if body.indicator_set_id is not None:
        sheet = next((s for s in selectors.active_indicator_sets()
                      if s.pk == body.indicator_set_id), None)
        if sheet is None:
            raise NotFound("指标体系不存在", "Indicator set not found", field="indicator_set_id")
    ev = services.evaluation_create(actor=actor, project=project, stage=body.stage,
                                    indicator_set=sheet)
    return Status(201, _detail(request, _get(request, ev.pk)))


@router.get("/mine", response=list[SeatOut])
def my_evaluations(request: HttpRequest, include_decided: bool = False) -> list[dict[str, Any]]:
    """The caller's committee seats (open evaluations unless ``include_decided``)."""
    seats = selectors.my_seats(actor=request.user, open_only=not include_decided)
    return [{"member_id": s.pk, "party": s.party, "scored": s.total is not None,
             "evaluation": s.evaluation} for s in seats[:500]]


@router.get("/excellent", response=list[ExcellentOut])
def excellent(request: HttpRequest, year: Year) -> list[dict[str, Any]]:
    """The year's excellent organisations (decided final evaluations graded excellent)."""
    return [{"org_id": r["org"].pk, "org_name": r["org"].name,
             "evaluations": r["evaluations"]}
            for r in selectors.excellent_list(actor=request.user, year=year)]


@router.get("/export")
def export(request: HttpRequest, year: Year | None = None, stage: str = "", status: str = "",
           grade: str = "", decision: str = "", q: str = "") -> HttpResponse:
    """The filtered results as .xlsx."""
    filters = selectors.EvalFilters(q=q, year=year, stage=stage, status=status, grade=grade,
                                    decision=decision)
    return xlsx_response(exporters.evaluation_export(actor=request.user, filters=filters),
                         "evaluations")


@router.get("/indicator-sets", response=list[IndicatorSetOut])
def indicator_sets(request: HttpRequest) -> list[dict[str, Any]]:
    from wushe.accounts import scope

    if not scope.has_perm(request.user, "evaluation.view"):
        raise PermissionDenied()
    return [{"id": s.pk, "name": s.name, "is_default": s.is_default, "active": s.active,
             "indicators": [_indicator(i) for i in s.indicators.all()]}
            for s in selectors.indicator_sets()]


@router.post("/indicator-sets", response={201: IndicatorSetOut})
def indicator_set_create(request: HttpRequest, body: IndicatorSetIn) -> Status[dict[str, Any]]:
    """A new scoring sheet (existing sheets are never edited)."""
    made = services.indicator_set_create(
        actor=request.user, name=body.name, make_default=body.make_default,
        indicators=[i.dict() for i in body.indicators])
    return Status(201, {"id": made.pk, "name": made.name, "is_default": made.is_default,
                        "active": made.active,
                        "indicators": [_indicator(i) for i in made.indicators.all()]})


@router.get("/{int:evaluation_id}", response=EvaluationDetailOut)
def evaluation_detail(request: HttpRequest, evaluation_id: Id) -> dict[str, Any]:
    """Committee, sheets, party scores, total, grade, suggestion and decision."""
    return _detail(request, _get(request, evaluation_id))


@router.post("/{int:evaluation_id}/members", response={201: EvaluationMemberOut})
def member_add(request: HttpRequest, evaluation_id: Id, body: EvaluationMemberIn) -> Status[dict[str, Any]]:
    """A seat: an account (``user_id``) for purchaser/street/expert; a recipients' seat may be
    a name only. Staff of the provider are refused (``conflict_of_interest``)."""
    ev = _get(request, evaluation_id)
    user = selectors.account_get(user_id=body.user_id) if body.user_id is not None else None
    member = services.member_add(actor=request.user, evaluation=ev, party=body.party, user=user,
                                 name=body.name)
    return Status(201, member_out(member))


@router.delete("/{int:evaluation_id}/members/{int:member_id}", response={204: None})
def member_remove(request: HttpRequest, evaluation_id: Id, member_id: Id) -> Status[None]:
    ev = _get(request, evaluation_id)
    member = selectors.member_get(actor=request.user, evaluation=ev, member_id=member_id)
    services.member_remove(actor=request.user, member=member)
    return Status(204, None)


@router.put("/{int:evaluation_id}/members/{int:member_id}/scores", response=EvaluationMemberOut)
def scores_submit(request: HttpRequest, evaluation_id: Id, member_id: Id,
                  body: SheetIn) -> dict[str, Any]:
    """The member's whole sheet (every indicator of the set, 0..max, one decimal)."""
    ev = _get(request, evaluation_id)
    member = selectors.member_get(actor=request.user, evaluation=ev, member_id=member_id)
    services.scores_submit(actor=request.user, member=member,
                           scores={s.indicator_id: (s.score, s.comment) for s in body.scores})
    return member_out(selectors.member_get(actor=request.user, evaluation=ev,
                                           member_id=member_id))


@router.post("/{int:evaluation_id}/decision", response=EvaluationDetailOut)
def decide(request: HttpRequest, evaluation_id: Id, body: DecisionIn) -> dict[str, Any]:
    """Record renew / rectify / eliminate; a decision other than the suggestion needs a
    reason. Marks the project evaluated, and closes it after a final evaluation."""
    ev = _get(request, evaluation_id)
    services.evaluation_decide(actor=request.user, evaluation=ev, decision=body.decision,
                               reason=body.reason)
    return _detail(request, _get(request, evaluation_id))


# --- public: the anonymous survey -------------------------------------------------------------

class QuestionOut(Schema):
    number: int
    text: str


class SurveyOut(Schema):
    project_name: str
    organisation: str
    region: str
    stage: str
    open: bool
    questions: list[QuestionOut]
    scale: list[int]


class SurveyIn(Schema):
    answers: list[SmallInt]
    comment: str = ""


class SurveyDoneOut(Schema):
    received: bool


@public_router.get("/evaluation/survey/{token}", auth=None, response=SurveyOut,
                   url_name="public_evaluation_survey")
def public_survey(request: HttpRequest, token: str) -> dict[str, Any]:
    """The survey behind a link: the project and its questions (nothing personal)."""
    survey.hit(client_ip(request.META), "view")  # type: ignore[arg-type]
    ev = selectors.survey_view(token=token)
    return {"project_name": ev.project.name, "organisation": ev.provider.name,
            "region": ev.region.name, "stage": ev.stage, "open": ev.status != EvalStatus.DECIDED,
            "questions": [{"number": i, "text": str(q)}
                          for i, q in enumerate(survey.QUESTIONS, start=1)],
            "scale": [1, 2, 3, 4, 5]}


@public_router.post("/evaluation/survey/{token}", auth=None, response={201: SurveyDoneOut},
                    url_name="public_evaluation_survey_answer")
def public_survey_answer(request: HttpRequest, token: str,
                         body: SurveyIn) -> Status[dict[str, bool]]:
    """One anonymous answer sheet: an answer 1–5 per question, in order. Rate-limited."""
    survey.hit(client_ip(request.META))  # type: ignore[arg-type]
    services.survey_submit(token=token, answers=body.answers, comment=body.comment)
    return Status(201, {"received": True})
