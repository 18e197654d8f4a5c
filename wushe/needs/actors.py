"""Who a need's event row names: the acting account, or nobody (the public, a job)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts.actor import user_or_none

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor


def actor_label(actor: MaybeActor) -> str:
    user = user_or_none(actor)
    return str(user) if user is not None else ""
