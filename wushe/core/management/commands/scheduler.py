"""``wushe scheduler``: enqueue each periodic job when it is due (run it as a systemd service).

Every ``--interval`` seconds it claims the lease of each due job (core/jobs.py) and enqueues the
task ``run_periodic(name, token)``; ``wushe worker`` runs it. The claim and the enqueue share one
transaction, so on the database task backend a job is either leased and queued or neither. Any
number of schedulers may run (one per server): the lease lets one of them enqueue a job. A
locked database (SQLite, while a long import writes) skips the round; SIGTERM or SIGINT ends
the loop after the current round.
"""

from __future__ import annotations

import json
import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections, connection, transaction

from wushe.core.jobs import claim, default_owner, due_names, status, sync_jobs
from wushe.core.logmask import MaskIdentifiers

log = logging.getLogger("wushe.scheduler")


def schedule_round(owner: str) -> list[str]:
    """Claim and enqueue every due job once; the names enqueued."""
    from wushe.core.tasks import run_periodic

    sync_jobs()
    enqueued = []
    for name in due_names():
        with transaction.atomic():
            token = claim(name, owner)
            if token is None:  # another scheduler took it first
                continue
            result = run_periodic.enqueue(name, token)
        enqueued.append(name)
        log.info("scheduler %s: enqueued %s (task %s)", owner, name, result.id)
    return enqueued


class Command(BaseCommand):
    help = "Enqueue the periodic jobs when they are due, under a database lease / 定时任务调度"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--interval", type=float, default=5.0, metavar="SECONDS",
                            help="seconds between two rounds (default 5)")
        parser.add_argument("--once", action="store_true", help="one round, then exit")
        parser.add_argument("--status", action="store_true",
                            help="print each job's schedule and last run as JSON, enqueue nothing")
        parser.add_argument("--owner", default="", help="the name on its leases (host:pid)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["status"]:
            self.stdout.write(json.dumps(status(), ensure_ascii=False, indent=2))
            return
        owner = options["owner"] or default_owner()
        stop: list[int] = []

        def on_signal(signum: int, frame: Any) -> None:
            stop.append(signum)

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        if logging.getLogger().getEffectiveLevel() > logging.INFO and not log.handlers:
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            handler.addFilter(MaskIdentifiers())  # no identifier in any log line (#22)
            log.addHandler(handler)  # one line per enqueue, whatever WUSHE_LOG_LEVEL says
            log.setLevel(logging.INFO)
            log.propagate = False
        log.info("scheduler %s: started, a round every %ss", owner, options["interval"])
        while not stop:
            if not connection.in_atomic_block:
                # A long-lived loop drops stale connections between rounds, as a request does;
                # never inside a transaction (a caller's, or a test's).
                close_old_connections()
            try:
                schedule_round(owner)
            except OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                # SQLite while a long import holds the write lock: the next round catches up.
                log.warning("scheduler %s: round skipped, database busy (%s)", owner, exc)
            if options["once"]:
                break
            deadline = time.monotonic() + options["interval"]
            while not stop and time.monotonic() < deadline:
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        log.info("scheduler %s: stopped", owner)
