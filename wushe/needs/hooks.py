"""Hooks on a need's steps, for apps that react to them (notifications) without needs importing
them: ``on_step(fn)`` registers ``fn(need_id, action, from_state, to_state)``, called after the
step's transaction commits (never for a step that was rolled back)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

StepHook = Callable[[int, str, str, str], None]

_HOOKS: list[StepHook] = []


def on_step(fn: StepHook) -> StepHook:
    """Register fn (usable as a decorator); registering the same function twice keeps one."""
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


def stepped(need_id: int, action: str, from_state: str, to_state: str) -> None:
    """Called by ``services.common.step``: each hook runs after commit; one that raises is logged
    and does not stop the others (the step itself is already committed)."""
    for fn in list(_HOOKS):
        def run(fn: StepHook = fn) -> None:
            try:
                fn(need_id, action, from_state, to_state)
            except Exception:
                log.exception("need step hook %s failed", getattr(fn, "__qualname__", fn))
        transaction.on_commit(run)
