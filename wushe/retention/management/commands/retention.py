"""``wushe retention``: anonymise what has passed its retention period (the daily job), or with
``--dry-run`` list per record kind how many rows it would anonymise, changing nothing."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.retention import run, selectors


class Command(BaseCommand):
    help = "Anonymise records past their retention period (--dry-run: only count them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="count what would be anonymised, change nothing")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            lines = selectors.retention_report()
            counts = {line["kind"]: line["count"] for line in lines}
        else:
            counts = run.retention_run()
            lines = []
        if options["json"]:
            self.stdout.write(json.dumps({"dry_run": options["dry_run"], "counts": counts}))
            return
        labels = {line["kind"]: f'{line["zh"]} / {line["en"]}' for line in lines}
        for kind, n in counts.items():
            self.stdout.write(f"{kind}\t{n}\t{labels.get(kind, '')}")
