"""``wushe ledger verify [--json]``: recompute the charity ledger's hash chain and balances.

Exit status 0 when everything matches; 1 when an entry or a balance does not, naming the
first broken entry. Read-only: it never repairs anything (repairs are new entries).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wushe.core.scoping import scopes_disabled

EXIT_BROKEN = 1


class Command(BaseCommand):
    help = "Charity ledger tools: `verify` recomputes the hash chain and the cached balances."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the chain and balances; exit 1 if broken")
        verify.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args: Any, **opts: Any) -> None:
        from wushe.charity.verify import verify

        started = time.perf_counter()
        with scopes_disabled():  # an operator's tool over the whole ledger
            result = verify(progress=self._progress if not opts["json"] else None)
        seconds = round(time.perf_counter() - started, 2)
        if opts["json"]:
            self.stdout.write(json.dumps({**result.as_dict(), "seconds": seconds},
                                         ensure_ascii=False, indent=2))
        elif result.ok:
            self.stdout.write(f"账本完好 / ledger intact: {result.entries} 笔分录 entries, "
                              f"{result.postings} 行过账 postings, {result.accounts_checked} 个科目 "
                              f"accounts, 链头 head #{result.head_seq} {result.head_hash[:16]}… "
                              f"({seconds}s)"
                              + (f"; SHA-256 → SM3 自 from #{result.sm3_from}"
                                 if result.sm3_from else ""))
        else:
            first = result.first_broken
            if first is not None:
                self.stdout.write(f"第一处损坏 / first broken entry: #{first.seq}")
            for problem in result.problems[:50]:
                self.stdout.write(f"  {problem.zh} / {problem.en}")
        if not result.ok:
            sys.exit(EXIT_BROKEN)

    def _progress(self, seq: int) -> None:
        if seq % 200_000 < 20_000:
            self.stderr.write(f"… #{seq}")
