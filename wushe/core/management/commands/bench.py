"""``wushe bench [--json]``: run every registered benchmark, print one flat object of figures.

Benchmarks register in ``wushe.core.figures.BENCHES`` from their app's ``ready()``; each gets
the same options dict (and may leave things in it for the next, such as a demo database it
built). Progress goes to stderr; with ``--json`` stdout holds the JSON object and nothing else.
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
        parser.add_argument("--iterations", type=int, default=50, help="pages per list figure")
        parser.add_argument("--lookups", type=int, default=200, help="lookups per lookup figure")
        parser.add_argument("--only", action="append", default=[],
                            help="run only this benchmark (repeatable)")

    def handle(self, *args: Any, **opts: Any) -> None:
        unknown = set(opts["only"]) - set(BENCHES)
        if unknown:
            raise CommandError(f"未知的基准 / unknown benchmark: {', '.join(sorted(unknown))}")
        work_dir = Path(tempfile.mkdtemp(prefix="wushe-bench-"))
        options: dict[str, Any] = {
            "profile": opts["profile"], "seed": opts["seed"], "skip_build": opts["skip_build"],
            "with_city_build": opts["with_city_build"], "iterations": opts["iterations"],
            "lookups": opts["lookups"], "work_dir": work_dir, "data_dir": Path(settings.DATA_DIR),
            "progress": self._say,
        }
        figures: dict[str, Any] = {}
        failed = []
        started = time.perf_counter()
        try:
            for name, fn in BENCHES.items():
                if opts["only"] and name not in opts["only"]:
                    continue
                self._say(f"bench {name} …")
                t = time.perf_counter()
                try:
                    figures.update(fn(options))
                except Exception as exc:  # one broken benchmark must not lose the others
                    traceback.print_exc(file=sys.stderr)
                    figures[f"bench_error_{name}"] = f"{type(exc).__name__}: {exc}"
                    failed.append(name)
                self._say(f"bench {name}: {time.perf_counter() - t:.1f}s")
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
        figures["bench_seconds"] = round(time.perf_counter() - started, 1)
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
