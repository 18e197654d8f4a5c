"""The needs API at /api/v1/needs (staff and assignees), plus ``public_router`` (no account,
mounted at /api/v1/public by config/api.py). Thin: selectors and services do the work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from wushe.core.apitypes import Id, SmallInt
from wushe.core.errors import ValidationFailed
from wushe.core.excel import MAX_IMPORT_BYTES, run_import
from wushe.core.paging import paginate
from wushe.needs import access, ideas_selectors, menu, selectors, services
from wushe.needs.api_public import public_router
from wushe.needs.api_schemas import (
    AssignmentOut,
    CandidateOut,
    DispatchIn,
    IdeaCommentIn,
    IdeaCommentOut,
    IdeaDecisionIn,
    IdeaOut,
    IdeaStaffIn,
    IntakeIn,
    MenuRowOut,
    NeedDetailOut,
    NeedEventOut,
    NeedFollowUpIn,
    NeedNoteIn,
    NeedOut,
    NeedReasonIn,
    NeedResolveIn,
    NeedUnmaskIn,
    NeedUnmaskOut,
    need_detail,
)
from wushe.regions.selectors import region_get

router = Router(tags=["needs"])
__all__ = ["public_router", "router"]


@router.get("/", response=list[NeedOut])
@paginate
def need_list(request: HttpRequest, bucket: str = "open", state: str = "", category: str = "",
              channel: str = "", target_group: str = "", region: str = "", sla_colour: str = "",
              escalated: bool = False, mine: bool = False, q: str = "") -> Any:
    """The dispatch queue in the caller's scope, what falls due first on top."""
    return selectors.need_list(actor=request.user, filters=selectors.NeedFilters(
        bucket=bucket, state=state, category=category, channel=channel,
        target_group=target_group, region_code=region, sla=sla_colour, escalated=escalated,
        mine=mine, q=q))


@router.post("/", response={201: NeedDetailOut})
def need_intake(request: HttpRequest, body: IntakeIn) -> Status[dict[str, Any]]:
    """Window, hotline or grid intake. A likely duplicate is refused with code
    ``possible_duplicate`` (409) unless ``confirm_duplicate`` is true."""
    need = services.need_intake(
        actor=request.user, channel=body.channel, region=region_get(actor=request.user,
                                                                    code=body.region),
        category=body.category, description=body.description, target_group=body.target_group,
        urgency=body.urgency, contact_name=body.contact_name, contact_phone=body.contact_phone,
        confirm_duplicate=body.confirm_duplicate, source_ref=body.source_ref)
    return Status(201, need_detail(need))


@router.get("/menu", response=list[MenuRowOut])
def demand_menu(request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None,
                by: str = "community", region: str = "", category: str = "",
                target_group: str = "") -> list[dict[str, Any]]:
    """需求菜单: counts by area × category × target group over a period (default: this year)."""
    default = menu.default_query()
    query = menu.MenuQuery(start=start or default.start, end=end or default.end, by=by,
                           region_code=region, category=category, target_group=target_group)
    return menu.demand_menu(actor=request.user, query=query)


@router.post("/import", response=dict[str, Any])
def need_import(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False,
                valid_only: Form[bool] = False) -> dict[str, Any]:
    """Offline problem list (.xlsx, kind "needs"): dry run, row errors, all-or-nothing unless
    valid_only."""
    if file.size and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed("文件过大", "The file is too large", field="file")
    return run_import("needs", file, actor=request.user, dry_run=dry_run,
                      valid_only=valid_only).as_dict()


@router.get("/ideas", response=list[IdeaOut])
@paginate
def idea_list(request: HttpRequest, state: str = "", region: str = "") -> Any:
    return ideas_selectors.idea_list(actor=request.user, state=state, region_code=region)


@router.post("/ideas", response={201: IdeaOut})
def idea_submit(request: HttpRequest, body: IdeaStaffIn) -> Status[Any]:
    idea = services.idea_submit(actor=request.user,
                                region=region_get(actor=request.user, code=body.community),
                                title=body.title, body=body.body,
                                submitter_name=body.submitter_name)
    return Status(201, idea)


@router.get("/ideas/{idea_id}", response=IdeaOut)
def idea_detail(request: HttpRequest, idea_id: Id) -> Any:
    return ideas_selectors.idea_get(actor=request.user, idea_id=idea_id)


@router.get("/ideas/{idea_id}/comments", response=list[IdeaCommentOut])
def idea_comments(request: HttpRequest, idea_id: Id) -> Any:
    idea = ideas_selectors.idea_get(actor=request.user, idea_id=idea_id)
    return list(ideas_selectors.idea_comments(idea=idea).select_related("author"))


@router.post("/ideas/{idea_id}/comments", response={201: IdeaCommentOut})
def idea_comment(request: HttpRequest, idea_id: Id, body: IdeaCommentIn) -> Status[Any]:
    idea = ideas_selectors.idea_get(actor=request.user, idea_id=idea_id)
    return Status(201, services.idea_comment(actor=request.user, idea=idea, body=body.body))


@router.post("/ideas/{idea_id}/decision", response=IdeaOut)
def idea_decide(request: HttpRequest, idea_id: Id, body: IdeaDecisionIn) -> Any:
    idea = ideas_selectors.idea_get(actor=request.user, idea_id=idea_id)
    return services.idea_decide(actor=request.user, idea=idea, adopt=body.adopt,
                                reason=body.reason, project_ref=body.project_ref)


@router.get("/{need_id}", response=NeedDetailOut)
def need_get(request: HttpRequest, need_id: Id) -> dict[str, Any]:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    out = need_detail(need)
    if not access.sees_contact(request.user, need):  # an assignee whose part is done
        out.update(contact_name="", contact_phone="")
    return out


@router.get("/{need_id}/events", response=list[NeedEventOut])
def need_events(request: HttpRequest, need_id: Id) -> Any:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    return list(selectors.need_events(need=need).select_related("actor"))


@router.get("/{need_id}/assignments", response=list[AssignmentOut])
def need_assignments(request: HttpRequest, need_id: Id) -> Any:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    return list(selectors.need_assignments(need=need))


@router.get("/{need_id}/suggestions", response=list[CandidateOut])
def need_suggestions(request: HttpRequest, need_id: Id, per_society: SmallInt = 5) -> Any:
    """Candidates from every registered society, best first, each with its reasons."""
    need = selectors.need_get(actor=request.user, need_id=need_id)
    return [c.as_dict() for c in selectors.need_suggestions(
        actor=request.user, need=need, per_society=max(1, min(per_society, 20)))]


def _act(request: HttpRequest, need_id: Id, call: Any, **kwargs: Any) -> dict[str, Any]:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    return need_detail(call(actor=request.user, need=need, **kwargs))


@router.post("/{need_id}/accept", response=NeedDetailOut)
def need_accept(request: HttpRequest, need_id: Id, body: NeedNoteIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_accept, note=body.note)


@router.post("/{need_id}/decline", response=NeedDetailOut)
def need_decline(request: HttpRequest, need_id: Id, body: NeedReasonIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_decline, reason=body.reason)


@router.post("/{need_id}/dispatch", response=NeedDetailOut)
def need_dispatch(request: HttpRequest, need_id: Id, body: DispatchIn) -> dict[str, Any]:
    """派单 (from accepted: exactly one lead) or 增派 supporters while it is being handled."""
    specs = [services.AssignmentSpec(a.society, a.object_id, a.role, a.amount)
             for a in body.assignments]
    return _act(request, need_id, services.need_dispatch, assignments=specs, note=body.note)


@router.post("/{need_id}/handle", response=NeedDetailOut)
def need_handle(request: HttpRequest, need_id: Id, body: NeedNoteIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_handle, note=body.note)


@router.post("/{need_id}/resolve", response=NeedDetailOut)
def need_resolve(request: HttpRequest, need_id: Id, body: NeedResolveIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_resolve, result=body.result)


@router.post("/{need_id}/follow-up", response=NeedDetailOut)
def need_follow_up(request: HttpRequest, need_id: Id, body: NeedFollowUpIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_follow_up, method=body.method, note=body.note,
                score=body.score)


@router.post("/{need_id}/reopen", response=NeedDetailOut)
def need_reopen(request: HttpRequest, need_id: Id, body: NeedReasonIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_reopen, reason=body.reason)


@router.post("/{need_id}/extend", response=NeedDetailOut)
def need_extend(request: HttpRequest, need_id: Id, body: NeedReasonIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_extend, days=body.days, reason=body.reason)


@router.post("/{need_id}/escalate", response=NeedDetailOut)
def need_escalate(request: HttpRequest, need_id: Id, body: NeedReasonIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_escalate, reason=body.reason)


@router.post("/{need_id}/merge", response=NeedDetailOut)
def need_merge(request: HttpRequest, need_id: Id, body: NeedReasonIn) -> dict[str, Any]:
    if body.into is None:
        raise ValidationFailed("请选择要合并到的诉求", "Choose the need to merge into", field="into")
    into = selectors.need_get(actor=request.user, need_id=body.into)
    return _act(request, need_id, services.need_merge, into=into, note=body.reason)


@router.post("/{need_id}/notes", response=NeedDetailOut)
def need_note(request: HttpRequest, need_id: Id, body: NeedNoteIn) -> dict[str, Any]:
    return _act(request, need_id, services.need_note, note=body.note)


@router.post("/{need_id}/unmask", response=NeedUnmaskOut)
def need_unmask(request: HttpRequest, need_id: Id, body: NeedUnmaskIn) -> dict[str, str]:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    value = services.need_unmask(actor=request.user, need=need, field=body.field,
                                 purpose=body.purpose)
    return {"field": body.field, "value": value}


@router.post("/assignments/{assignment_id}/take", response=AssignmentOut)
def assignment_take(request: HttpRequest, assignment_id: Id) -> Any:
    a = selectors.assignment_get(actor=request.user, assignment_id=assignment_id)
    return services.assignment_take(actor=request.user, assignment=a)


@router.post("/assignments/{assignment_id}/return", response=AssignmentOut)
def assignment_return(request: HttpRequest, assignment_id: Id, body: NeedReasonIn) -> Any:
    a = selectors.assignment_get(actor=request.user, assignment_id=assignment_id)
    return services.assignment_return(actor=request.user, assignment=a, reason=body.reason)
