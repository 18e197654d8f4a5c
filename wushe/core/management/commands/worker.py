"""``wushe worker``: run the background tasks (a systemd service; ``make demo`` starts one)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.core.worker import Supervisor


class Command(BaseCommand):
    help = "Run the background tasks: imports, reports, exports, periodic jobs / 后台任务进程"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                            help="seconds between two looks at an empty queue (default 0.5)")
        parser.add_argument("--no-restart", action="store_true",
                            help="exit when the task process dies instead of starting another")

    def handle(self, *args: Any, **options: Any) -> None:
        raise SystemExit(Supervisor(interval=options["interval"],
                                    restart=not options["no_restart"]).run())
