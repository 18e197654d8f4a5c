"""Benchmarks of the demo generator, and the demo databases other benchmarks measure on.

Each demo database lives in its own data directory (own SQLite file, own keys), built by a
``wushe demo --no-serve`` subprocess so that settings pick that directory up exactly as they
would in production. Cached databases (``DATA_DIR/bench-<profile>``) are reused while their
marker (profile, seed, schema) matches; the timed seed build always starts from nothing.
"""

from __future__ import annotations

import os
import subprocess  # noqa: S404 (runs this project's own command)
import sys
import time
from pathlib import Path
from typing import Any

from wushe.core.figures import bench

SETTINGS_MODULE = "config.settings.base"


def subprocess_env(data_dir: Path) -> dict[str, str]:
    """The environment of a child pointed at ``data_dir``'s SQLite database."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env["WUSHE_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    return env


def wushe_argv(*args: str) -> list[str]:
    exe = Path(sys.executable).parent / "wushe"
    head = [str(exe)] if exe.exists() else [sys.executable, "-m", "wushe.cli"]
    return [*head, *args]


def run_demo(data_dir: Path, profile: str, seed: int, *, rebuild: bool = False) -> float:
    """Run ``wushe demo --no-serve`` into ``data_dir``; its progress goes to our stderr."""
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = wushe_argv("demo", "--profile", profile, "--seed", str(seed), "--no-serve")
    if rebuild:
        argv.append("--rebuild")
    started = time.perf_counter()
    done = subprocess.run(argv, env=subprocess_env(data_dir), stdout=subprocess.DEVNULL,  # noqa: S603
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wushe demo --profile {profile} failed in {data_dir} "
                           f"(exit {done.returncode})")
    return time.perf_counter() - started


def base_scale(options: dict[str, Any]) -> str:
    """The demo every block measures at least: seed, or small in a smoke run."""
    return "small" if options.get("smoke") else "seed"


def scales(options: dict[str, Any]) -> list[str]:
    """The demos a block measures at each scale: the base one and ``--profile`` if another."""
    base = base_scale(options)
    return [base] + ([options["profile"]] if options["profile"] != base else [])


def smoke_count(options: dict[str, Any], full: int, smoke: int) -> int:
    """``full`` repetitions, or ``smoke`` in a smoke run (``wushe bench --smoke``)."""
    return smoke if options.get("smoke") else full


def demo_data_dir(options: dict[str, Any], profile: str) -> Path:
    """A data directory holding the ``profile`` demo: from this run if built, else the cache."""
    key = f"{profile}_data_dir"
    if options.get(key) is None:
        cached = Path(options["data_dir"]) / f"bench-{profile}"
        options["progress"](f"demo {profile}: using {cached} (built if missing or stale)")
        run_demo(cached, profile, options["seed"])
        options[key] = cached
    return Path(options[key])


@bench("demo_build")
def demo_build(options: dict[str, Any]) -> dict[str, Any]:
    say = options["progress"]
    out: dict[str, Any] = {}
    if options.get("smoke"):  # the fresh build is of the small profile
        if not options["skip_build"]:
            target = Path(options["work_dir"]) / "small"
            say(f"demo_build_seconds_small: building the small profile into {target}")
            out["demo_build_seconds_small"] = round(run_demo(target, "small", options["seed"]),
                                                    1)
        return out
    if not options["skip_build"]:
        target = Path(options["work_dir"]) / "seed"
        say(f"demo_build_seconds: building the seed profile into {target}")
        out["demo_build_seconds"] = round(run_demo(target, "seed", options["seed"]), 1)
        options["seed_data_dir"] = target
    if options["with_city_build"]:
        target = Path(options["data_dir"]) / "bench-city"
        say(f"demo_build_seconds_city: building the city profile into {target}")
        out["demo_build_seconds_city"] = round(
            run_demo(target, "city", options["seed"], rebuild=True), 1)
        options["city_data_dir"] = target
    return out


def probe_scales(name: str, module: str, options: dict[str, Any],
                 keys: tuple[str, ...]) -> dict[str, Any]:
    """Run ``python -m <module> --iterations N`` (whose ``main`` prints one JSON object) over
    the cached seed database and, when asked, the city one; its ``keys`` get a ``_<scale>``
    suffix. The pattern every app's page benchmark shares."""
    import json

    out: dict[str, Any] = {}
    for scale in scales(options):
        data_dir = demo_data_dir(options, scale)
        options["progress"](f"{name}: measuring the {scale} database in {data_dir}")
        argv = [sys.executable, "-m", module, "--iterations", str(options["iterations"])]
        done = subprocess.run(argv, env=subprocess_env(data_dir), capture_output=True,  # noqa: S603
                              text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{name} probe failed in {data_dir}: {done.stderr[-2000:]}")
        figures = json.loads(done.stdout)
        for key in keys:
            out[f"{key}_{scale}"] = figures[key]
    return out


def probe_main(measure: Any, description: str, default_iterations: int = 30) -> None:
    """The ``main`` of a probe module: set Django up on this DATA_DIR, print ``measure``."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--iterations", type=int, default=default_iterations)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    sys.stdout.write(json.dumps(measure(iterations=args.iterations), sort_keys=True) + "\n")


class PageProbe:
    """A test client logged in as ``username`` (in a probe process) that times GETs and
    counts their queries; the harness of the app page benchmarks."""

    def __init__(self, username: str) -> None:
        from django.test import Client

        from wushe.accounts.models import User

        self.user = User.objects.get(username=username)
        self.client = Client(SERVER_NAME="localhost")
        self.client.force_login(self.user, backend="wushe.accounts.backends.LockoutBackend")

    def call(self, fn: Any) -> tuple[float, int]:
        """Seconds and queries of ``fn()``."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - started
        return elapsed, len(queries)

    def get(self, url: str) -> tuple[float, int]:
        """Seconds and queries of one GET, which must answer 200."""
        status: list[int] = []
        elapsed, queries = self.call(lambda: status.append(self.client.get(url).status_code))
        assert status == [200], (url, status)
        return elapsed, queries


def timings(fn: Any, times: int) -> tuple[list[float], Any]:
    """Seconds of ``times`` calls of ``fn()``, and the last call's result."""
    out, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - started)
    return out, result


def page_figures(prefix: str, samples: list[tuple[float, int]], *, p50: bool = False,
                 queries: bool = True) -> dict[str, Any]:
    """``<prefix>_p95_ms`` (and ``_p50_ms``, ``_queries`` when asked) of (seconds, queries)."""
    from wushe.core.figures import percentile_ms

    seconds = [t for t, _q in samples]
    out: dict[str, Any] = {}
    if p50:
        out[f"{prefix}_p50_ms"] = percentile_ms(seconds, 0.50)
    out[f"{prefix}_p95_ms"] = percentile_ms(seconds, 0.95)
    if queries:
        out[f"{prefix}_queries"] = max(q for _t, q in samples)
    return out
