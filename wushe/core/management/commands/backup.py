"""``wushe backup [-o FILE] [--json]``: a consistent copy of the live SQLite database, with its
manifest, in one tar.gz (mode 0600). See wushe/core/backup.py and docs/backup.md.

On PostgreSQL it makes nothing and says how PostgreSQL is backed up (exit status 2). The key
ring is never in the archive: the command says where the keys are and that they are kept
apart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.core import backup

EXIT_REFUSED = 1
EXIT_POSTGRESQL = 2


class Command(BaseCommand):
    help = "Back up the SQLite database (online, while the server runs) into a tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, default=None,
                            help="the archive to write (default DATA_DIR/backups/wushe-<time>.tar.gz)")
        parser.add_argument("--json", action="store_true", help="the manifest as one JSON line")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not backup.is_sqlite():
            notice = backup.postgres_notice()
            self.stderr.write(f"{notice['zh']}\n{notice['en']}")
            sys.exit(EXIT_POSTGRESQL)
        try:
            manifest = backup.backup(opts["output"])
        except backup.BackupRefused as exc:
            self.stdout.write(json.dumps({"ok": False, **exc.as_dict()}, ensure_ascii=False))
            sys.exit(EXIT_REFUSED)
        keys = backup.keys_notice()
        if opts["json"]:
            self.stdout.write(json.dumps({"ok": True, **manifest, "keys": keys},
                                         ensure_ascii=False))
        else:
            self.stdout.write(f"备份完成 / backup written: {manifest['archive']} "
                              f"({sum(manifest['rows'].values())} rows, "
                              f"{len(manifest['rows'])} tables)")
        self.stderr.write(f"{keys['zh']}\n{keys['en']}")
