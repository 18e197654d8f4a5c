"""The life of a service project: one explicit transition table.

designed 设计 → listed 列入购买清单 → procured 确定承接方 → contracted 签订合同 → in_service 服务中
→ midterm_evaluated 中期评估 → final_evaluated 末期评估 → closed 结项 (renewed 续签 / not renewed).

A project may skip the mid-term evaluation (a short project goes from in service straight to the
final evaluation), and may be closed early as not renewed once in service (terminated after a
failed evaluation). A renewal is decided only after the final evaluation.

Every service that moves a project calls ``check`` first: a move not in the table raises
IllegalTransition (both languages) before anything is written.
"""

from __future__ import annotations

from wushe.core.errors import IllegalTransition
from wushe.projects.models import Status

S = Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DESIGNED: frozenset({S.LISTED}),
    S.LISTED: frozenset({S.PROCURED}),
    S.PROCURED: frozenset({S.CONTRACTED}),
    S.CONTRACTED: frozenset({S.IN_SERVICE}),
    S.IN_SERVICE: frozenset({S.MIDTERM_EVALUATED, S.FINAL_EVALUATED, S.CLOSED}),
    S.MIDTERM_EVALUATED: frozenset({S.FINAL_EVALUATED, S.CLOSED}),
    S.FINAL_EVALUATED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# Reached the contract (or later): the definition of "purchased" (see stats.py).
PURCHASED = frozenset({S.CONTRACTED, S.IN_SERVICE, S.MIDTERM_EVALUATED, S.FINAL_EVALUATED,
                       S.CLOSED})
# Being delivered: evaluations are opened for these (supervision adds the contracted ones).
ACTIVE = frozenset({S.IN_SERVICE, S.MIDTERM_EVALUATED})
# Still editable as a design (name, summary, budget, indicators, origin needs).
EDITABLE = frozenset({S.DESIGNED, S.LISTED})

ZH: dict[str, str] = {
    S.DESIGNED: "已设计", S.LISTED: "已列入购买清单", S.PROCURED: "已确定承接方",
    S.CONTRACTED: "已签订合同", S.IN_SERVICE: "服务中", S.MIDTERM_EVALUATED: "已中期评估",
    S.FINAL_EVALUATED: "已末期评估", S.CLOSED: "已结项",
}


def allowed(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())


def check(project: object, *, to: str) -> None:
    """Raise IllegalTransition unless the project may move from its status to ``to``."""
    current = str(getattr(project, "status", ""))
    if not allowed(current, to):
        raise IllegalTransition(
            f"项目当前状态为“{ZH.get(current, current)}”,不能变更为“{ZH.get(to, to)}”",
            f"A project that is {current} cannot become {to}",
        )
