"""``wushe bench [--json]``: run every registered benchmark, print one flat object of figures.

Benchmarks register in ``wushe.core.figures.BENCHES`` from their app's ``ready()``; each gets
the same options dict (and may leave things in it for the next, such as a demo database it
built). Progress goes to stderr; with ``--json`` stdout holds the JSON object and nothing else.
Besides the figures: ``bench_blocks`` (each block that ran and how many figures it gave, 0 if
it failed), ``bench_error_<block>`` for a failed block, ``bench_seconds`` and ``bench_smoke``.

``--smoke`` runs every block with small counts on the small demo database alone (``options
["smoke"]``; ``wushe.demo.bench.base_scale``/``scales``/``smoke_count`` are the blocks' one
way to honour it): a check for CI that the bench still runs, in minutes, not a measurement.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.core.figures import BENCHES

# The demo's default seed; the kernel does not import the demo app.
DEFAULT_SEED = 2026


class Command(BaseCommand):
    help = "Run the registered benchmarks (builds demo databases; slow at city scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
        parser.add_argument("--profile", choices=["small", "seed", "city"], default="city",
                            help="the large scale to measure besides seed (default city)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--skip-build", action="store_true",
                            help="no timed fresh build; measure on cached demo databases")
        parser.add_argument("--with-city-build", action="store_true",
                            help="also time a fresh city build (slow)")
        parser.add_argument("--iterations", type=int, default=None,
                            help="pages per list figure (default 50; 5 with --smoke)")
        parser.add_argument("--lookups", type=int, default=None,
                            help="lookups per lookup figure (default 200; 20 with --smoke)")
        parser.add_argument("--smoke", action="store_true",
                            help="every benchmark with small counts on the small demo database "
                                 "only (a check that the bench runs, for CI; not figures)")
        parser.add_argument("--only", action="append", default=[],
                            help="run only this benchmark (repeatable)")

    def handle(self, *args: Any, **opts: Any) -> None:
        unknown = set(opts["only"]) - set(BENCHES)
        if unknown:
            raise CommandError(f"未知的基准 / unknown benchmark: {', '.join(sorted(unknown))}")
        work_dir = Path(tempfile.mkdtemp(prefix="wushe-bench-"))
        smoke = opts["smoke"]
        iterations, lookups = opts["iterations"], opts["lookups"]
        options: dict[str, Any] = {
            "profile": "small" if smoke else opts["profile"], "seed": opts["seed"],
            "skip_build": opts["skip_build"], "with_city_build": opts["with_city_build"],
            "iterations": iterations if iterations is not None else (5 if smoke else 50),
            "lookups": lookups if lookups is not None else (20 if smoke else 200),
            "smoke": smoke, "work_dir": work_dir, "data_dir": Path(settings.DATA_DIR),
            "progress": self._say,
        }
        figures: dict[str, Any] = {}
        # name -> how many figures the block gave (a block that gave none is visible)
        blocks: dict[str, int] = {}
        failed = []
        started = time.perf_counter()
        try:
            for name, fn in BENCHES.items():
                if opts["only"] and name not in opts["only"]:
                    continue
                self._say(f"bench {name} …")
                t = time.perf_counter()
                try:
                    block = fn(options)
                    figures.update(block)
                    blocks[name] = len(block)
                except Exception as exc:  # one broken benchmark must not lose the others
                    traceback.print_exc(file=sys.stderr)
                    figures[f"bench_error_{name}"] = f"{type(exc).__name__}: {exc}"
                    failed.append(name)
                    blocks[name] = 0
                self._say(f"bench {name}: {time.perf_counter() - t:.1f}s")
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
        figures["bench_seconds"] = round(time.perf_counter() - started, 1)
        figures["bench_blocks"] = blocks
        figures["bench_smoke"] = smoke
        if opts["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True, indent=2))
        else:
            width = max(len(k) for k in figures)
            for key in sorted(figures):
                self.stdout.write(f"{key:<{width}}  {figures[key]}")
        if failed:
            raise CommandError(f"基准失败 / benchmarks failed: {', '.join(failed)}")

    def _say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()
