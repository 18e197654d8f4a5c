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
