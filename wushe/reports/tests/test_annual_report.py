"""The annual work report: `wushe report annual` in the three formats, the known number in
each file, footnotes to definitions, the English version, refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from wushe.core.jobs import JOBS
from wushe.core.pdffonts import pdf_font
from wushe.core.scoping import scopes_disabled
from wushe.demo.steps import STEPS
from wushe.reports.annual import build_document, write
from wushe.reports.kpis import KPIS

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
POPULATION = "14,000"  # 8,000 + 6,000 residents of the conftest communities


def _pdf_has(content: bytes, text: str) -> bool:
    """ASCII stays itself in the embedded TrueType subset (wushe/core/pdffonts.py); the CID
    fallback writes it as UCS-2 (\\000 then the character)."""
    if pdf_font().embedded:
        return text.encode() in content
    return "".join(f"\\000{c}" for c in text).encode() in content


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_command_writes_each_format(world: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    stdout = io.StringIO()
    call_command("report", "annual", "--year", str(YEAR), "--region", "500107000000", "-o",
                 str(out), stdout=stdout, stderr=io.StringIO())
    assert out.stat().st_size > 1000 and str(out) in stdout.getvalue()
    content = out.read_bytes()
    if fmt == "html":
        text = content.decode()
        assert POPULATION in text and "附录" in text and 'id="note-1"' in text
    elif fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            body = z.read("word/document.xml").decode()
            assert POPULATION in body and "regions.population" in body
            assert any(n.startswith("word/media/") for n in z.namelist())  # a chart picture
    else:
        assert content.startswith(b"%PDF")


def test_pdf_contains_the_known_number(world: dict[str, Any], tmp_path: Path) -> None:
    with scopes_disabled():
        doc = build_document(world["district"], YEAR, "zh")
    path = write(doc, "pdf", tmp_path / "r.pdf", compress=False)
    assert _pdf_has(path.read_bytes(), POPULATION)


def test_every_number_has_a_note_with_its_definition(world: dict[str, Any]) -> None:
    with scopes_disabled():
        doc = build_document(world["district"], YEAR, "zh")
    notes = {n.key: n for n in doc.notes}
    assert [n.number for n in doc.notes] == list(range(1, len(doc.notes) + 1))
    assert notes["regions.population"].value == POPULATION
    assert notes["regions.population"].definition == KPIS["regions.population"].definition_zh
    headings = [s.heading for s in doc.sections]
    assert headings[:2] == ["一、创新社区治理体系", "二、激发社区服务动能"]
    assert "四、拓宽社区资源渠道" in headings


def test_english_version(world: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    call_command("report", "annual", "--year", str(YEAR), "--lang", "en", "-o", str(out),
                 stdout=io.StringIO(), stderr=io.StringIO())
    text = out.read_text()
    assert "1. The governance system" in text and "permanent population of" in text
    assert POPULATION in text


@pytest.mark.parametrize("args", [["--region", "999999999999"], ["--year", "1800"],
                                  ["-o", "x.txt"]])
def test_command_refuses_bad_input(world: dict[str, Any], tmp_path: Path, args: list[str]
                                   ) -> None:
    argv = ["report", "annual", "-o", str(tmp_path / "r.html"), *args]
    with pytest.raises(CommandError):
        call_command(*argv, stdout=io.StringIO(), stderr=io.StringIO())


def test_rollup_job_and_demo_step_are_registered() -> None:
    assert "reports.rollup" in JOBS
    assert STEPS["reports"].order > max(s.order for n, s in STEPS.items() if n != "reports")
