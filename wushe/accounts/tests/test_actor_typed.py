"""One Actor type (#23 item 1): no service, selector or access function takes ``actor: Any``, and
the two narrowings of ``wushe.accounts.actor`` say what they promise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from wushe.accounts.actor import signed_in, user_or_none
from wushe.accounts.models import User
from wushe.core.errors import Unauthenticated

WUSHE = Path(__file__).resolve().parents[2]
UNTYPED = re.compile(r"""\bactor\s*:\s*["']?(?:typing\.)?Any\b""")


def untyped_actors(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if UNTYPED.search(line):
                found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
    return found


def test_no_actor_typed_any_outside_tests() -> None:
    found = untyped_actors(WUSHE)
    assert found == [], "type the actor as wushe.accounts.actor.Actor:\n" + "\n".join(found)


def test_the_scan_sees_an_untyped_actor(tmp_path: Path) -> None:
    app = tmp_path / "wushe" / "app"
    (app / "tests").mkdir(parents=True)
    (app / "services.py").write_text("def thing_create(*, actor: Any, name: str) -> None: ...\n")
    (app / "selectors.py").write_text("def thing_get(actor: 'Any') -> None: ...\n")
    (app / "tests" / "test_x.py").write_text("def helper(actor: Any) -> None: ...\n")
    found = untyped_actors(tmp_path / "wushe")
    assert [line.split(":")[0] for line in found] == ["wushe/app/selectors.py",
                                                       "wushe/app/services.py"]


@pytest.mark.django_db
def test_signed_in_is_the_user_itself(staff_a: User) -> None:
    assert signed_in(staff_a) is staff_a
    assert user_or_none(staff_a) is staff_a


@pytest.mark.parametrize("actor", [AnonymousUser(), None])
def test_signed_in_refuses_anonymous_and_system(actor: AnonymousUser | None) -> None:
    with pytest.raises(Unauthenticated) as refused:
        signed_in(actor)
    assert refused.value.message == {"zh": "请先登录", "en": "Please sign in"}


@pytest.mark.parametrize("actor", [AnonymousUser(), None, User(username="unsaved")])
def test_user_or_none_records_nobody_for_anonymous_system_and_unsaved(
        actor: AnonymousUser | User | None) -> None:
    assert user_or_none(actor) is None


STRICT_MODULES = {"wushe.accounts", "wushe.accounts.*", "wushe.core", "wushe.core.*",
                  "wushe.*.access"}
STRICT_FLAGS = {"warn_unused_ignores", "warn_return_any", "disallow_any_generics",
                "disallow_subclassing_any", "disallow_untyped_calls", "disallow_untyped_defs",
                "disallow_incomplete_defs", "check_untyped_defs", "disallow_untyped_decorators",
                "no_implicit_reexport", "strict_equality", "extra_checks"}


def test_mypy_is_strict_on_the_permission_paths() -> None:
    import tomllib

    config = tomllib.loads((WUSHE.parent / "pyproject.toml").read_text("utf-8"))
    strict = [o for o in config["tool"]["mypy"].get("overrides", [])
              if STRICT_MODULES <= set(o["module"])]
    assert strict, "the strict override for accounts, core and every access module is gone"
    assert {flag for flag in STRICT_FLAGS if strict[0].get(flag) is True} == STRICT_FLAGS
