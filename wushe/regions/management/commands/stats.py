"""``wushe stats [--json] [--region CODE]``: every registered figure for a region's subtree.

In the regions app because it looks a region up (``wushe/core`` imports no app)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wushe.core.figures import collect_stats
from wushe.core.ids import to_half_width
from wushe.core.scoping import scopes_disabled
from wushe.regions.models import Region

EXIT_UNKNOWN_REGION = 2


class Command(BaseCommand):
    help = "Print the figures of wushe.core.figures.STATS for a region (default: the district)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
        parser.add_argument("--region", default="", help="region code (default: the root)")

    def handle(self, *args: Any, **opts: Any) -> None:
        code = to_half_width(opts["region"] or "").strip()
        with scopes_disabled():  # an operator's command-line tool: the whole database
            regions = Region.objects.order_by("code")
            region = (regions.filter(code=code) if code else regions.filter(parent=None)).first()
            if region is None:
                raise CommandError(
                    f"地区代码 {code} 不存在 / Unknown region code {code}" if code else
                    "数据库中还没有地区,请先运行 wushe demo / "
                    "The database holds no region yet; run `wushe demo` first",
                    returncode=EXIT_UNKNOWN_REGION)
            figures = collect_stats(region.path)
        if opts["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True, indent=2))
            return
        self.stdout.write(f"{region.name} ({region.code})")
        width = max((len(k) for k in figures), default=0)
        for key in sorted(figures):
            self.stdout.write(f"{key:<{width}}  {figures[key]}")
