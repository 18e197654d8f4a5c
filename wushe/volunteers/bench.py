"""Benchmarks of the volunteers app: a 250,000-row roster import, and reading team totals.

``import_250k_seconds`` / ``import_250k_peak_mb``: a generated roster of 250,000 volunteers is
imported (``wushe import volunteers``) by a child process into a fresh small-profile demo
database; the child reports its own wall time and peak resident memory.

``team_totals_p95_ms_<scale>``: on the cached demo databases (seed and city), the read behind
the team tree page (a team and its children with their totals) for random teams, as the district
administrator would open them; each total is a column of the team row (maintained
incrementally), so the time must not grow with the hours behind it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess  # noqa: S404 (runs this project's own module)
import sys
import time
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from wushe.core.figures import bench, percentile_ms

IMPORT_ROWS = 250_000
ID_PREFIX = "370102"  # not a prefix the demo's persons use: every row is a new person




def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="volunteers" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
}


def write_xlsx(rows: list[list[Any]], target: Path) -> None:
    """An .xlsx as Excel itself saves one: text in the shared-string table (openpyxl's
    write-only mode writes inline strings instead, which no office suite produces and which
    read more than twice as slowly)."""
    strings: dict[str, int] = {}
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write((head + '<worksheet xmlns="http://schemas.openxmlformats.org/'
                      'spreadsheetml/2006/main"><sheetData>').encode())
            for r, row in enumerate(rows, start=1):
                cells = []
                for c, value in enumerate(row):
                    if value in ("", None):
                        continue
                    index = strings.setdefault(str(value), len(strings))
                    cells.append(f'<c r="{_column(c)}{r}" t="s"><v>{index}</v></c>')
                fh.write(f'<row r="{r}">{"".join(cells)}</row>'.encode())
            fh.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w") as fh:
            fh.write((head + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                      f'2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">')
                     .encode())
            for text in strings:
                fh.write(f"<si><t>{escape(text)}</t></si>".encode())
            fh.write(b"</sst>")
        for name, xml in _PARTS.items():
            z.writestr(name, head + xml)


# A roster as a street office keeps it: a title row, a serial-number column and its own header
# words (the importer finds the header row and knows the words); no guardian columns, since
# adult volunteers have none.
ROSTER_TITLE = "九龙坡区志愿者花名册"
ROSTER_HEADERS = ["序号", "姓名", "身份证号码", "联系电话", "社区代码", "所属队伍", "技能", "服务意向",
                  "可服务时间", "加入日期"]


def write_roster(db: Path, target: Path, rows: int) -> None:
    """A roster of ``rows`` volunteers over the demo's communities and their squads."""
    from wushe.core.ids import id_check_digit

    surnames, given = "陈李张刘王杨黄周何吴罗唐谭赵徐胡邓曾彭蒋", "伟芳娟敏静丽强磊军洋勇艳杰娜涛明超秀霞平"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        squads = conn.execute(
            "SELECT t.path, r.code FROM volunteers_team t JOIN regions_region r "
            "ON r.id = t.region_id WHERE t.level = 'squad' ORDER BY t.path").fetchall()
    rng = random.Random(2026)
    data: list[list[Any]] = [[ROSTER_TITLE], ROSTER_HEADERS]
    for n in range(rows):
        day, seq = divmod(n, 1000)
        born = f"{1950 + day // 336:04d}{(day % 336) // 28 + 1:02d}{day % 28 + 1:02d}"
        first17 = f"{ID_PREFIX}{born}{seq:03d}"
        team, community = squads[rng.randrange(len(squads))]
        name = surnames[n % 20] + given[(n // 20) % 20] + given[(n // 400) % 20]
        data.append([n + 1, name, first17 + id_check_digit(first17), f"139{n:08d}", community,
                     team, "急救、摄影", "助老、上门慰问", "周末", "2024-05-01"])
    write_xlsx(data, target)


def measure_read(path: str) -> dict[str, Any]:
    """Reading alone: the sheet opened, its header found and every row turned into fields."""
    from wushe.core.excel import read_rows
    from wushe.volunteers.importers import VolunteerImporter

    started = time.perf_counter()
    _header, records, _sheet = read_rows(path, VolunteerImporter.columns)
    rows = sum(1 for _ in records)
    return {"import_250k_read_seconds": round(time.perf_counter() - started, 1),
            "import_250k_read_rows": rows}


def measure_import(path: str, username: str) -> dict[str, Any]:
    from wushe.accounts.models import User
    from wushe.core.excel import run_import

    actor = User.objects.get(username=username)
    started = time.perf_counter()
    with open(path, "rb") as fh:
        result = run_import("volunteers", fh, actor=actor)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"import_250k_seconds": round(seconds, 1), "import_250k_peak_mb": round(peak_kb / 1024),
            "import_250k_rows": result.total, "import_250k_imported": result.imported,
            "import_250k_errors": result.error_count}


def measure_totals(iterations: int, seed: int) -> dict[str, Any]:
    from wushe.accounts import scope
    from wushe.accounts.models import User
    from wushe.volunteers import access, selectors
    from wushe.volunteers.models import Team

    rng = random.Random(seed)
    viewer = User.objects.get(username="district_admin")
    ids = list(Team.objects.unscoped(reason="bench: measures the whole district").values_list("pk", flat=True))
    picked = [rng.choice(ids) for _ in range(iterations)]
    timings = []
    for team_id in picked:
        scope.forget(viewer)
        access.forget(viewer)
        started = time.perf_counter()
        team = selectors.team_get(actor=viewer, team_id=team_id)
        rows = [(c.name, c.hours_confirmed, c.records_confirmed, c.members)
                for c in selectors.team_children(actor=viewer, team=team)]
        _ = (team.hours_confirmed, rows)
        timings.append(time.perf_counter() - started)
    return {"team_totals_p50_ms": percentile_ms(timings, 0.5), "team_totals_p95_ms": percentile_ms(timings, 0.95),
            "teams": len(ids)}


def _child(data_dir: Path, *args: str) -> dict[str, Any]:
    from wushe.demo.bench import subprocess_env

    argv = [sys.executable, "-m", "wushe.volunteers.bench", *args]
    done = subprocess.run(argv, env=subprocess_env(data_dir), capture_output=True,  # noqa: S603
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"volunteers probe failed in {data_dir}: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout))


@bench("volunteers_import")
def import_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import run_demo, smoke_count

    say = options["progress"]
    rows = smoke_count(options, IMPORT_ROWS, 2_000)  # the figures keep their 250k names
    target = Path(options["work_dir"]) / "volunteers-import"
    say(f"volunteers: a fresh small demo in {target}")
    run_demo(target, "small", options["seed"])
    roster = Path(options["work_dir"]) / "roster-250k.xlsx"
    say(f"volunteers: writing a {rows}-row roster")
    write_roster(target / "wushe.sqlite3", roster, rows)
    say("volunteers: reading it")
    figures = _child(target, "read", str(roster))
    say("volunteers: importing it")
    figures.update(_child(target, "import", str(roster), "--user", "district_admin"))
    if figures["import_250k_imported"] != rows:
        raise RuntimeError(f"the import wrote {figures['import_250k_imported']} rows")
    return figures


@bench("volunteers_totals")
def totals_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import demo_data_dir, scales, smoke_count

    iterations = smoke_count(options, max(50, options["iterations"]), options["iterations"])
    out: dict[str, Any] = {}
    for scale in scales(options):
        data_dir = demo_data_dir(options, scale)
        options["progress"](f"volunteers: team totals on the {scale} database")
        figures = _child(data_dir, "totals", "--iterations", str(iterations),
                         "--seed", str(options["seed"]))
        out[f"team_totals_p50_ms_{scale}"] = figures["team_totals_p50_ms"]
        out[f"team_totals_p95_ms_{scale}"] = figures["team_totals_p95_ms"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Volunteers benchmarks on this database")
    sub = parser.add_subparsers(dest="what", required=True)
    imp = sub.add_parser("import")
    imp.add_argument("path")
    imp.add_argument("--user", default="district_admin")
    read = sub.add_parser("read")
    read.add_argument("path")
    tot = sub.add_parser("totals")
    tot.add_argument("--iterations", type=int, default=200)
    tot.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    if args.what == "import":
        figures = measure_import(args.path, args.user)
    elif args.what == "read":
        figures = measure_read(args.path)
    else:
        figures = measure_totals(args.iterations, args.seed)
    sys.stdout.write(json.dumps(figures, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
