"""docs/architecture.md stays true: every module path it names exists, every ``path:name`` it
cites is defined in that file, it names every registry an app plugs into, and the README links
it instead of the design notes that live outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "architecture.md"
README = ROOT / "README.md"

# A backticked repository path: wushe/…, config/…, scripts/…, docs/… ending in .py, .md, .sh
# or /, optionally followed by ":name" (a function, class or registry defined in that file).
PATH = re.compile(r"`((?:wushe|config|scripts|docs)/(?:[\w.-]+/)*(?:[\w.-]+\.(?:py|md|sh))?)"
                  r"(?::(\w+))?`")

# The registries an app plugs into, with the module that defines each: the doc must name the
# registry, and the module must still define it (so a renamed registry fails here too).
REGISTRIES = {
    "PRODUCERS": "wushe/inbox/registry.py",
    "PROVIDERS": "wushe/needs/linkage.py",
    "IMPORTERS": "wushe/core/excel.py",
    "EXPORTS": "wushe/core/exportjobs.py",
    "STATS": "wushe/core/figures.py",
    "BENCHES": "wushe/core/figures.py",
    "JOBS": "wushe/core/jobs.py",
    "KINDS": "wushe/core/progress.py",
    "STEPS": "wushe/demo/steps.py",
    "RULES": "wushe/regions/rules.py",
    "CHECKS": "wushe/regions/coverage.py",
    "ENUMS": "wushe/audit/codes.py",
    "GATES": "wushe/projects/hooks.py",
    "ELIGIBILITY": "wushe/projects/hooks.py",
    "PANELS": "wushe/projects/hooks.py",
    "REGISTRY": "wushe/reports/kpis/base.py",
    "ROLE_TASKS": "wushe/web/home.py",
    "DEFAULTS": "wushe/core/ratelimit.py",
    "ROUTERS": "config/api.py",
}
# How apps register, as the doc must show it.
REGISTERING = ["navigation.register", "home.add_tasks", "@periodic", "@producer",
               "@stats_block", "@bench", "codes.register", "exportjobs.register",
               "progress.register", "@step", "AppConfig.ready()"]


def _defines(text: str, name: str) -> bool:
    return re.search(rf"^\s*(?:async\s+def|def|class)\s+{name}\b|^{name}\s*[:=]", text,
                     re.MULTILINE) is not None


def _cited() -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in PATH.finditer(DOC.read_text(encoding="utf-8"))]


def test_the_pattern_reads_paths_and_names() -> None:
    found = [(m.group(1), m.group(2)) for m in PATH.finditer(
        "see `wushe/core/jobs.py`, `wushe/needs/work.py:needs_to_accept`, `docs/`, `<app>/x.py`,"
        " `wushe stats`")]
    assert found == [("wushe/core/jobs.py", None), ("wushe/needs/work.py", "needs_to_accept"),
                     ("docs/", None)]


def test_the_doc_cites_many_paths() -> None:
    cited = _cited()
    assert len({path for path, _name in cited}) >= 60
    assert sum(1 for _path, name in cited if name) >= 25


def test_every_path_the_doc_names_exists() -> None:
    missing = sorted({path for path, _name in _cited() if not (ROOT / path).exists()})
    assert missing == []


def test_every_name_the_doc_cites_is_defined_in_its_module() -> None:
    undefined = sorted({f"{path}:{name}" for path, name in _cited()
                        if name and (ROOT / path).is_file()
                        and not _defines((ROOT / path).read_text(encoding="utf-8"), name)})
    assert undefined == []


def test_the_doc_names_every_registry() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [name for name in REGISTRIES if name not in text] == []
    assert [how for how in REGISTERING if how not in text] == []


def test_each_registry_is_still_defined_where_the_test_says() -> None:
    stale = [f"{path}:{name}" for name, path in REGISTRIES.items()
             if not _defines((ROOT / path).read_text(encoding="utf-8"), name)]
    assert stale == []


def test_the_doc_is_short() -> None:
    assert len(DOC.read_text(encoding="utf-8").splitlines()) <= 320


def test_readme_links_the_doc_and_no_longer_cites_design_md() -> None:
    text = README.read_text(encoding="utf-8")
    assert "](docs/architecture.md" in text
    assert "DESIGN" not in text
