"""``wushe audit archive --before DATE -o FILE``: every audit event before DATE in one zip
(events.jsonl, events.xlsx, manifest.json with a SHA-256 per file); one JSON line reports it.

``wushe audit verify FILE`` checks an archive against its manifest. Nothing is ever removed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.audit import retention


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD / the date must be YYYY-MM-DD: {value!r}") \
            from exc


class Command(BaseCommand):
    help = "Archive audit events older than a date into a zip with a checksum manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        arc = sub.add_parser("archive", help="write events before --before into a zip")
        arc.add_argument("--before", required=True, type=_date)
        arc.add_argument("-o", "--output", required=True, type=Path)
        ver = sub.add_parser("verify", help="check an archive against its manifest")
        ver.add_argument("archive", type=Path)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["what"] == "verify":
            try:
                manifest = retention.verify(opts["archive"].read_bytes())
            except (OSError, ValueError, KeyError) as exc:
                self.stdout.write(json.dumps({"ok": False, "error": str(exc)}))
                sys.exit(1)
            self.stdout.write(json.dumps({"ok": True, "events": manifest["events"]}))
            return
        out: Path = opts["output"]
        if out.exists():
            raise CommandError(f"文件已存在 / the file exists: {out}")
        content, manifest = retention.archive(before=opts["before"])
        out.write_bytes(content)
        self.stdout.write(json.dumps({"ok": True, "file": str(out), "events": manifest["events"],
                                      "before": manifest["before"]}, ensure_ascii=False))
