"""``wushe report annual --year Y --region CODE -o FILE [--lang zh|en]``: the annual work
report of a region, as .html, .pdf or .docx (chosen by the file's extension)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wushe.core.ids import to_half_width
from wushe.core.scoping import scopes_disabled

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Write a report: `report annual --year Y --region CODE -o FILE.{html,pdf,docx}`"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["annual"])
        parser.add_argument("--year", type=int, default=None, help="default: this year")
        parser.add_argument("--region", default="", help="region code (default: the root)")
        parser.add_argument("-o", "--output", required=True, help="FILE.html, .pdf or .docx")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh")

    def handle(self, *args: Any, **opts: Any) -> None:
        from wushe.regions.models import Region
        from wushe.reports.annual import FORMATS, build_document, write

        out = Path(opts["output"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(f"不支持的格式 .{fmt}(可用 .html .pdf .docx) / Unsupported format "
                               f".{fmt} (use .html, .pdf or .docx)", returncode=EXIT_BAD_INPUT)
        year = opts["year"] or timezone.localdate().year
        if not 1990 <= year <= timezone.localdate().year:
            raise CommandError(f"年份无效:{year} / Invalid year: {year}",
                               returncode=EXIT_BAD_INPUT)
        code = to_half_width(opts["region"] or "").strip()
        started = time.perf_counter()
        with scopes_disabled():  # an operator's command-line tool: the whole database
            regions = Region.objects.order_by("code")
            region = (regions.filter(code=code) if code else regions.filter(parent=None)).first()
            if region is None:
                raise CommandError(f"地区代码 {code} 不存在 / Unknown region code {code}",
                                   returncode=EXIT_BAD_INPUT)
            doc = build_document(region, year, opts["lang"],
                                 lambda p, m: self.stderr.write(f"{p:3d}% {m}"))
            out.parent.mkdir(parents=True, exist_ok=True)
            write(doc, fmt, out)
        self.stdout.write(f"{out} ({out.stat().st_size} bytes, "
                          f"{time.perf_counter() - started:.2f}s)")
