"""Hooks on a need's steps, for apps that react to them (notifications) without needs importing
them: ``on_step(fn)`` registers ``fn(need_id, action, from_state, to_state)``, called after the
step's transaction commits (never for a step that was rolled back)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

log = logging.getLogger(__name__)

StepHook = Callable[[int, str, str, str], None]

_HOOKS: list[StepHook] = []


def on_step(fn: StepHook) -> StepHook:
    """Register fn (usable as a decorator); registering the same function twice keeps one."""
    if fn not in _HOOKS:
        _HOOKS.append(fn)
    return fn


def stepped(need_id: int, action: str, from_state: str, to_state: str) -> None:
    """Called by ``services._common.step``: each hook runs after commit; one that raises is logged
    and does not stop the others (the step itself is already committed)."""
    for fn in list(_HOOKS):
        def run(fn: StepHook = fn) -> None:
            try:
                fn(need_id, action, from_state, to_state)
            except Exception:
                log.exception("need step hook %s failed", getattr(fn, "__qualname__", fn))
        transaction.on_commit(run)


# --- what other apps let the needs pages read (registered from their AppConfig.ready) --------
# The needs app imports neither residents nor projects: the residents app says which care
# profiles (关爱档案) an actor may see, the projects app which service projects serve a need.
# Unregistered, intake links no care profile and a need shows no serving project.

CareProfilesOf = Callable[..., list[Any]]  # (*, actor, person_id) -> the person's profiles
MaySeeCareProfile = Callable[[Any, Any], bool]  # (actor, profile)
ServingProjects = Callable[[Any, Any], list[Any]]  # (actor, need) -> projects


@dataclass
class Reads:
    care_profiles_of: CareProfilesOf | None = None
    may_see_care_profile: MaySeeCareProfile | None = None
    serving_projects: ServingProjects | None = None


READS = Reads()


def care_profiles_of(*, actor: Actor, person_id: int) -> list[Any]:
    fn = READS.care_profiles_of
    return fn(actor=actor, person_id=person_id) if fn else []


def may_see_care_profile(actor: Actor, profile: Any) -> bool:
    fn = READS.may_see_care_profile
    return bool(fn and fn(actor, profile))


def serving_projects(actor: Actor, need: Any) -> list[Any]:
    fn = READS.serving_projects
    return fn(actor, need) if fn else []
