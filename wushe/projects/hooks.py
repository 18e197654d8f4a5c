"""Extension points other apps plug into, so projects never imports them (like needs.linkage).

- **Payment gates**: a contract tranche linked to an evaluation stage ("midterm", "final") is paid
  only when every registered gate says the stage passed. wushe.evaluation registers the gate
  "the stage's four-party evaluation reached at least a pass". No gate registered → not passed
  (a tranche tied to an evaluation is never paid blind).
- **Eligibility checks**: at procurement, each check may refuse an organisation for a cycle with a
  bilingual reason (wushe.evaluation refuses organisations eliminated in the previous cycle).
- **Project page panels**: supervision and evaluation add their sections to the project page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# gate(project, stage) -> True (passed) / False (evaluated below pass) / None (not evaluated yet)
Gate = Callable[[Any, str], "bool | None"]
# check(org, year) -> None when eligible, else (reason_zh, reason_en)
EligibilityCheck = Callable[[Any, int], "tuple[str, str] | None"]

GATES: list[Gate] = []
ELIGIBILITY: list[EligibilityCheck] = []


@dataclass(frozen=True)
class Panel:
    """A section of the project page: ``context(request, project)`` returns the template's
    context (already scoped to request.user), or None to hide the panel."""

    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


PANELS: dict[str, Panel] = {}


def register_gate(gate: Gate) -> Gate:
    if gate not in GATES:
        GATES.append(gate)
    return gate


def register_eligibility(check: EligibilityCheck) -> EligibilityCheck:
    if check not in ELIGIBILITY:
        ELIGIBILITY.append(check)
    return check


def register_panel(panel: Panel) -> Panel:
    PANELS[panel.key] = panel
    return panel


def stage_passed(project: Any, stage: str) -> bool | None:
    """All gates agree the stage passed; False if any says it failed; None if none decided."""
    if not GATES:
        return None
    answers = [gate(project, stage) for gate in GATES]
    if any(a is False for a in answers):
        return False
    if any(a is None for a in answers):
        return None
    return True


def ineligible_reasons(org: Any, year: int) -> list[tuple[str, str]]:
    return [r for r in (check(org, year) for check in ELIGIBILITY) if r is not None]


def panels() -> list[Panel]:
    return sorted(PANELS.values(), key=lambda p: p.order)
