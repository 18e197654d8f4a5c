"""``wushe import KIND FILE.xlsx [--dry-run] [--valid-only] [--user NAME]``."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from wushe.core.errors import WusheError
from wushe.core.excel import IMPORTERS, run_import


class Command(BaseCommand):
    help = "Import an Excel list (see `wushe import --help` for kinds) / 导入 Excel 名单"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("kind", help="one of the registered kinds: " + ", ".join(sorted(IMPORTERS)))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--valid-only", action="store_true",
                            help="write the rows that pass even if others fail")
        parser.add_argument("--user", default="", help="act as this user (default: the system)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from wushe.accounts.models import User

        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"用户不存在 / no such user: {options['user']}")
        try:
            with open(options["file"], "rb") as fh:
                result = run_import(
                    options["kind"], fh, actor=actor, dry_run=options["dry_run"],
                    valid_only=options["valid_only"],
                    progress=lambda n: self.stderr.write(f"\r{n} rows…", ending=""))
        except FileNotFoundError:
            raise CommandError(f"文件不存在 / file not found: {options['file']}") from None
        except WusheError as exc:
            raise CommandError(f"{exc.zh} / {exc.en}") from None
        self.stderr.write("")
        for e in result.errors[:200]:
            self.stderr.write(f"row {e.row} [{e.column}]: {e.zh} / {e.en}")
        summary = {k: v for k, v in result.as_dict().items() if k != "errors"}
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if result.error_count and result.imported == 0:
            sys.exit(1)
