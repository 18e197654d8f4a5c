"""The need page: details, timeline, assignments, suggestions with reasons, and the actions
the actor may take from the current state (the transition table decides which exist)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wushe.core.errors import NotFound, WusheError
from wushe.needs import access, hooks, linkage, perms, selectors, services, sla, workflow
from wushe.needs.linkage import without_agreement
from wushe.needs.models import Assignment, FollowUpMethod, Need
from wushe.needs.workflow import WORKING, Action, State
from wushe.web.forms import PageForm, set_choices
from wushe.web.pages import add_service_error, breadcrumb, is_partial, render_page

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


class NoteForm(PageForm):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RequiredNoteForm(PageForm):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


class ResolveForm(PageForm):
    result = forms.CharField(label=gettext_lazy("What was done"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(PageForm):
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=[
        (FollowUpMethod.CALL, FollowUpMethod.CALL.label),
        (FollowUpMethod.VISIT, FollowUpMethod.VISIT.label),
        (FollowUpMethod.SMS, FollowUpMethod.SMS.label)])
    score = forms.TypedChoiceField(label=gettext_lazy("Satisfaction stated by the resident"),
                                   required=False, coerce=int, empty_value=None,
                                   choices=[("", "—"), *((str(i), str(i)) for i in range(5, 0, -1))])
    note = forms.CharField(label=gettext_lazy("Notes"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(PageForm):
    days = forms.IntegerField(label=gettext_lazy("Working days to add"), min_value=1, max_value=30)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


class MergeForm(PageForm):
    into = forms.ChoiceField(label=gettext_lazy("Merge into"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, targets: list[Need], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "into", [(str(n.pk), f"{n.tracking_code} · {n.get_state_display()} · "
                                                f"{n.received_at:%Y-%m-%d}") for n in targets])


class DispatchForm(PageForm):
    pick = forms.MultipleChoiceField(label=gettext_lazy("Assignees"),
                                     widget=forms.CheckboxSelectMultiple)
    lead = forms.ChoiceField(label=gettext_lazy("Lead"), required=False,
                             widget=forms.RadioSelect)
    # Asked of any charity fund picked: the disbursement request dispatch makes on its side.
    fund_amount = forms.CharField(label=gettext_lazy("Amount to request from a fund (yuan)"),
                                  max_length=20, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, candidates: list[linkage.Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = [(f"{c.society}:{c.object_id}", c.label) for c in candidates]
        set_choices(self, "pick", keys)
        set_choices(self, "lead", keys)

    def specs(self, *, first: bool) -> list[services.AssignmentSpec]:
        picked = list(self.cleaned_data["pick"])
        lead = self.cleaned_data.get("lead") or ""
        if first and lead and lead not in picked:
            picked.insert(0, lead)
        out = []
        for key in picked:
            society, _sep, object_id = key.partition(":")
            role = "lead" if first and key == lead else "support"
            amount = self.cleaned_data.get("fund_amount") if society == linkage.Society.FUND \
                else None
            out.append(services.AssignmentSpec(society, object_id, role, amount))
        return out


Call = Callable[[Any, Need, dict[str, Any]], Any]
# action -> (form, permission, lead assignee may too, service call)
ACTIONS: dict[str, tuple[type[forms.Form], str, bool, Call]] = {
    Action.ACCEPT: (NoteForm, perms.NEED_HANDLE, False,
                    lambda a, n, d: services.need_accept(actor=a, need=n, note=d["note"])),
    Action.DECLINE: (ReasonForm, perms.NEED_HANDLE, False,
                     lambda a, n, d: services.need_decline(actor=a, need=n, reason=d["reason"])),
    Action.HANDLE: (NoteForm, perms.NEED_HANDLE, True,
                    lambda a, n, d: services.need_handle(actor=a, need=n, note=d["note"])),
    Action.RESOLVE: (ResolveForm, perms.NEED_HANDLE, True,
                     lambda a, n, d: services.need_resolve(actor=a, need=n, result=d["result"])),
    Action.FOLLOW_UP: (FollowUpForm, perms.NEED_HANDLE, False,
                       lambda a, n, d: services.need_follow_up(
                           actor=a, need=n, method=d["method"], note=d["note"], score=d["score"])),
    Action.EXTEND: (ExtendForm, perms.NEED_HANDLE, True,
                    lambda a, n, d: services.need_extend(actor=a, need=n, days=d["days"],
                                                         reason=d["reason"])),
    Action.ESCALATE: (ReasonForm, perms.NEED_HANDLE, False,
                      lambda a, n, d: services.need_escalate(actor=a, need=n,
                                                             reason=d["reason"])),
    Action.REOPEN: (ReasonForm, perms.NEED_SUPERVISE, False,
                    lambda a, n, d: services.need_reopen(actor=a, need=n, reason=d["reason"])),
    Action.NOTE: (RequiredNoteForm, perms.NEED_HANDLE, True,
                  lambda a, n, d: services.need_note(actor=a, need=n, note=d["note"])),
}
# What the buttons say (the Action labels are past tense, for the timeline).
BUTTONS: dict[str, Any] = {
    Action.ACCEPT: gettext_lazy("Accept"), Action.DECLINE: gettext_lazy("Decline"),
    Action.HANDLE: gettext_lazy("Start handling"), Action.RESOLVE: gettext_lazy("Resolve"),
    Action.FOLLOW_UP: gettext_lazy("Follow up"), Action.EXTEND: gettext_lazy("Extend the deadline"),
    Action.ESCALATE: gettext_lazy("Escalate"), Action.MERGE: gettext_lazy("Merge into another request"),
    Action.REOPEN: gettext_lazy("Reopen"), Action.NOTE: gettext_lazy("Add a note"),
}
ORDER = [Action.ACCEPT, "dispatch", Action.HANDLE, Action.RESOLVE, Action.FOLLOW_UP,
         Action.EXTEND, Action.ESCALATE, Action.MERGE, Action.REOPEN, Action.DECLINE, Action.NOTE]


def _available(actor: Actor, need: Need) -> list[str]:
    lead = access.is_assignee(actor, need, lead_only=True)
    out = []
    for name in ORDER:
        if name == "dispatch":
            if (need.state == State.ACCEPTED or need.state in WORKING) and \
                    access.may(actor, perms.NEED_DISPATCH, need):
                out.append(name)
        elif name == Action.MERGE:
            if workflow.allowed(need.state, name) and access.may(actor, perms.NEED_HANDLE, need):
                out.append(name)
        elif workflow.allowed(need.state, name):
            _form, perm, lead_too, _call = ACTIONS[name]
            if access.may(actor, perm, need) or (lead_too and lead):
                out.append(name)
    return out


def _context(request: HttpRequest, need: Need, *, bound: dict[str, forms.Form] | None = None,
             open_action: str = "", error: str = "") -> dict[str, Any]:
    actor = request.user
    available = _available(actor, need)
    candidates: list[linkage.Candidate] = []
    if "dispatch" in available:
        candidates = selectors.need_suggestions(actor=actor, need=need)
    targets = list(selectors.merge_targets(actor=actor, need=need)) if Action.MERGE in available \
        else []
    forms_: dict[str, forms.Form] = {}
    for name in available:
        if bound and name in bound:
            forms_[name] = bound[name]
        elif name == "dispatch":
            forms_[name] = DispatchForm(candidates=candidates, auto_id="id_dispatch_%s")
        elif name == Action.MERGE:
            forms_[name] = MergeForm(targets=targets, auto_id="id_merge_%s")
        else:
            forms_[name] = ACTIONS[name][0](auto_id=f"id_{name}_%s")
    assignments = list(selectors.need_assignments(need=need))
    for a in assignments:
        a.may_act = a.is_active and (access.acts_for(actor, a)  # type: ignore[attr-defined]
                                     or access.may(actor, perms.NEED_DISPATCH, need))
        a.society_label = dict(linkage.Society.choices).get(  # type: ignore[attr-defined]
            a.society, a.society)
        provider = linkage.get(a.society)
        a.ref_url = (  # type: ignore[attr-defined]
            provider.ref_url(a.external_ref) if provider is not None and a.external_ref else "")
    events = list(selectors.need_events(need=need))
    labels = dict(Action.choices)
    for e in events:
        e.label = labels.get(e.action, e.action)  # type: ignore[attr-defined]
    names = BUTTONS | {"dispatch": _("Dispatch") if need.state == State.ACCEPTED
                       else _("Add supporters")}
    society_names = dict(linkage.Society.choices)
    # PIPL Art. 21: a need with personal data goes only to an organisation with an
    # entrusted-processing agreement in force; the page says so next to the choice.
    unagreed = without_agreement(need, [(c.society, c.object_id) for c in candidates])
    show_contact = access.sees_contact(actor, need)
    dispatch_form = forms_.get("dispatch")
    posted: Any = dispatch_form.data if dispatch_form is not None else {}
    picked = set(posted.getlist("pick")) if dispatch_form is not None and \
        dispatch_form.is_bound else set()
    return {
        "need": need, "events": events, "assignments": assignments,
        "follow_ups": list(selectors.need_follow_ups(need=need)),
        "candidates": [{"c": c, "key": f"{c.society}:{c.object_id}",
                        "society_label": society_names.get(c.society, c.society),
                        "no_agreement": (c.society, c.object_id) in unagreed}
                       for c in candidates],
        "available": available,
        "has_fund_candidate": any(c.society == linkage.Society.FUND for c in candidates),
        "action_forms": [{"name": n, "label": names.get(n, n), "form": forms_[n]}
                         for n in available],
        "open_action": open_action, "picked": picked, "action_error": error,
        "picked_lead": dispatch_form.data.get("lead", "") if dispatch_form is not None and
        dispatch_form.is_bound else "",
        "first_dispatch": need.state == State.ACCEPTED,
        "sla_colour": sla.colour(need.state, need.due_on, timezone.localdate()),
        # An assignee whose part is done reads the need without the resident's contact.
        "show_contact": show_contact,
        "can_unmask": show_contact and access.may(actor, perms.CARE_UNMASK, need),
        "breadcrumb": breadcrumb(actor, need.community),
        "societies": [linkage.FIVE_NAMES[s] for s in need.society_list if s in linkage.FIVE_NAMES],
        "merge_targets": targets, "revealed": {}, "revealed_has": {},
        "serving_projects": _serving_projects(actor, need),
    }


def _serving_projects(actor: Actor, need: Need) -> list[Any]:
    """The service projects serving this need (it is one of their origin needs), as the actor
    may see; the first not closed is the one "now serving it" (the projects app's selector,
    registered in ``wushe/needs/hooks.py``)."""
    return hooks.serving_projects(actor, need)


@login_required
@never_cache
@require_GET
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    need = selectors.need_get(actor=request.user, need_id=need_id)
    return render_page(request, "needs/detail.html", _context(request, need))


@login_required
@require_POST
def need_act(request: HttpRequest, need_id: int, action: str) -> HttpResponse:
    actor = request.user
    need = selectors.need_get(actor=actor, need_id=need_id)
    form: forms.Form
    if action == "dispatch":
        form = DispatchForm(request.POST, candidates=selectors.need_suggestions(actor=actor,
                                                                                need=need),
                            auto_id="id_dispatch_%s")
        call: Call = lambda a, n, d: services.need_dispatch(  # noqa: E731
            actor=a, need=n, assignments=form.specs(first=n.state == State.ACCEPTED),  # type: ignore[attr-defined]
            note=d["note"])
    elif action == Action.MERGE:
        form = MergeForm(request.POST, targets=list(selectors.merge_targets(actor=actor, need=need)),
                         auto_id="id_merge_%s")
        call = lambda a, n, d: services.need_merge(  # noqa: E731
            actor=a, need=n, into=selectors.need_get(actor=a, need_id=d["into"]), note=d["note"])
    elif action in ACTIONS:
        form = ACTIONS[action][0](request.POST, auto_id=f"id_{action}_%s")
        call = ACTIONS[action][3]
    else:
        raise NotFound()
    status = 400
    error = ""
    if form.is_valid():
        try:
            call(actor, need, form.cleaned_data)
        except WusheError as exc:
            if isinstance(exc, NotFound):
                raise
            add_service_error(form, exc, field_map={"assignments": "pick", "score": "score",
                                                   "amount": "fund_amount"})
            status, error = exc.status, exc.localized()
        else:
            messages.success(request, _("Done: %(action)s.") % {
                "action": BUTTONS.get(action, _("Dispatch"))})
            return redirect("needs:detail", need_id=need.pk)
    need = selectors.need_get(actor=actor, need_id=need_id)  # refused: show it as it is
    return render_page(request, "needs/detail.html",
                       _context(request, need, bound={action: form}, open_action=action,
                                error=error),
                       status=status)


class ReturnForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Reason for returning"), max_length=200)


@login_required
@require_POST
def assignment_act(request: HttpRequest, assignment_id: int, action: str) -> HttpResponse:
    """接单 / 退单 by the assignee (or by staff on its behalf)."""
    actor = request.user
    a: Assignment = selectors.assignment_get(actor=actor, assignment_id=assignment_id)
    try:
        if action == "take":
            services.assignment_take(actor=actor, assignment=a)
            messages.success(request, _("The assignment has been taken."))
        elif action == "return":
            form = ReturnForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.assignment_return(actor=actor, assignment=a, reason=reason)
            messages.success(request, _("The assignment has been returned."))
        else:
            raise NotFound()
    except WusheError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.localized())
    return redirect("needs:detail", need_id=a.need_id)


class RevealForm(PageForm):
    field = forms.ChoiceField(choices=[("contact_name", "contact_name"),
                                       ("contact_phone", "contact_phone")],
                              widget=forms.HiddenInput)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)


@login_required
@never_cache
@require_POST
def need_reveal(request: HttpRequest, need_id: int) -> HttpResponse:
    """The requester's name or phone once, after a stated purpose (recorded as PII access)."""
    actor = request.user
    need = selectors.need_get(actor=actor, need_id=need_id)
    form = RevealForm(request.POST)
    value: str | None = None
    status = 400
    if form.is_valid():
        try:
            value = services.need_unmask(actor=actor, need=need, field=form.cleaned_data["field"],
                                         purpose=form.cleaned_data["purpose"])
            status = 200
        except WusheError as exc:
            if isinstance(exc, NotFound):
                raise
            add_service_error(form, exc)
            status = exc.status
    context = {"need": need, "reveal_form": form, "value": value, "shown": value is not None,
               "field": request.POST.get("field", "")}
    if is_partial(request):
        return render_page(request, "needs/reveal.html", context, status=status)
    ctx = _context(request, need)
    if value is not None:
        ctx.update(revealed={context["field"]: value}, revealed_has={context["field"]: True})
    return render_page(request, "needs/detail.html", ctx, status=status)
