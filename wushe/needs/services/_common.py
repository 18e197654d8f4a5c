"""What the need services share (a private module of the package): the event row, the step
through the table, the lock, the community a form names, and the assignments' bookkeeping."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import ValidationFailed
from wushe.core.ids import region_code_text
from wushe.needs import hooks, linkage, workflow
from wushe.needs.actors import actor_label
from wushe.needs.models import ACTIVE_ASSIGNMENT, Assignment, AssignmentState, Need, NeedEvent
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor, MaybeActor


def event(need: Need, *, actor: MaybeActor, action: str, from_state: str, to_state: str,
          note: str = "", data: dict[str, Any] | None = None, at: Any = None) -> NeedEvent:
    return NeedEvent.objects.create(
        need=need, region_path=need.region_path, at=at or timezone.now(),
        actor=user_or_none(actor), actor_name=actor_label(actor), action=action,
        from_state=from_state, to_state=to_state, note=note, data=data or {})


def step(need: Need, action: str, *, actor: MaybeActor, audit_action: StrEnum, note: str = "",
         data: dict[str, Any] | None = None, fields: tuple[str, ...] = ()) -> NeedEvent:
    """Check the table, move the need, write its event and the audit row; raise before any
    write when the action is not allowed from the current state."""
    before = need.state
    after = workflow.check(before, action)
    need.state = after
    need.save(update_fields=["state", "updated_at", *fields])
    ev = event(need, actor=actor, action=action, from_state=before, to_state=after, note=note,
               data=data)
    # The audit row names the need by its code; notes (free text) stay out of the log.
    audit.record(actor=actor, action=audit_action, target=need, label=need.tracking_code,
                 data={"from": before, "to": after, **(data or {})})
    hooks.stepped(need.pk, action, before, after)
    return ev


def lock(need: Need) -> Need:
    """Re-read the need inside the transaction, locked where the database can: two officers
    pressing 'dispatch' together must not both succeed."""
    return (Need.objects.unscoped(reason="lock: re-reads a row the caller holds")
            .select_for_update().get(pk=need.pk))


def community_by_code(raw: object, *, allow_grid: bool = False) -> Region:
    code = region_code_text(raw, field="community")
    region = None
    if code.isdigit() and len(code) in ((12, 15) if allow_grid else (12,)):
        region = (Region.objects.unscoped(reason="reference: the region tree").filter(code=code)
                  .only("id", "code", "name", "level", "path", "parent_id").first())
    levels = (RegionLevel.COMMUNITY, RegionLevel.GRID) if allow_grid else (RegionLevel.COMMUNITY,)
    if region is None or region.level not in levels:
        raise ValidationFailed("请选择所在社区(村)", "Choose the community (or village) you live in",
                               code="unknown_community", field="community")
    return region


def community_of(region: Region) -> Region:
    if region.level == RegionLevel.GRID:
        assert region.parent_id is not None  # a grid always lies in a community
        return (Region.objects.unscoped(reason="reference: the region tree")
                .get(pk=region.parent_id))
    return region


def refresh_societies(need: Need) -> None:
    """The five societies that took part: assignments that were taken and not returned."""
    kinds = set(Assignment.objects.unscoped(reason="children of a row read in scope").filter(
        need_id=need.pk, taken_at__isnull=False,
        state__in=(AssignmentState.TAKEN, AssignmentState.DONE)).values_list("society", flat=True))
    five = linkage.five_of(kinds)
    societies = f"|{'|'.join(five)}|" if five else ""
    if societies != need.societies:
        need.societies = societies
        need.society_count = len(five)
        need.save(update_fields=["societies", "society_count", "updated_at"])


def finish_assignments(need: Need, *, actor: Actor) -> None:
    """On resolve: what was taken is done, what was never taken is cancelled."""
    now = timezone.now()
    for a in (Assignment.objects.unscoped(reason="children of a row read in scope")
              .filter(need_id=need.pk, state__in=ACTIVE_ASSIGNMENT)):
        outcome = AssignmentState.DONE if a.state == AssignmentState.TAKEN \
            else AssignmentState.CANCELLED
        a.state = outcome
        a.finished_at = now
        a.save(update_fields=["state", "finished_at"])
        provider = linkage.get(a.society)
        if provider is not None:
            provider.on_finish(a, actor=actor, outcome=str(outcome))
