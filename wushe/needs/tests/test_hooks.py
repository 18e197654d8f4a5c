"""needs.hooks: a step's hooks run after its transaction commits, with the need, the action and
the two states; a step that fails runs none; a hook that raises does not stop the others."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.core.errors import WusheError
from wushe.needs import hooks, services
from wushe.needs.models import Need


@pytest.fixture
def calls() -> Any:
    seen: list[tuple[int, str, str, str]] = []

    def boom(*_: Any) -> None:
        raise RuntimeError("a broken hook")

    def record(need_id: int, action: str, before: str, after: str) -> None:
        seen.append((need_id, action, before, after))

    hooks.on_step(boom)
    hooks.on_step(record)
    hooks.on_step(record)  # once only
    yield seen
    hooks._HOOKS.remove(boom)
    hooks._HOOKS.remove(record)


def test_hook_runs_after_commit_with_the_step(calls: Any, accepted: Need, staff_a: Any,
                                              django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.need_escalate(actor=staff_a, need=accepted, reason="需街道协调")
    assert calls == []  # not before commit
    for fn in pending:
        fn()
    assert calls == [(accepted.pk, "escalate", accepted.state, accepted.state)]


def test_refused_step_runs_no_hook(calls: Any, accepted: Need, staff_a: Any,
                                   django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(WusheError):
            services.need_resolve(actor=staff_a, need=accepted, result="")
    assert calls == []
