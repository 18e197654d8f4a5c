"""Who a need's event row names: the acting account, or nobody (the public, a job)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor


def actor_user(actor: MaybeActor) -> Any:
    return actor if getattr(actor, "pk", None) else None


def actor_label(actor: MaybeActor) -> str:
    user = actor_user(actor)
    return str(user) if user is not None else ""
