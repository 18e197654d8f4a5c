"""The explicit state machines: an organisation's status and an incubation's stage.

Anything not in a table is refused with IllegalTransition (409), so an eliminated organisation
can never come back and a registered one never falls back to a mere filing.
"""

from __future__ import annotations

from django.utils import translation

from wushe.core.errors import IllegalTransition
from wushe.orgs.models import IncubationStage, OrgStatus

S = OrgStatus
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    S.INCUBATING: frozenset({S.FILED, S.REGISTERED, S.ELIMINATED}),
    S.FILED: frozenset({S.REGISTERED, S.SUSPENDED, S.ELIMINATED}),
    S.REGISTERED: frozenset({S.SUSPENDED, S.ELIMINATED}),
    # Back from a suspension: to its filing, or (with a credit code) to registered.
    S.SUSPENDED: frozenset({S.FILED, S.REGISTERED, S.ELIMINATED}),
    S.ELIMINATED: frozenset(),
}
# A reason must be recorded for these (they end a rating and may be appealed).
NEEDS_REASON = frozenset({S.SUSPENDED, S.ELIMINATED})

G = IncubationStage
STAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    G.ENTERED: frozenset({G.CULTIVATING, G.WITHDRAWN}),
    G.CULTIVATING: frozenset({G.EVALUATING, G.WITHDRAWN}),
    G.EVALUATING: frozenset({G.GRADUATED, G.CULTIVATING, G.WITHDRAWN}),
    G.GRADUATED: frozenset(),
    G.WITHDRAWN: frozenset(),
}


def _label(choices: type[OrgStatus] | type[IncubationStage], value: str) -> tuple[str, str]:
    """The value's label in Chinese and in English, for a bilingual refusal."""
    try:
        member = choices(value)
    except ValueError:
        return value, value
    with translation.override("zh-hans"):
        zh = str(member.label)
    with translation.override("en"):
        en = str(member.label)
    return zh, en


def check_status(current: str, target: str) -> None:
    if target not in STATUS_TRANSITIONS.get(current, frozenset()):
        zh_from, en_from = _label(OrgStatus, current)
        zh_to, en_to = _label(OrgStatus, target)
        raise IllegalTransition(
            f"社会组织状态不能从“{zh_from}”变为“{zh_to}”",
            f"An organisation's status cannot move from {en_from} to {en_to}",
            field="status")


def allowed_statuses(current: str) -> list[str]:
    return [s for s in OrgStatus.values if s in STATUS_TRANSITIONS.get(current, frozenset())]


def check_stage(current: str, target: str) -> None:
    if target not in STAGE_TRANSITIONS.get(current, frozenset()):
        zh_from, en_from = _label(IncubationStage, current)
        zh_to, en_to = _label(IncubationStage, target)
        raise IllegalTransition(
            f"孵化阶段不能从“{zh_from}”变为“{zh_to}”",
            f"An incubation cannot move from stage {en_from} to {en_to}",
            field="stage")


def allowed_stages(current: str) -> list[str]:
    return [s for s in IncubationStage.values if s in STAGE_TRANSITIONS.get(current, frozenset())]
