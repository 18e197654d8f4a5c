"""Intake throughput against an empty endpoint, on the same server under the same load.

One gunicorn (as ``wushe demo`` serves it) over a private copy of the seed database; first
the empty endpoint (/reports/ping: no session, no database, no template), then the public
intake (POST /api/v1/public/needs), each with the same concurrency and request count. The
ratio says how much of the server's capacity a real write costs.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess  # noqa: S404 (runs this project's own server)
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

CONCURRENCY = 8
REQUESTS = 1_600


def _copy(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "keys.json", target / "keys.json")
    with sqlite3.connect(source / "wushe.sqlite3") as src, \
            sqlite3.connect(target / "wushe.sqlite3") as dst:
        src.backup(dst)


def intake_vs_empty(data_dir: Path, work: Path, *, requests: int = REQUESTS,
                    concurrency: int = CONCURRENCY) -> dict[str, Any]:
    from django.conf import settings

    from wushe.core.pgtemp import free_port
    from wushe.demo.bench import subprocess_env
    from wushe.needs.bench_postgres import http_load

    target = work / "reports-intake"
    _copy(data_dir, target)
    with sqlite3.connect(target / "wushe.sqlite3") as conn:
        codes = [r[0] for r in conn.execute("SELECT code FROM regions_region WHERE level = "
                                            "'community' ORDER BY code LIMIT 50")]
    port = free_port()
    env = {**subprocess_env(target), "WUSHE_NEEDS_INTAKE_RATE": "0", "WUSHE_DEBUG": "0"}
    argv = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "-b",
            f"127.0.0.1:{port}", "-w", "4", "--chdir", str(settings.BASE_DIR)]
    log = (work / "reports-intake.log").open("w")
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(2026)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/reports/ping", timeout=2):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the bench server did not start") from None
                time.sleep(0.2)
        empty_rps, _, _ = http_load(lambda i: urllib.request.Request(  # noqa: S310 (http, loopback)
            f"{base}/reports/ping"), requests, concurrency)

        def intake(i: int) -> urllib.request.Request:
            body = json.dumps({"category": rng.choice(["temporary_relief", "legal_aid",
                                                       "counselling", "other"]),
                               "description": f"基准测试诉求 {i}", "community": codes[i % len(codes)],
                               "contact_name": "测试居民", "contact_phone": f"137{i:08d}",
                               "consent": True}).encode()
            return urllib.request.Request(  # noqa: S310
                f"{base}/api/v1/public/needs", data=body, method="POST",
                headers={"Content-Type": "application/json",
                         "Idempotency-Key": f"reports-bench-{uuid.uuid4()}"})

        intake_rps, latencies, _ = http_load(intake, requests, concurrency)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(target, ignore_errors=True)
    return {"empty_endpoint_rps": round(empty_rps, 1),
            "intake_rps_same_server": round(intake_rps, 1),
            "intake_accepted_same_server": len(latencies),
            "intake_vs_empty_endpoint_ratio": round(intake_rps / empty_rps, 4) if empty_rps
            else None}
