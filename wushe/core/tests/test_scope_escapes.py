"""Scope escapes can be counted (#23 item 2).

Two names for two meanings on a ``ScopedQuerySet``:
- ``mark_scoped()``: "the scope was applied right here" -- only in access modules, selectors and
  ``accounts/scope.py``;
- ``unscoped(reason="...")``: a real escape, and every (module, reason) pair is a line of
  ``wushe/core/scope_escapes.txt``. A new escape fails this test until it is listed (justified);
  a listed line nothing uses any more fails too, so the list stays true.

Tests may still call ``unscoped()`` bare (they read what they just wrote); nothing else may.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ALLOWLIST = ROOT / "wushe" / "core" / "scope_escapes.txt"

# Where "scope applied here" may be said: module path parts naming an access or selector layer.
_MARK_SCOPED_PARTS = ("access", "selectors", "scope")


def _is_test(path: Path) -> bool:
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def _modules() -> list[tuple[str, Path]]:
    out = []
    for base in ("wushe", "config"):
        for path in sorted((ROOT / base).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if _is_test(rel):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out.append((".".join(parts), path))
    return out


class Calls:
    def __init__(self) -> None:
        self.reasoned: dict[tuple[str, str], int] = defaultdict(int)  # (module, reason) -> calls
        self.bare: dict[str, int] = defaultdict(int)  # module -> calls with no reason
        self.bad: list[str] = []  # reasons that are not a non-empty string literal
        self.marked: dict[str, int] = defaultdict(int)  # module -> mark_scoped() calls


def _collect() -> Calls:
    calls = Calls()
    for module, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr == "mark_scoped":
                calls.marked[module] += 1
                continue
            if node.func.attr != "unscoped":
                continue
            args = list(node.args) + [k.value for k in node.keywords if k.arg == "reason"]
            if not args:
                calls.bare[module] += 1
                continue
            arg = args[0]
            if (len(args) != 1 or not isinstance(arg, ast.Constant) or not isinstance(arg.value, str)
                    or not arg.value.strip()):
                calls.bad.append(f"{module}:{node.lineno}")
                continue
            calls.reasoned[(module, arg.value.strip())] += 1
    return calls


def _allowlist() -> list[tuple[str, str]]:
    lines = []
    for n, raw in enumerate(ALLOWLIST.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        module, sep, reason = line.partition(": ")
        assert sep and module and reason.strip(), f"scope_escapes.txt:{n}: want 'module: reason'"
        lines.append((module.strip(), reason.strip()))
    return lines


def test_the_walk_sees_the_escapes() -> None:
    calls = _collect()
    total = sum(calls.reasoned.values()) + sum(calls.bare.values())
    assert total > 100, "the ast walk found almost no .unscoped() calls: it is looking in the wrong place"
    assert calls.marked, "the ast walk found no .mark_scoped() call"


def test_reasons_are_string_literals() -> None:
    # ScopedManager.unscoped forwards its caller's reason (the literal the walk checks there).
    bad = [b for b in _collect().bad if not b.startswith("wushe.core.scoping:")]
    assert bad == [], "unscoped(reason=...) takes one non-empty string literal"


def test_every_escape_is_listed() -> None:
    listed = set(_allowlist())
    missing = sorted(f"{m}: {r}" for (m, r) in _collect().reasoned if (m, r) not in listed)
    assert missing == [], ("unlisted scope escapes; justify each in wushe/core/scope_escapes.txt:\n"
                           + "\n".join(missing))


def test_every_listed_escape_is_used() -> None:
    lines = _allowlist()
    assert len(lines) == len(set(lines)), "scope_escapes.txt repeats a line"
    used = set(_collect().reasoned)
    stale = sorted(f"{m}: {r}" for (m, r) in lines if (m, r) not in used)
    assert stale == [], "scope_escapes.txt lists escapes no module makes any more:\n" + "\n".join(stale)


def test_no_bare_unscoped_outside_tests() -> None:
    bare = sorted(_collect().bare)
    assert bare == [], f"these modules call .unscoped() with no reason: give one (and list it) {bare}"


def test_mark_scoped_only_where_the_scope_is_applied() -> None:
    wrong = sorted(m for m in _collect().marked
                   if m != "wushe.core.scoping"
                   and not any(part.startswith(_MARK_SCOPED_PARTS) for part in m.split(".")[2:]))
    assert wrong == [], ("mark_scoped() means 'scope applied here' and belongs in access modules "
                         f"and selectors; elsewhere use unscoped(reason=...): {wrong}")
