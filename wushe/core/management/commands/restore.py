"""``wushe restore FILE [--data-dir DIR]``: check a backup made by ``wushe backup`` and restore
it into an empty data directory; one JSON line reports what was checked.

Refused (exit status 1, one JSON line with the bilingual reason, nothing written): an archive
whose checksums, row counts or ledger heads differ from its manifest, a schema newer than this
code, a ledger that does not verify, a target database that is not empty.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.core import backup

EXIT_REFUSED = 1


class Command(BaseCommand):
    help = "Restore a `wushe backup` archive into an empty data directory, verifying it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="the data directory to restore into (default: this one)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = backup.restore(opts["archive"], opts["data_dir"])
        except backup.BackupRefused as exc:
            self.stdout.write(json.dumps({"ok": False, **exc.as_dict()}, ensure_ascii=False))
            sys.exit(EXIT_REFUSED)
        self.stdout.write(json.dumps(report, ensure_ascii=False))
        where = Path(report["database"]).parent / "keys.json"
        self.stderr.write(
            f"密钥不在备份中: 请把做备份时的同一套密钥放回 {where}(或 WUSHE_PII_KEYS 等环境变量)。\n"
            f"The keys are not in the backup: put back the same keys the backup was made with, "
            f"in {where} (or WUSHE_PII_KEYS and the other environment variables).")
