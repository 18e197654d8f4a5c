"""Layering is a contract (issue #23 item 3): ``lint-imports`` keeps the contracts of
pyproject.toml, and every app is placed in one of them, so a new app cannot sit outside the
layers unnoticed."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Apps no layering contract places, each with its reason. A new app goes into a contract.
UNPLACED = {
    "demo": "the demo builder imports every app to generate its records",
}


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return list(config["tool"]["importlinter"]["contracts"])


def test_the_import_contracts_are_kept() -> None:
    done = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_every_app_is_placed_by_a_contract() -> None:
    named: set[str] = set()
    for contract in _contracts():
        for key in ("source_modules", "layers"):
            for entry in contract.get(key, []):  # type: ignore[attr-defined]
                for module in str(entry).replace("|", " ").split():
                    named.add(module.removeprefix("wushe.").split(".")[0])
    apps = {p.parent.name for p in (ROOT / "wushe").glob("*/apps.py")}
    unplaced = apps - named - set(UNPLACED)
    assert not unplaced, f"apps outside every import contract: {sorted(unplaced)}"
    assert not set(UNPLACED) & named, "an app placed by a contract is still listed as unplaced"


# The foundation every app builds on: a view may use its models (a region, a user, a person).
FOUNDATION = {"core", "accounts", "audit", "regions", "people", "web"}


def _is_view_module(path: Path) -> bool:
    return (path.name.startswith(("views", "api")) or path.parent.name == "views") \
        and "tests" not in path.parts and "migrations" not in path.parts


def test_views_read_other_apps_through_their_selectors() -> None:
    """Capability apps talk to each other through registries, selectors and services: a view
    or API module imports no other capability app's models (the query that needs them lives
    in a selector, which applies the scope)."""
    import ast

    wrong = []
    for path in sorted((ROOT / "wushe").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if not _is_view_module(rel):
            continue
        app = rel.parts[1]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if (len(parts) >= 3 and parts[0] == "wushe" and parts[2] == "models"
                        and parts[1] not in FOUNDATION | {app}):
                    wrong.append(f"{rel}:{node.lineno} imports {name}")
                    break
    assert wrong == [], "views importing another capability app's models:\n" + "\n".join(wrong)
