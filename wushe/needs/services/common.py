"""What every need service shares: tracking codes, the event row, the step through the table."""

from __future__ import annotations

import secrets
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.core.errors import ValidationFailed
from wushe.core.ids import identifier_text
from wushe.needs import hooks, workflow
from wushe.needs.models import Need, NeedEvent

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

# 32 symbols without 0/O, 1/I: read out over the phone and typed on a phone without mistakes.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_GROUPS = 3  # XXXX-XXXX-XXXX: 60 random bits, not guessable


def new_code(prefix: str = "") -> str:
    groups = ["".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(CODE_GROUPS)]
    return prefix + "-".join(groups)


def normalize_code(raw: object) -> str:
    """What a resident types (lower case, full-width, spaces, no dashes) → the stored form."""
    text = identifier_text(raw, what_zh="查询码", what_en="tracking code", field="tracking_code")
    text = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(text) != 4 * CODE_GROUPS or any(ch not in ALPHABET for ch in text):
        raise ValidationFailed("查询码应为12位字母和数字", "A tracking code has 12 letters and digits",
                               code="tracking_code_format", field="tracking_code")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def actor_user(actor: MaybeActor) -> Any:
    return actor if getattr(actor, "pk", None) else None


def actor_label(actor: MaybeActor) -> str:
    user = actor_user(actor)
    return str(user) if user is not None else ""


def event(need: Need, *, actor: MaybeActor, action: str, from_state: str, to_state: str,
          note: str = "", data: dict[str, Any] | None = None, at: Any = None) -> NeedEvent:
    return NeedEvent.objects.create(
        need=need, region_path=need.region_path, at=at or timezone.now(),
        actor=actor_user(actor), actor_name=actor_label(actor), action=action,
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
    return Need.objects.unscoped(reason="lock: re-reads a row the caller holds").select_for_update().get(pk=need.pk)
