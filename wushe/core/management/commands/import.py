"""``wushe import KIND FILE [--dry-run] [--valid-only] [--user NAME] [--map FIELD=HEADER …]``.

FILE is .xlsx, .xls, .ods or .csv. The columns read (sheet column → field) are printed, so a
dry run shows how the file was understood; ``--map`` names the column of a field whose header
the importer does not recognise, as the import page's column mapping does."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from wushe.core.errors import WusheError
from wushe.core.excel import IMPORTERS, run_import
from wushe.core.headers import MissingColumns, normal


class Command(BaseCommand):
    help = "Import an Excel list (see `wushe import --help` for kinds) / 导入 Excel 名单"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("kind", help="one of the registered kinds: " + ", ".join(sorted(IMPORTERS)))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument("--valid-only", action="store_true",
                            help="write the rows that pass even if others fail")
        parser.add_argument("--user", default="", help="act as this user (default: the system)")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                            help="read FIELD from the column headed HEADER (repeatable)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from django.contrib.auth import get_user_model

        User = get_user_model()  # the accounts app's, through Django's registry

        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"用户不存在 / no such user: {options['user']}")
        mapping: dict[str, str] = {}
        for pair in options["map"]:
            field, sep, header = pair.partition("=")
            if not sep or not field.strip() or not normal(header):
                raise CommandError(f"--map 应写作 字段=表头 / --map must be FIELD=HEADER: {pair}")
            mapping[field.strip()] = normal(header)
        try:
            with open(options["file"], "rb") as fh:
                result = run_import(
                    options["kind"], fh, actor=actor, dry_run=options["dry_run"],
                    valid_only=options["valid_only"], mapping=mapping,
                    progress=lambda n: self.stderr.write(f"\r{n} rows…", ending=""))
        except FileNotFoundError:
            raise CommandError(f"文件不存在 / file not found: {options['file']}") from None
        except MissingColumns as exc:
            headers = "、".join(f"「{h}」" for h in exc.header.cells if h)
            raise CommandError(f"{exc.zh} / {exc.en}\n表头(第{exc.header.row}行 row {exc.header.row}): "
                               f"{headers}\n用 --map 字段=表头 指定 / use --map FIELD=HEADER, "
                               "e.g. --map name=居民名") from None
        except WusheError as exc:
            raise CommandError(f"{exc.zh} / {exc.en}") from None
        self.stderr.write("")
        self.stderr.write(f"header row {result.header_row} ({result.format}, sheet {result.sheet}):")
        for m in result.mapping:
            label = f"{m['label']['zh']} / {m['field']}" if m["field"] else "— (not used)"
            self.stderr.write(f"  {m['column']} 「{m['header']}」 → {label}")
        for e in result.notices[:200]:
            self.stderr.write(f"row {e.row} [{e.column}] skipped: {e.zh} / {e.en}")
        for e in result.errors[:200]:
            self.stderr.write(f"row {e.row} [{e.column}]: {e.zh} / {e.en}")
        summary = {k: v for k, v in result.as_dict().items()
                   if k not in ("errors", "notices", "mapping")}
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if result.error_count and result.imported == 0:
            sys.exit(1)
